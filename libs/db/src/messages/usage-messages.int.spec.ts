import { totalOfTokenFields } from '@ccpulse/domain';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { recomputeModelHourly } from '../model-hourly/recompute-model-hourly';
import { createProjectionSchema } from '../projection/projection-schema';
import { sessionTokens } from '../session-summary/session-tokens';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { usageBatchesArbitrary } from '../test-support/usage-rows.arbitrary';
import { corpora } from '../../../domain/src/test-support/corpora';
import { fixtureUsageRows } from '../test-support/fixture-usage-rows';
import { type UsageMessageRow, upsertUsageMessages, usageWins } from './upsert-usage-messages';

const SCHEMA = 'usage_v1';

/** What the aggregator does per batch: upsert, then recompute the touched hours. */
async function applyBatch(db: Kysely<Database>, rows: readonly UsageMessageRow[]) {
  return db.transaction().execute(async (trx) => {
    const r = await upsertUsageMessages(trx, SCHEMA, rows);
    await recomputeModelHourly(trx, SCHEMA, r.touchedHours);
    return r;
  });
}

function keptInJs(rows: readonly UsageMessageRow[]): Map<string, UsageMessageRow> {
  const kept = new Map<string, UsageMessageRow>();
  for (const r of rows) {
    const cur = kept.get(r.messageKey);
    if (!cur || usageWins(r, cur)) kept.set(r.messageKey, r);
  }
  // the sidechain replay rule: a sidechain copy of a message id that is on a main-chain row is not counted
  const main = new Set(rows.filter((r) => !r.isSidechain && r.messageId).map((r) => r.messageId));
  for (const [key, r] of kept) if (r.isSidechain && r.messageId && main.has(r.messageId)) kept.delete(key);
  return kept;
}

async function storedMessages(db: Kysely<Database>) {
  const rows = await db.withSchema(SCHEMA).selectFrom('usage_messages').select(['message_key', 'entry_key', 'session_id', 'total_tokens']).orderBy('message_key').execute();
  return rows.map((r) => `${r.message_key}|${r.entry_key}|${r.session_id}|${r.total_tokens}`);
}

async function hourlyTable(db: Kysely<Database>) {
  const r = await sql<{ row: string }>`
    select concat_ws('|', hour, user_name, project, model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
      cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages) as row
    from usage_v1.usage_model_hourly order by 1`.execute(db);
  return r.rows.map((x) => x.row);
}

/** The from-scratch GROUP BY over the facts that the incremental rollup must equal. */
async function hourlyFromScratch(db: Kysely<Database>) {
  const r = await sql<{ row: string }>`
    select concat_ws('|', date_trunc('hour', ts, 'UTC'), user_name, coalesce(project, ''), model, sum(input_tokens), sum(output_tokens),
      sum(cache_read_tokens), sum(cache_creation_tokens), sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens),
      sum(total_tokens), sum(cost_usd)::numeric(38, 9), count(*)) as row
    from usage_v1.usage_messages where ts is not null
    group by date_trunc('hour', ts, 'UTC'), user_name, coalesce(project, ''), model order by 1`.execute(db);
  return r.rows.map((x) => x.row);
}

/** The team rollup as stored, and as a from-scratch GROUP BY (hour, model) over the facts. */
async function teamHourlyTable(db: Kysely<Database>) {
  const r = await sql<{ row: string }>`
    select concat_ws('|', hour, model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
      cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages) as row
    from usage_v1.usage_team_hourly order by 1`.execute(db);
  return r.rows.map((x) => x.row);
}

async function teamHourlyFromScratch(db: Kysely<Database>) {
  const r = await sql<{ row: string }>`
    select concat_ws('|', date_trunc('hour', ts, 'UTC'), model, sum(input_tokens), sum(output_tokens),
      sum(cache_read_tokens), sum(cache_creation_tokens), sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens),
      sum(total_tokens), sum(cost_usd)::numeric(38, 9), count(*)) as row
    from usage_v1.usage_messages where ts is not null
    group by date_trunc('hour', ts, 'UTC'), model order by 1`.execute(db);
  return r.rows.map((x) => x.row);
}

