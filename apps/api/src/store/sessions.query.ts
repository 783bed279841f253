import { type Kysely, sql } from 'kysely';
import type { Database } from '@ccpulse/db';
import type { MessageRecord, SessionModelRecord, SessionRecord, SessionToolRecord, SessionsPage, SessionsQuery } from './api-store';

/** A cursor we did not issue (or that was altered). */
export class BadCursorError extends Error {
  readonly code = 'BAD_CURSOR';
  constructor() {
    super('not a cursor from a previous page');
    this.name = 'BadCursorError';
  }
}

// Sessions without a start sort last: the key replaces null by -infinity.
const SORT_TS = sql`coalesce(started_at, '-infinity'::timestamptz)`;

/** Opaque keyset cursor: the sort key of the last row of a page. */
export function encodeCursor(startedAt: Date | null, id: string): string {
  return Buffer.from(JSON.stringify([startedAt ? startedAt.toISOString() : null, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && (v[0] === null || typeof v[0] === 'string') && typeof v[1] === 'string') {
      if (v[0] !== null && Number.isNaN(Date.parse(v[0]))) throw new BadCursorError();
      return { startedAt: v[0] ?? '-infinity', id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw new BadCursorError();
}

export function toSessionRecord(r: Record<string, any>): SessionRecord {
  return {
    id: r.session_id,
    user: r.user_name,
    project: r.project,
    gitBranch: r.git_branch,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    activeSeconds: Number(r.active_seconds),
    wallSeconds: Number(r.wall_seconds),
    userMessages: r.user_messages,
    assistantMessages: r.assistant_messages,
    prompts: r.prompts,
    toolCalls: r.tool_calls,
    toolErrors: r.tool_errors,
    skillInvocations: r.skill_invocations,
    subagentDispatches: r.subagent_dispatches,
    mcpCalls: r.mcp_calls,
    slashCommands: r.slash_commands,
    distinctTools: r.distinct_tools,
    distinctSkills: r.distinct_skills,
    primaryModel: r.primary_model,
    processorVersion: r.processor_version ?? null,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cacheReadTokens: r.cache_read_tokens,
    cacheCreationTokens: r.cache_creation_tokens,
    cacheCreation5mTokens: r.cache_creation_5m_tokens,
    cacheCreation1hTokens: r.cache_creation_1h_tokens,
    totalTokens: r.total_tokens,
    costUsd: Number(r.cost_usd),
    state: r.state,
  };
}

/** A page of sessions, newest first, by keyset on (started_at, session_id). */
export async function querySessions(db: Kysely<Database>, schema: string, q: SessionsQuery): Promise<SessionsPage> {
  let query = db.withSchema(schema).selectFrom('usage_session_summary').selectAll();
  if (q.users) query = query.where('user_name', 'in', q.users.length ? q.users : ['\u0000']);
  if (q.project !== undefined) query = query.where('project', '=', q.project);
  if (q.model !== undefined) query = query.where('primary_model', '=', q.model);
  if (q.from) query = query.where('started_at', '>=', q.from);
  if (q.to) query = query.where('started_at', '<', q.to);
  if (q.after) {
    const c = decodeCursor(q.after);
    query = query.where(sql<boolean>`(${SORT_TS}, session_id) < (${c.startedAt}::timestamptz, ${c.id})`);
  }
  const rows = await query
    .orderBy(SORT_TS, 'desc')
    .orderBy('session_id', 'desc')
    .limit(q.first + 1)
    .execute();
  const page = rows.slice(0, q.first).map((r) => toSessionRecord(r));
  return {
    rows: page,
    cursors: page.map((s) => encodeCursor(s.startedAt, s.id)),
    hasNextPage: rows.length > q.first,
  };
}

export async function querySession(db: Kysely<Database>, schema: string, id: string): Promise<SessionRecord | undefined> {
  const row = await db.withSchema(schema).selectFrom('usage_session_summary').selectAll().where('session_id', '=', id).executeTakeFirst();
  return row ? toSessionRecord(row) : undefined;
}

export async function querySessionModels(db: Kysely<Database>, schema: string, id: string): Promise<SessionModelRecord[]> {
  const r = await sql<SessionModelRecord>`
    select model, count(*)::int as messages,
      sum(input_tokens)::int8 as "inputTokens", sum(output_tokens)::int8 as "outputTokens",
      sum(cache_read_tokens)::int8 as "cacheReadTokens", sum(cache_creation_tokens)::int8 as "cacheCreationTokens",
      sum(cache_creation_5m_tokens)::int8 as "cacheCreation5mTokens", sum(cache_creation_1h_tokens)::int8 as "cacheCreation1hTokens",
      sum(total_tokens)::int8 as "totalTokens", coalesce(sum(cost_usd), 0)::float8 as "costUsd"
    from ${sql.table(`${schema}.usage_messages`)}
    where session_id = ${id}
    group by model order by "totalTokens" desc, model`.execute(db);
  return r.rows;
}

export async function querySessionTools(db: Kysely<Database>, schema: string, id: string): Promise<SessionToolRecord[]> {
  const r = await sql<SessionToolRecord>`
    select tool_name as name, event_type as kind, count(*)::int as calls,
      count(*) filter (where is_error)::int as errors,
      avg(duration_ms)::float8 as "avgDurationMs"
    from ${sql.table(`${schema}.usage_events`)}
    where session_id = ${id} and tool_name is not null
    group by tool_name, event_type order by calls desc, name`.execute(db);
  return r.rows;
}

export const MESSAGE_COLUMNS = sql`ts as at, user_name as "user", session_id as "sessionId", model,
  input_tokens as "inputTokens", output_tokens as "outputTokens", cache_read_tokens as "cacheReadTokens",
  cache_creation_tokens as "cacheCreationTokens", cache_creation_5m_tokens as "cacheCreation5mTokens",
  cache_creation_1h_tokens as "cacheCreation1hTokens", total_tokens as "totalTokens", cost_usd::float8 as "costUsd"`;

export async function querySessionMessages(db: Kysely<Database>, schema: string, id: string, limit: number): Promise<MessageRecord[]> {
  const r = await sql<MessageRecord>`
    select ${MESSAGE_COLUMNS} from ${sql.table(`${schema}.usage_messages`)}
    where session_id = ${id} and ts is not null
    order by ts, message_key limit ${limit}`.execute(db);
  return r.rows;
}
