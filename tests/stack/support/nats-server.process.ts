/**
 * A private nats-server for one test: our config file, but a free port, its own store dir and
 * monitoring port, so it never meets the shared server on 4222 or another run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNatsServer, natsServerIfInstalled } from '@ccpulse/runtime';
import { freePort } from '../../support/free-port';

/** The nats-server the tests run: the one `ccpulse start` finds (NATS_SERVER_BIN, the PATH, the usual install places). */
export function natsServerBin(): string {
  return findNatsServer(process.env);
}

/** The passwords ops/nats's config files read from the environment, for tests that start them. */
export const NATS_TEST_PASSWORDS = {
  NATS_AGGREGATOR_PASSWORD: 'agg-secret',
  NATS_API_PASSWORD: 'api-secret',
  NATS_INGESTOR_PASSWORD: 'ing-secret',
  NATS_PASSWORD_ALICE: 'alice-secret',
  NATS_PASSWORD_BOB: 'bob-secret',
};

export function natsServerAvailable(): boolean {
  return natsServerIfInstalled(process.env) !== undefined;
}

/** `nats-server -c file -t`: does the real server accept the file with this environment? */
export function checkConfig(file: string, env: Record<string, string>): { ok: boolean; output: string } {
  const r = spawnSync(natsServerBin(), ['-c', file, '-t'], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export interface RunningNats {
  url: string;
  stop(): Promise<void>;
}

export async function startNatsServer(file: string, env: Record<string, string>): Promise<RunningNats> {
  const port = await freePort();
  const monitor = await freePort();
  // The config names the container's /data; a copy of its folder points JetStream at a temp dir
  // instead (nats-server refuses -sd next to a store_dir in the file).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-nats-'));
  const store = path.join(dir, 'jetstream');
  for (const name of fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.conf'))) {
    const text = fs.readFileSync(path.join(path.dirname(file), name), 'utf8');
    fs.writeFileSync(path.join(dir, name), text.replace(/store_dir:\s*"\/data"/, `store_dir: ${JSON.stringify(store)}`));
  }
  const child: ChildProcess = spawn(
    natsServerBin(),
    ['-c', path.join(dir, path.basename(file)), '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)],
    { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (log += c));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const problem =
      child.exitCode !== null ? `nats-server exited (${child.exitCode})` : Date.now() > deadline ? 'nats-server did not become healthy' : undefined;
    if (problem) {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`${problem}:\n${log}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${monitor}/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