async function reset(db: Kysely<Database>) {
  await sql`truncate usage_v1.usage_messages, usage_v1.usage_model_hourly, usage_v1.usage_team_hourly`.execute(db);
}

describe('usage messages and the hourly rollup (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await createProjectionSchema(t.db, 1);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('keeps the max copy per key, in any batch order, and incremental hourly and team hourly == GROUP BY over the facts', async () => {
    await fc.assert(
      fc.asyncProperty(usageBatchesArbitrary, fc.integer(), async (batches, seed) => {
        await reset(t.db);
        for (const b of batches) await applyBatch(t.db, b);
        const all = batches.flat();
        const expected = [...keptInJs(all).values()]
          .map((r) => `${r.messageKey}|${r.entryKey}|${r.sessionId}|${totalOfTokenFields(r)}`)
          .sort();
        expect(await storedMessages(t.db)).toEqual(expected);
        const hourly = await hourlyTable(t.db);
        expect(hourly).toEqual(await hourlyFromScratch(t.db));
        const team = await teamHourlyTable(t.db);
        expect(team).toEqual(await teamHourlyFromScratch(t.db));

        // the same rows again, reversed and re-cut: duplicates and out-of-order change nothing
        const again = [...all].reverse();
        const cut = Math.abs(seed) % again.length;
        await applyBatch(t.db, again.slice(0, cut));
        await applyBatch(t.db, again.slice(cut));
        expect(await storedMessages(t.db)).toEqual(expected);
        expect(await hourlyTable(t.db)).toEqual(hourly);
        expect(await teamHourlyTable(t.db)).toEqual(team);

        const totals = await sessionTokens(t.db, SCHEMA, ['s-a', 's-b', 's-c']);
        for (const s of ['s-a', 's-b', 's-c']) {
          const mine = [...keptInJs(all).values()].filter((r) => r.sessionId === s);
          expect(totals.get(s)?.totalTokens).toBe(mine.reduce((n, r) => n + totalOfTokenFields(r), 0));
          expect(totals.get(s)?.costUsd).toBeCloseTo(mine.reduce((n, r) => n + r.costUsd, 0), 6);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it.each([
    ['the main-chain line first', false],
    ['the sidechain replay first', true],
  ])('a sidechain replay of a main-chain message under another requestId or none is not counted (%s)', async (_, replayFirst) => {
    await reset(t.db);
    const row = (over: Partial<UsageMessageRow>): UsageMessageRow => ({
      messageKey: 'M:R1', entryKey: 'e-main', userName: 'ann', sessionId: 's-a', project: '/w', model: 'claude-sonnet-4',
      ts: '2026-01-01T10:00:00Z', isSidechain: false, messageId: 'M', inputTokens: 100, outputTokens: 0, cacheReadTokens: 0,
      cacheCreationTokens: 0, cacheCreation5mTokens: 0, cacheCreation1hTokens: 0, costUsd: 0.0003, unpriced: false, streamSeq: 1, ...over,
    });
    const main = row({});
    const replays = [row({ messageKey: 'M:R2', entryKey: 'e-side-1', isSidechain: true, streamSeq: 2 }), row({ messageKey: 'e-side-2', entryKey: 'e-side-2', isSidechain: true, streamSeq: 3 })];
    const order = replayFirst ? [replays, [main]] : [[main], replays];
    for (const batch of order) await applyBatch(t.db, batch);
    expect(await storedMessages(t.db)).toEqual(['M:R1|e-main|s-a|100']);
    expect(await hourlyTable(t.db)).toEqual(await hourlyFromScratch(t.db));
    expect((await sessionTokens(t.db, SCHEMA, ['s-a'])).get('s-a')?.totalTokens).toBe(100);
  });

  it('two copies a few microseconds apart in one millisecond: one batch keeps the same (earlier) copy as two batches', async () => {
    const row = (over: Partial<UsageMessageRow>): UsageMessageRow => ({
      messageKey: 'M:R', entryKey: 'e-late', userName: 'ann', sessionId: 's-a', project: '/w', model: 'claude-sonnet-4',
      ts: '2026-01-01T10:00:00.123900Z', isSidechain: false, messageId: 'M', inputTokens: 5, outputTokens: 5, cacheReadTokens: 0,
      cacheCreationTokens: 0, cacheCreation5mTokens: 0, cacheCreation1hTokens: 0, costUsd: 0, unpriced: false, streamSeq: 1, ...over,
    });
    const late = row({});
    const early = row({ entryKey: 'e-early', sessionId: 's-b', ts: '2026-01-01T10:00:00.123400Z', streamSeq: 2 });
    await reset(t.db);
    await applyBatch(t.db, [late, early]);
    const oneBatch = await storedMessages(t.db);
    await reset(t.db);
    await applyBatch(t.db, [late]);
    await applyBatch(t.db, [early]);
    expect(oneBatch).toEqual(await storedMessages(t.db));
    expect(oneBatch).toEqual(['M:R|e-early|s-b|10']);
  });

  it('a message whose kept copy moves to another session reports both sessions as touched', async () => {
    await reset(t.db);
    const base: UsageMessageRow = {
      messageKey: 'm1:r1', entryKey: 'e1', userName: 'ann', sessionId: 's-b', project: '/w', model: 'claude-sonnet-4',
      ts: new Date('2026-01-01T10:00:00Z'), isSidechain: false, messageId: null, inputTokens: 1, outputTokens: 10, cacheReadTokens: 0,
      cacheCreationTokens: 0, cacheCreation5mTokens: 0, cacheCreation1hTokens: 0, costUsd: 0.5, unpriced: false, streamSeq: 1,
    };
    expect((await applyBatch(t.db, [base])).touchedSessions).toEqual(['s-b']);
    const bigger = { ...base, entryKey: 'e2', sessionId: 's-a', outputTokens: 20, ts: new Date('2026-01-01T11:30:00Z'), streamSeq: 2 };
    const moved = await applyBatch(t.db, [bigger]);
    expect(moved.touchedSessions.sort()).toEqual(['s-a', 's-b']);
    expect(moved.touchedHours.map((h) => h.hour.toISOString()).sort()).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z']);
    expect(await hourlyTable(t.db)).toEqual(await hourlyFromScratch(t.db));
    expect(await hourlyTable(t.db)).toHaveLength(1);
    expect(await teamHourlyTable(t.db)).toEqual(await teamHourlyFromScratch(t.db));
    expect(await teamHourlyTable(t.db)).toHaveLength(1);
    // the smaller copy again: a duplicate, nothing touched
    expect(await applyBatch(t.db, [base])).toEqual({ touchedSessions: [], touchedHours: [], written: 0 });
    // a sidechain copy never beats the non-sidechain one, however large
    const replay = { ...bigger, entryKey: 'e3', isSidechain: true, outputTokens: 10_000 };
    expect((await applyBatch(t.db, [replay])).written).toBe(0);
  });

  it.each(corpora().map((c) => [c.name, c.dir] as const))('%s usage, shuffled into batches, equals the domain keep-max and the from-scratch rollup', async (_, dir) => {
    const rows = fixtureUsageRows(dir);
    await reset(t.db);
    const shuffled = [...rows].sort((a, b) => (hash(a.entryKey) - hash(b.entryKey)));
    for (let i = 0; i < shuffled.length; i += 150) await applyBatch(t.db, shuffled.slice(i, i + 150));
    const expected = [...keptInJs(rows).values()].map((r) => `${r.messageKey}|${r.entryKey}|${r.sessionId}|${totalOfTokenFields(r)}`).sort();
    expect(await storedMessages(t.db)).toEqual(expected);
    expect(await hourlyTable(t.db)).toEqual(await hourlyFromScratch(t.db));
    expect(await teamHourlyTable(t.db)).toEqual(await teamHourlyFromScratch(t.db));
    expect(expected.length).toBeGreaterThan(100);
  }, 120_000);
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
