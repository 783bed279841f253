/**
 * The database a bench run uses: DATABASE_URL, else whatever answers on 127.0.0.1:5432, else the
 * embedded PostgreSQL the test suite falls back to (tools/jest/test-servers.ts: a free port, data
 * in a temporary directory), so `npm test`'s `bench:smoke` needs no services either. NATS needs
 * no fallback: without NATS_URL each bench starts a private nats-server. The URL goes into the
 * environment the bench reads, and the server stops when the run ends or is interrupted.
 */
import { startTestServers, type TestServersOptions } from '../../tools/jest/test-servers';
import { onInterrupt } from './on-interrupt';

type Env = Record<string, string | undefined>;

export async function withBenchServers<T>(run: () => Promise<T>, env: Env = process.env, options: TestServersOptions = {}): Promise<T> {
  // Not NATS: a bench without NATS_URL starts a private nats-server, whose CPU it counts.
  const servers = await startTestServers(env, { say: (line) => console.error(`bench: ${line}`), postgresOnly: true, ...options });
  const forget = onInterrupt(() => servers.stop());
  try {
    return await run();
  } finally {
    forget();
    await servers.stop();
  }
}
