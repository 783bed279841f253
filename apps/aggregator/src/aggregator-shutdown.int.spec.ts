/**
 * `ccpulse aggregate` as a child process on its own nats-server: when that server is gone, a
 * SIGTERM still ends the process, promptly and with exit code 0, instead of leaving it
 * reconnecting forever. Its logs (JSON on stdout) say it closed without a drain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { findNatsServer } from '@ccpulse/runtime';
import { ccpulse, ensureBuilt, exited } from './test-support/aggregator-cli';
import { waitFor } from './test-support/aggregator-harness';
import { createTestDatabase, type TestDatabase } from './test-support/test-database';

jest.setTimeout(120_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('ccpulse aggregate with its NATS server gone', () => {
  let t: TestDatabase | undefined;
  let server: ChildProcess | undefined;
  let child: ChildProcess | undefined;
  let nc: NatsConnection | undefined;
  const store = mkdtempSync(join(tmpdir(), 'ccpulse-agg-nats-'));

  beforeAll(() => ensureBuilt());

  afterAll(async () => {
    child?.kill('SIGKILL');
    server?.kill('SIGKILL');
    await nc?.close().catch(() => undefined);
    await t?.drop();
    rmSync(store, { recursive: true, force: true });
  });

  it('exits 0 within a bounded time after SIGTERM, saying it closed without a drain', async () => {
    t = await createTestDatabase({ migrate: false });
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    server = spawn(findNatsServer(process.env), ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
    await waitFor('the private nats-server', async () => !!(nc = await connect({ servers: url }).catch(() => undefined)), 20_000);
    const stream = 'T_AGG_SHUTDOWN';
    child = ccpulse(['aggregate'], { DATABASE_URL: t.url, NATS_URL: url, CCPULSE_STREAM: stream, CCPULSE_SUBJECT_PREFIX: 'taggshutdown', AGGREGATOR_METRICS_PORT: '0' });
    const done = exited(child);
    const jsm = await jetstreamManager(nc!);
    // Consuming: its durable consumer exists on the stream.
    await waitFor('the aggregator consumer', async () => (await jsm.consumers.list(stream).next().catch(() => [])).length > 0, 60_000);
    await nc!.close();
    nc = undefined;
    const gone = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await gone;
    // Let the client notice the disconnect and start its reconnect loop.
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = Date.now();
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([done, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 20_000)))]);
    clearTimeout(timer);
    const ms = Date.now() - t0;
    console.log(`aggregate, SIGTERM with NATS away: ${outcome ? `exited ${outcome.code} in ${ms} ms` : 'still running after 20 s'}`);
    expect(outcome?.code).toBe(0);
    expect(ms).toBeLessThan(15_000);
    expect(outcome!.stdout).toContain('NATS unreachable: closing the connection without a drain');
  });
});
