/**
 * A private JetStream nats-server on a free port with its own store directory, which a scenario
 * may stop and start again (same port, same store) without touching the machine's server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { natsServerAvailable, natsServerBin } from '../../stack/support/nats-server.process';
import { freePort } from '../../support/free-port';

export { natsServerAvailable };

export interface PrivateNats {
  url: string;
  /** SIGTERM (or SIGKILL with `hard`) and wait for the exit; the store stays. */
  stop(hard?: boolean): Promise<void>;
  /** Starts again on the same port and store; resolves once /healthz answers. */
  start(): Promise<void>;
  /** Stops it and removes the store. */
  dispose(): Promise<void>;
}

export async function privateNats(): Promise<PrivateNats> {
  const port = await freePort();
  const monitor = await freePort();
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-faults-nats-'));
  let child: ChildProcess | undefined;
  let log = '';
  const start = async (): Promise<void> => {
    log = '';
    const c = spawn(natsServerBin(), ['-js', '-sd', store, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = c;
    c.stderr?.setEncoding('utf8').on('data', (s: string) => (log = (log + s).slice(-20_000)));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`nats-server exited (${c.exitCode}):\n${log}`);
      const ok = await fetch(`http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`).then((r) => r.ok, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`nats-server did not become healthy:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = async (hard = false): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await gone;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      fs.rmSync(store, { recursive: true, force: true });
    },
  };
}
