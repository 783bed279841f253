import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { compareByOrder, epochMicros, EVENT_COPY_ORDER } from '@ccpulse/domain';
import { copyRow } from '../copy-order.sql';
import { isoOrNull, table } from '../sql-helpers';
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

/** EVENT_COPY_ORDER (timestamps in microseconds): true when copy `a` is kept over `b`. */
function earlier(a: UsageEventRow, b: UsageEventRow): boolean {
  const value = (r: UsageEventRow) => (field: (typeof EVENT_COPY_ORDER)[number]['field']) => (field === 'ts' ? epochMicros(r.ts) : r[field]);
  return compareByOrder(EVENT_COPY_ORDER, value(a), value(b)) < 0;
}

/** The columns of EVENT_COPY_ORDER's fields under `alias`. */
export function eventCopyColumn(alias: string): (field: (typeof EVENT_COPY_ORDER)[number]['field']) => string {
  const columns = { ts: 'ts', sessionId: 'session_id', entryKey: 'entry_key' } as const;
  return (field) => `${alias}.${columns[field]}`;
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
      where ${sql.raw(copyRow(EVENT_COPY_ORDER, eventCopyColumn('excluded')))} < ${sql.raw(copyRow(EVENT_COPY_ORDER, eventCopyColumn('t')))}
      returning event_key, ${sql.raw(TOUCH_COLUMNS)}
    )
    select session_id, day, user_name, tool_name, plugin from up
    union all
    select old.session_id, old.day, old.user_name, old.tool_name, old.plugin from old join up using (event_key)`.execute(db);
  const ids = w.map((r) => r.toolUseId).filter((id): id is string => id !== null);
  const joined = await joinToolResults(db, schema, ids);
  return mergeTouches(touchesOf(touched.rows), joined);
}

/**
 * Deletes the events of entries whose stored copy was just replaced by another copy (the winner's
 * own events are upserted next): a copy that differs in content may carry other events, and the
 * loser's must not stay counted. Returns what the deletion touched.
 */
export async function deleteEventsOfEntries(db: Kysely<Database>, schema: string, entryKeys: readonly string[]): Promise<EventTouches> {
  if (entryKeys.length === 0) return { sessions: [], toolDays: [], pluginDays: [] };
  const gone = await sql<TouchedEventRow>`
    delete from ${table(schema, 'usage_events')} where entry_key = any(${[...new Set(entryKeys)]}::text[])
    returning ${sql.raw(TOUCH_COLUMNS)}`.execute(db);
  return touchesOf(gone.rows);
}
