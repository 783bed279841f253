import { sql } from 'kysely';
import { InvalidCursorError } from '../errors';
import { insertEntries } from '../entries/insert-entries';
import { queryHomeStats } from '../home-stats/query-home-stats';
import { upsertUsageMessages } from '../messages/upsert-usage-messages';
import { queryMessages } from '../messages/query-messages';
import { queryUsage } from '../model-hourly/query-usage';
import type { UsageDimension } from '../model-hourly/usage-groups';
import { recomputeModelHourly } from '../model-hourly/recompute-model-hourly';
import { createProjectionSchema } from '../projection/projection-schema';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { usageBatchesArbitrary } from '../test-support/usage-rows.arbitrary';
import { createUser } from '../users/users';
import fc from 'fast-check';
import { querySession, querySessions } from './query-sessions';
import { type SessionSummaryRow, upsertSessionSummaries } from './upsert-session-summaries';

const SCHEMA = 'usage_v1';

function summary(id: string, startedAt: string | null, over: Partial<SessionSummaryRow> = {}): SessionSummaryRow {
  return {
    session_id: id, user_name: id.endsWith('b') ? 'bob' : 'ann', project: '/w', git_branch: 'main', started_at: startedAt,
    ended_at: startedAt, active_seconds: 0, wall_seconds: 0, user_messages: 1, assistant_messages: 1, prompts: 1,
    tool_calls: 0, tool_errors: 0, skill_invocations: 0, subagent_dispatches: 0, mcp_calls: 0, slash_commands: 0,
    distinct_tools: 0, distinct_skills: 0, primary_model: 'claude-sonnet-4', input_tokens: 1, output_tokens: 2,
    cache_read_tokens: 0, cache_creation_tokens: 0, cache_creation_5m_tokens: 0, cache_creation_1h_tokens: 0,
    total_tokens: 3, cost_usd: 0.25, processor_version: 1, state: JSON.stringify({ n: 1 }), last_seq: 10, ...over,
  };
}

jest.setTimeout(60_000);

