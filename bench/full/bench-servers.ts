/**
 * The servers a bench run uses: the configured ones (DATABASE_URL, NATS_URL), else whatever answers
 * on 127.0.0.1:5432 / 4222, else the embedded PostgreSQL and nats-server the test suite falls back
 * to (tools/jest/test-servers.ts: free ports, data in a temporary directory), so `npm test`'s
 * `bench:smoke` needs no services either. Their URLs go into the environment the bench reads, and
 * they are stopped when the run ends or is interrupted.
 */
import { startTestServers, type TestServersOptions } from '../../tools/jest/test-servers';
import { onInterrupt } from './on-interrupt';

type Env = Record<string, string | undefined>;

export async function withBenchServers<T>(run: () => Promise<T>, env: Env = process.env, options: TestServersOptions = {}): Promise<T> {
  const servers = await startTestServers(env, { say: (line) => console.error(`bench: ${line}`), ...options });
  const forget = onInterrupt(() => servers.stop());
  try {
    return await run();
  } finally {
    forget();
    await servers.stop();
  }
}
