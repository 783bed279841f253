import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { loadAttribution } from '../attribution/load-attribution';
import type { Database } from '../database';
import { recomputePluginDaily } from '../plugin-daily/recompute-plugin-daily';
import { pluginEventsSql } from '../plugin-daily/plugin-events.sql';
import { createProjectionSchema } from '../projection/projection-schema';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { recomputeToolDaily } from '../tool-daily/recompute-tool-daily';
import { mergeTouches } from './touches';
import { type ToolResultRow, upsertToolResults } from './upsert-tool-results';
import { type UsageEventRow, upsertUsageEvents } from './upsert-usage-events';

const SCHEMA = 'usage_v1';
type Item = { kind: 'event'; row: UsageEventRow } | { kind: 'result'; row: ToolResultRow };

/** The aggregator's per-batch order: events, results, then the touched rollup keys. */
async function applyBatch(db: Kysely<Database>, items: readonly Item[]) {
  await db.transaction().execute(async (trx) => {
    const a = await upsertUsageEvents(trx, SCHEMA, items.flatMap((i) => (i.kind === 'event' ? [i.row] : [])));
    const b = await upsertToolResults(trx, SCHEMA, items.flatMap((i) => (i.kind === 'result' ? [i.row] : [])));
    const touched = mergeTouches(a, b);
    await recomputeToolDaily(trx, SCHEMA, touched.toolDays);
    await recomputePluginDaily(trx, SCHEMA, touched.pluginDays);
  });
}

const T0 = Date.UTC(2026, 4, 31, 22, 0, 0);
const TYPES = ['Bash', 'Read', 'Skill', 'Task', 'mcp__gh__list', '/deploy'] as const;
const itemArb: fc.Arbitrary<Item> = fc.oneof(
  fc
    .record({
      id: fc.integer({ min: 0, max: 9 }),
      session: fc.constantFrom('s1', 's2'),
      minute: fc.integer({ min: 0, max: 240 }),
    })
    // Copies of one event differ in where and when they were seen, never in what they are: a
    // tool_use id names one call of one tool by one user, so the type and the user follow from
    // the id (the copy rules have no tie-break between two users publishing the same line).
    .map(({ id, session, minute }) => ({ id, user: id % 2 ? 'ann' : 'bob', session, minute, type: TYPES[id % TYPES.length] }))
    .map(({ id, user, session, minute, type }): Item => ({
      kind: 'event',
      row: {
        eventKey: type === '/deploy' ? `cmd-${id}#0` : `toolu_${id}`,
        entryKey: `entry-${id}`,
        toolUseId: type === '/deploy' ? null : `toolu_${id}`,
        userName: user,
        sessionId: session,
        project: '/w',
        ts: new Date(T0 + minute * 60_000),
        eventType: type === '/deploy' ? 'slash_command' : type === 'Task' ? 'subagent' : type.startsWith('mcp__') ? 'mcp_call' : 'tool_use',
        toolName: type === '/deploy' ? null : type,
        skillName: type === 'Skill' ? `skill-${id % 3}` : null,
        subagentType: type === 'Task' ? (id % 2 ? 'reviewer' : 'general') : null,
        mcpServer: type.startsWith('mcp__') ? 'gh' : null,
        commandName: type === '/deploy' ? 'deploy' : null,
        streamSeq: id,
      },
    })),
  fc
    .record({ id: fc.integer({ min: 0, max: 9 }), err: fc.boolean(), minute: fc.integer({ min: 0, max: 300 }) })
    .map(({ id, err, minute }): Item => ({
      kind: 'result',
      row: { toolUseId: `toolu_${id}`, isError: err, ts: new Date(T0 + minute * 60_000 + 1234), patchLines: null },
    })),
);