describe('read-model queries (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await createProjectionSchema(t.db, 1);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('session summaries: an older position never overwrites a newer one; writing twice = once', async () => {
    await upsertSessionSummaries(t.db, SCHEMA, [summary('x-a', '2026-01-01T00:00:00Z', { last_seq: 10, prompts: 5 })]);
    await upsertSessionSummaries(t.db, SCHEMA, [summary('x-a', '2026-01-01T00:00:00Z', { last_seq: 9, prompts: 1 })]);
    await upsertSessionSummaries(t.db, SCHEMA, [summary('x-a', '2026-01-01T00:00:00Z', { last_seq: 10, prompts: 5 })]);
    const row = await querySession(t.db, SCHEMA, 'x-a');
    expect(row).toMatchObject({ prompts: 5, last_seq: 10, cost_usd: 0.25, state: { n: 1 } });
    expect(await querySession(t.db, SCHEMA, 'nope')).toBeNull();
  });

  it('keyset pages are stable: every session exactly once, in order, even when new sessions arrive between pages', async () => {
    await sql`truncate usage_v1.usage_session_summary`.execute(t.db);
    const base = Date.UTC(2026, 0, 1);
    const rows = Array.from({ length: 37 }, (_, i) =>
      // groups of equal started_at (with microseconds) so session_id must break ties
      summary(`s${String(i).padStart(2, '0')}${i % 3 ? 'a' : 'b'}`, new Date(base + Math.floor(i / 4) * 1000).toISOString().replace('Z', '123Z')),
    );
    await upsertSessionSummaries(t.db, SCHEMA, rows);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const p = await querySessions(t.db, SCHEMA, { limit: 5, after });
      seen.push(...p.items.map((r) => r.session_id));
      if (page === 1) await upsertSessionSummaries(t.db, SCHEMA, [summary('new-a', '2027-01-01T00:00:00Z')]);
      if (!p.nextCursor) break;
      after = p.nextCursor;
    }
    const expected = [...rows].sort((a, b) => (String(b.started_at) + b.session_id).localeCompare(String(a.started_at) + a.session_id)).map((r) => r.session_id);
    expect(seen).toEqual(expected);
    const bobs = await querySessions(t.db, SCHEMA, { user: 'bob', limit: 500 });
    expect(bobs.items.every((r) => r.user_name === 'bob')).toBe(true);
    expect(bobs.items).toHaveLength(rows.filter((r) => r.user_name === 'bob').length);
    const ranged = await querySessions(t.db, SCHEMA, { from: new Date(base + 2000), to: new Date(base + 4000), model: 'claude-sonnet-4' });
    expect(ranged.items).toHaveLength(8);
    await expect(querySessions(t.db, SCHEMA, { after: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('usage by day/week/month in UTC, Los Angeles and Kolkata equals grouping usage_messages directly', async () => {
    await sql`truncate usage_v1.usage_messages, usage_v1.usage_model_hourly, usage_v1.usage_team_hourly`.execute(t.db);
    const batches = fc.sample(usageBatchesArbitrary, { numRuns: 3, seed: 42 }).flat();
    for (const b of batches) {
      const r = await upsertUsageMessages(t.db, SCHEMA, b);
      await recomputeModelHourly(t.db, SCHEMA, r.touchedHours);
    }
    const from = '2026-03-01';
    const to = '2026-04-30';
    const keyColumn = { MODEL: 'model', USER: 'user_name', PROJECT: "nullif(project, '')" } as const;
    const direct = (period: string, timeZone: string, key: string, where = sql``) => sql<{ p: string; k: string | null; tot: number; cost: number; n: number }>`
      select to_char(date_trunc(${period.toLowerCase()}, ts at time zone ${timeZone}), ${period === 'MONTH' ? 'YYYY-MM' : 'YYYY-MM-DD'}) as p,
        ${sql.raw(key)} as k, sum(total_tokens) as tot, sum(cost_usd) as cost, count(*) as n
      from usage_v1.usage_messages
      where ts >= (${from}::date)::timestamp at time zone ${timeZone} and ts < (${to}::date + 1)::timestamp at time zone ${timeZone} ${where}
      group by 1, 2 order by 1, 2`.execute(t.db);
    for (const timeZone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
      for (const period of ['DAY', 'WEEK', 'MONTH'] as const) {
        for (const key of ['MODEL', 'USER', 'PROJECT', undefined] as const) {
          const groupBy: UsageDimension[] = key ? [period, key] : [period];
          const got = await queryUsage(t.db, SCHEMA, { from, to, timeZone, groupBy, maxRows: 10_000 });
          const periodOf = (g: (typeof got)[number]) => (period === 'DAY' ? g.day : period === 'WEEK' ? g.week : g.month);
          const keyOf = (g: (typeof got)[number]) => (key === 'MODEL' ? g.model : key === 'USER' ? g.user : key === 'PROJECT' ? g.project : null);
          const want = await direct(period, timeZone, key ? keyColumn[key] : 'null');
          expect(got.map((g) => [periodOf(g), keyOf(g), Number(g.totalTokens), g.costUsd!.toFixed(6), g.messages])).toEqual(
            want.rows.map((d) => [d.p, d.k, Number(d.tot), Number(d.cost).toFixed(6), Number(d.n)]),
          );
          expect(got.length).toBeGreaterThan(0);
        }
      }
    }
    // One user's usage by model reads usage_model_hourly, the team's reads usage_team_hourly: both equal the facts.
    for (const timeZone of ['UTC', 'America/Los_Angeles']) {
      const ann = await queryUsage(t.db, SCHEMA, { from, to, timeZone, groupBy: ['DAY', 'MODEL'], users: ['ann'], maxRows: 10_000 });
      const want = await direct('DAY', timeZone, 'model', sql`and user_name = 'ann'`);
      expect(ann.map((g) => [g.day, g.model, Number(g.totalTokens), g.messages])).toEqual(want.rows.map((d) => [d.p, d.k, Number(d.tot), Number(d.n)]));
      expect(ann.length).toBeGreaterThan(0);
    }
    const total = async (timeZone: string) => Number((await queryUsage(t.db, SCHEMA, { from, to, timeZone, groupBy: [], maxRows: 1 }))[0].totalTokens);
    expect(await total('Asia/Kolkata')).toBe(await total('UTC'));
    const anns = await queryMessages(t.db, SCHEMA, { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z'), users: ['ann'], limit: 10_000 });
    expect(anns.length).toBeGreaterThan(0);
    expect(anns.every((m, i) => m.user === 'ann' && (i === 0 || anns[i - 1].at <= m.at))).toBe(true);
  });

  it('home stats count sessions, prompts, projects and tokens in the window', async () => {
    await sql`truncate usage_v1.usage_messages, usage_v1.usage_entries`.execute(t.db);
    await createUser(t.db, 'ann');
    const e = (key: string, session: string, ts: string, project: string, isPrompt: boolean) => ({
      entryKey: key, userName: 'ann', sessionId: session, ts, kind: 'user', project, isPrompt, streamSeq: 1, contentKey: '',
      entry: { type: 'user', kind: 'user' as const, isSidechain: false, isMeta: false, isCompactSummary: false, toolUses: [], toolResults: [], commands: [], isPrompt },
    });
    await insertEntries(t.db, SCHEMA, [
      e('1', 's1', '2026-02-01T10:00:00Z', '/a', true),
      e('2', 's1', '2026-02-01T10:01:00Z', '/a', false),
      e('3', 's2', '2026-02-01T11:00:00Z', '/b', true),
      e('4', 's3', '2026-01-20T11:00:00Z', '/c', true),
    ]);
    await upsertUsageMessages(t.db, SCHEMA, [{
      messageKey: 'm', entryKey: '2', userName: 'ann', sessionId: 's1', project: '/a', model: 'x', ts: '2026-02-01T10:01:00Z',
      isSidechain: false, messageId: null, inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheCreationTokens: 4, cacheCreation5mTokens: 4,
      cacheCreation1hTokens: 0, costUsd: 0, unpriced: true, streamSeq: 1,
    }]);
    const stats = await queryHomeStats(t.db, SCHEMA, { user: 'ann', since: new Date('2026-01-31T12:00:00Z'), until: new Date('2026-02-01T12:00:00Z') });
    expect(stats).toEqual({ lastSyncAt: new Date('2026-02-01T11:00:00Z'), sessions: 2, prompts: 2, tokens: 10, projects: 2 });
  });
});
