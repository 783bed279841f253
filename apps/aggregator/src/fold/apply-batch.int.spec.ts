/**
 * The fold on the real transcripts, straight into a throwaway PostgreSQL database (no NATS):
 * totals equal the oracle, and any batching, order or repetition gives the identical database.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProjectionSchema, type Database } from '@ccpulse/db';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import type { StreamMessage } from '../stream/stream-message';
import { dumpDifference, dumpProjection } from '../test-support/dump-projection';
import { corpora } from '../../../../libs/domain/src/test-support/corpora';
import { fixtureMessages, type TestMessage } from '../test-support/fixture-messages';
import { applyBatch } from './apply-batch';


type Oracle = {
  daily: Record<string, Record<string, Record<string, number>>>;
  sessions: Record<string, Record<string, unknown>>;
  rejected: number;
};

const SESSION_COLUMNS = [
  'active_seconds', 'wall_seconds', 'user_messages', 'assistant_messages', 'prompts', 'tool_calls', 'tool_errors',
  'skill_invocations', 'subagent_dispatches', 'mcp_calls', 'slash_commands', 'distinct_tools', 'distinct_skills',
  'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'primary_model',
];

/** Folds `messages` in batches of `size` (each its own transaction), checkpoint = a running counter. */
async function foldAll(db: Kysely<Database>, schema: string, messages: StreamMessage[], sizes: () => number): Promise<void> {
  let position = 0;
  for (let i = 0; i < messages.length; ) {
    const batch = messages.slice(i, i + sizes());
    i += batch.length;
    position += batch.length;
    await db.transaction().execute((trx) =>
      applyBatch(trx, { schema, consumer: `c-${schema}`, processorVersion: 1 }, batch, [], position),
    );
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

describe.each(corpora().map((c) => [c.name, c.dir] as const))('applyBatch on the real transcripts (%s transcripts)', (_, dir) => {
  let t: TestDatabase;
  let oracle: Oracle;
  let messages: StreamMessage[];

  beforeAll(async () => {
    t = await createTestDatabase();
    oracle = JSON.parse(fs.readFileSync(path.join(dir, 'expected', 'oracle.json'), 'utf8'));
    messages = fixtureMessages(dir, 'alice', 'ccpulse').map((m, i) => ({
      seq: i + 1,
      subject: m.subject,
      data: m.data,
      deliveryCount: 1,
    }));
    await createProjectionSchema(t.db, 'usage_v1');
    await foldAll(t.db, 'usage_v1', messages, () => 500);
  }, 300_000);

  afterAll(async () => {
    await t?.drop();
  });

  it('gives the oracle tokens per UTC day and model, and its cost within rounding', async () => {
    const rows = await sql<Record<string, string | number>>`
      select to_char(hour at time zone 'UTC', 'YYYY-MM-DD') as day, model,
        sum(input_tokens)::bigint as input, sum(output_tokens)::bigint as output,
        sum(cache_read_tokens)::bigint as "cacheRead", sum(cache_creation_tokens)::bigint as "cacheCreation",
        sum(cache_creation_5m_tokens)::bigint as cache5m, sum(cache_creation_1h_tokens)::bigint as cache1h,
        sum(cost_usd) as cost, sum(messages)::bigint as messages
      from usage_v1.usage_model_hourly group by 1, 2 order by 1, 2`.execute(t.db);
    const got: Oracle['daily'] = {};
    const tolerance = new Map<string, number>();
    for (const r of rows.rows) {
      const { day, model, cost, messages: n, ...tokens } = r;
      (got[day as string] ??= {})[model as string] = {
        ...Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, Number(v)])),
        costMicroUsd: Math.round(Number(cost) * 1e6),
      };
      tolerance.set(`${day} ${model}`, 3 + Number(n) / 2);
    }
    const strip = (x: Oracle['daily']) =>
      Object.fromEntries(Object.entries(x).map(([day, ms]) => [day, Object.fromEntries(Object.entries(ms).map(([m, v]) => [m, { ...v, costMicroUsd: 0 }]))]));
    expect(strip(got)).toEqual(strip(oracle.daily));
    for (const [day, models] of Object.entries(oracle.daily)) {
      for (const [model, want] of Object.entries(models)) {
        const diff = Math.abs(got[day][model].costMicroUsd - want.costMicroUsd);
        expect({ day, model, within: diff <= tolerance.get(`${day} ${model}`)! }).toEqual({ day, model, within: true });
      }
    }
  });

  it('gives every session of the oracle with its counts', async () => {
    const rows = await t.db.withSchema('usage_v1').selectFrom('usage_session_summary').selectAll().execute();
    expect(rows.map((r) => r.session_id).sort()).toEqual(Object.keys(oracle.sessions).sort());
    for (const row of rows) {
      const want = oracle.sessions[row.session_id];
      const pick = (o: Record<string, unknown>) => Object.fromEntries(SESSION_COLUMNS.map((c) => [c, o[c] ?? null]));
      expect({ id: row.session_id, ...pick(row as unknown as Record<string, unknown>) }).toEqual({ id: row.session_id, ...pick(want) });
      expect(row.started_at?.getTime()).toBe(Date.parse(want.started_at as string));
      expect(row.ended_at?.getTime()).toBe(Date.parse(want.ended_at as string));
    }
  });

  it('records every malformed line as a rejection with its stream sequence', async () => {
    const rows = await t.db.withSchema('usage_v1').selectFrom('rejected_entries').selectAll().execute();
    expect(rows).toHaveLength(oracle.rejected);
    for (const r of rows) expect(r.reason).toBe('malformed_json');
  });

  it('folds v1 and v2 messages mixed in one stream (ingestors upgraded mid-file) to the rows of all-v1', async () => {
    const asStream = (list: TestMessage[]): StreamMessage[] => list.map((m, i) => ({ seq: i + 1, subject: m.subject, data: m.data, deliveryCount: 1 }));
    const v1 = asStream(fixtureMessages(dir, 'alice', 'ccpulse', { envelope: 1 }));
    const mixed = fixtureMessages(dir, 'alice', 'ccpulse', { envelope: 'upgraded', runBytes: 8192 });
    const versions = new Set(mixed.map((m) => JSON.parse(Buffer.from(m.data).toString('utf8')).v));
    expect(versions).toEqual(new Set([1, 2]));
    await createProjectionSchema(t.db, 'usage_v3');
    await foldAll(t.db, 'usage_v3', v1, () => 500);
    await createProjectionSchema(t.db, 'usage_v4');
    await foldAll(t.db, 'usage_v4', asStream(mixed), () => 7);
    const [allV1, upgraded, allV2] = [await dumpProjection(t.db, 'usage_v3'), await dumpProjection(t.db, 'usage_v4'), await dumpProjection(t.db, 'usage_v1')];
    expect(dumpDifference(upgraded, allV1)).toEqual([]);
    expect(upgraded).toEqual(allV1);
    expect(allV2).toEqual(allV1);
  }, 300_000);

  it('gives the identical database when every message comes twice, shuffled, in random batch sizes', async () => {
    const random = rng(42);
    const twice = [...messages, ...messages];
    for (let i = twice.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [twice[i], twice[j]] = [twice[j], twice[i]];
    }
    await createProjectionSchema(t.db, 'usage_v2');
    await foldAll(t.db, 'usage_v2', twice, () => 1 + Math.floor(random() * 700));
    const [shuffled, inOrder] = [await dumpProjection(t.db, 'usage_v2'), await dumpProjection(t.db, 'usage_v1')];
    expect(dumpDifference(shuffled, inOrder)).toEqual([]);
    expect(shuffled).toEqual(inOrder);
  }, 300_000);
});