async function snapshot(db: Kysely<Database>) {
  const q = async (text: string) => (await sql<{ r: string }>`${sql.raw(text)}`.execute(db)).rows.map((x) => x.r);
  return {
    events: await q(`select concat_ws('|', event_key, session_id, ts, is_error, duration_ms) as r from usage_v1.usage_events order by 1`),
    tool: await q(`select concat_ws('|', day, user_name, tool_name, calls, errors, duration_ms_sum, duration_count) as r from usage_v1.usage_tool_daily order by 1`),
    plugin: await q(`select concat_ws('|', day, user_name, kind, name, source, ref_id, invocations) as r from usage_v1.usage_plugin_daily order by 1`),
  };
}

async function fromScratch(db: Kysely<Database>) {
  const q = async (text: string) => (await sql<{ r: string }>`${sql.raw(text)}`.execute(db)).rows.map((x) => x.r);
  return {
    tool: await q(`select concat_ws('|', (ts at time zone 'UTC')::date, user_name, tool_name, count(*), count(*) filter (where is_error),
        coalesce(sum(duration_ms), 0), count(duration_ms)) as r
      from usage_v1.usage_events where tool_name is not null and ts is not null group by 1 order by 1`.replace('group by 1', 'group by (ts at time zone \'UTC\')::date, user_name, tool_name')),
    plugin: await q(`select concat_ws('|', day, user_name, kind, name, source, ref_id, count(*)) as r
      from (${pluginEventsSql('usage_v1.usage_events e')}) p group by day, user_name, kind, name, source, ref_id order by 1`),
  };
}

describe('events, tool results and their daily rollups (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await createProjectionSchema(t.db, 1);
    await loadAttribution(t.db, [
      { kind: 'agents', name: 'reviewer', source: 'flea', refId: 'f-1' },
      { kind: 'agents', name: 'reviewer', source: 'curated', refId: 'c-1' },
      { kind: 'skills', name: 'skill-1', source: 'flea', refId: 'f-2' },
      { kind: 'commands', name: 'deploy', source: 'curated', refId: null },
    ]);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('results join whichever arrives first; any batch order gives the same state, equal to a from-scratch GROUP BY', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (items, size) => {
        await sql`truncate usage_v1.usage_events, usage_v1.usage_tool_results, usage_v1.usage_tool_daily, usage_v1.usage_plugin_daily`.execute(t.db);
        for (let i = 0; i < items.length; i += size) await applyBatch(t.db, items.slice(i, i + size));
        const forward = await snapshot(t.db);
        const scratch = await fromScratch(t.db);
        expect(forward.tool).toEqual(scratch.tool);
        expect(forward.plugin).toEqual(scratch.plugin);

        await sql`truncate usage_v1.usage_events, usage_v1.usage_tool_results, usage_v1.usage_tool_daily, usage_v1.usage_plugin_daily`.execute(t.db);
        const reversed = [...items].reverse();
        for (let i = 0; i < reversed.length; i += size + 1) await applyBatch(t.db, reversed.slice(i, i + size + 1));
        await applyBatch(t.db, items); // everything redelivered: nothing changes
        expect(await snapshot(t.db)).toEqual(forward);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('a result arriving in a later batch sets is_error and the duration, and curated attribution beats flea', async () => {
    await sql`truncate usage_v1.usage_events, usage_v1.usage_tool_results, usage_v1.usage_tool_daily, usage_v1.usage_plugin_daily`.execute(t.db);
    const use: UsageEventRow = {
      eventKey: 'toolu_x', entryKey: 'e', toolUseId: 'toolu_x', userName: 'ann', sessionId: 's1', project: '/w',
      ts: '2026-06-01T10:00:00.000Z', eventType: 'subagent', toolName: 'Task', skillName: null, subagentType: 'reviewer',
      mcpServer: null, commandName: null, streamSeq: 1,
    };
    await applyBatch(t.db, [{ kind: 'event', row: use }]);
    await applyBatch(t.db, [{ kind: 'result', row: { toolUseId: 'toolu_x', isError: true, ts: '2026-06-01T10:00:02.500Z', patchLines: 3 } }]);
    expect((await snapshot(t.db)).tool).toEqual(['2026-06-01|ann|Task|1|1|2500|1']);
    expect((await snapshot(t.db)).plugin).toEqual(['2026-06-01|ann|agent|reviewer|curated|c-1|1']);
  });
});
