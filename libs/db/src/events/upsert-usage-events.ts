import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { compareText, isoOrNull, msOrInfinity, table } from '../sql-helpers';
import type { UsageEventType } from '../tables/usage-events.table';
import type { EventTouches } from './event-keys';
import { joinToolResults } from './join-tool-results';
import { mergeTouches, TOUCH_COLUMNS, type TouchedEventRow, touchesOf } from './touches';

/** One classified event (tool use, subagent, MCP call, slash command). */
export interface UsageEventRow {
  /** tool_use id, else `entry_key#n` */
  eventKey: string;
  entryKey: string;
  toolUseId: string | null;
  userName: string;
  sessionId: string;
  project: string | null;
  ts: Date | string | null;
  eventType: UsageEventType;
  toolName: string | null;
  skillName: string | null;
  subagentType: string | null;
  mcpServer: string | null;
  commandName: string | null;
  streamSeq: number;
}

function earlier(a: UsageEventRow, b: UsageEventRow): boolean {
  const ta = msOrInfinity(a.ts);
  const tb = msOrInfinity(b.ts);
  if (ta !== tb) return ta < tb;
  const c = compareText(a.sessionId, b.sessionId);
  return c !== 0 ? c < 0 : compareText(a.entryKey, b.entryKey) < 0;
}

/**
 * Upserts events by key keeping the earliest copy (then the smallest session id), then joins
 * any stored tool results onto them. Returns the touched sessions and rollup keys, old and new.
 */
export async function upsertUsageEvents(db: Kysely<Database>, schema: string, rows: readonly UsageEventRow[]): Promise<EventTouches> {
  if (rows.length === 0) return { sessions: [], toolDays: [], pluginDays: [] };
  const best = new Map<string, UsageEventRow>();
  for (const r of rows) {
    const cur = best.get(r.eventKey);
    if (!cur || earlier(r, cur)) best.set(r.eventKey, r);
  }
  const w = [...best.values()];
  const t = table(schema, 'usage_events');
  const touched = await sql<TouchedEventRow>`
    with old as (
      select event_key, ${sql.raw(TOUCH_COLUMNS)} from ${t} where event_key = any(${w.map((r) => r.eventKey)}::text[])
    ), up as (
      insert into ${t} as t (event_key, entry_key, tool_use_id, user_name, session_id, project, ts, event_type,
        tool_name, skill_name, subagent_type, mcp_server, command_name, stream_seq)
      select * from unnest(
        ${w.map((r) => r.eventKey)}::text[], ${w.map((r) => r.entryKey)}::text[], ${w.map((r) => r.toolUseId)}::text[],
        ${w.map((r) => r.userName)}::text[], ${w.map((r) => r.sessionId)}::text[], ${w.map((r) => r.project)}::text[],
        ${w.map((r) => isoOrNull(r.ts))}::timestamptz[], ${w.map((r) => r.eventType)}::text[],
        ${w.map((r) => r.toolName)}::text[], ${w.map((r) => r.skillName)}::text[], ${w.map((r) => r.subagentType)}::text[],
        ${w.map((r) => r.mcpServer)}::text[], ${w.map((r) => r.commandName)}::text[], ${w.map((r) => r.streamSeq)}::bigint[])
      on conflict (event_key) do update set
        entry_key = excluded.entry_key, tool_use_id = excluded.tool_use_id, user_name = excluded.user_name,
        session_id = excluded.session_id, project = excluded.project, ts = excluded.ts, event_type = excluded.event_type,
        tool_name = excluded.tool_name, skill_name = excluded.skill_name, subagent_type = excluded.subagent_type,
        mcp_server = excluded.mcp_server, command_name = excluded.command_name, stream_seq = excluded.stream_seq
      where (coalesce(excluded.ts, 'infinity'), excluded.session_id collate "C", excluded.entry_key collate "C")
          < (coalesce(t.ts, 'infinity'), t.session_id collate "C", t.entry_key collate "C")
      returning event_key, ${sql.raw(TOUCH_COLUMNS)}
    )
    select session_id, day, user_name, tool_name, plugin from up
    union all
    select old.session_id, old.day, old.user_name, old.tool_name, old.plugin from old join up using (event_key)`.execute(db);
  const ids = w.map((r) => r.toolUseId).filter((id): id is string => id !== null);
  const joined = await joinToolResults(db, schema, ids);
  return mergeTouches(touchesOf(touched.rows), joined);
}
