import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureLiveProjection } from '@ccpulse/db';
// libs/db keeps its throwaway-database helper out of the public barrel (it is test-only).
import { createTestDatabase, type TestDatabase } from '../../../../libs/db/src/test-support/test-database';
import { PROCESSOR_VERSION } from '@ccpulse/domain';
import pino, { type Logger } from 'pino';
import { startApiServer, type RunningApi } from '../api.server';
import { loadApiConfig } from '../config/api-config';

/** A real API on an ephemeral port over a throwaway database and a private subject prefix. */
export interface TestApi {
  api: RunningApi;
  db: TestDatabase;
  schema: string;
  prefix: string;
  /** A separate NATS connection for the test to publish notices with. */
  nc: NatsConnection;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; body: { data?: T; errors?: any[] } }>;
  close(): Promise<void>;
}

export async function startTestApi(opts: { env?: Record<string, string>; clock?: () => Date; log?: Logger } = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  let nc: NatsConnection | undefined;
  try {
    const schema = await ensureLiveProjection(db.db, PROCESSOR_VERSION);
    const prefix = `t${randomBytes(5).toString('hex')}`;
    const config = loadApiConfig(
      { DATABASE_URL: db.url, NATS_URL: natsUrl, PORT: '0', HOST: '127.0.0.1', CCPULSE_SUBJECT_PREFIX: prefix, NODE_ENV: 'test', ...opts.env },
      { readFile: () => '', osUser: () => 'local' },
    );
    nc = await connect({ servers: natsUrl });
    const api = await startApiServer(config, { log: opts.log ?? pino({ level: process.env.API_TEST_LOG ?? 'silent' }), clock: opts.clock });
    const testNc = nc;
    return {
      api,
      db,
      schema,
      prefix,
      nc: testNc,
      async gql(query, variables, token) {
        const res = await fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        return { status: res.status, body: (await res.json()) as any };
      },
      async close() {
        await api.close();
        await testNc.close();
        await db.drop();
      },
    };
  } catch (err) {
    await nc?.close();
    await db.drop();
    throw err;
  }
}
