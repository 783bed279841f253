import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../database';
import { InvalidCursorError } from '../errors';
import type { UsageSessionSummaryTable } from '../tables/usage-session-summary.table';

/** A stored session summary as read. */
export type SessionSummaryRecord = Selectable<UsageSessionSummaryTable>;

/** Filters of the sessions page; `from`/`to` bound `started_at` as `[from, to)`. */
export interface SessionsQuery {
  user?: string;
  project?: string;
  /** the session's primary model */
  model?: string;
  from?: Date;
  to?: Date;
  /** 1..500, default 50 */
  limit?: number;
  /** `nextCursor` of the previous page (of the same order) */
  after?: string;
  /** `lastActive` (default): latest ended_at first; `started`: latest started_at first */
  order?: SessionOrder;
}

/** Which instant a sessions page sorts by, latest first. */
export type SessionOrder = 'lastActive' | 'started';

export interface SessionsPage {
  items: SessionSummaryRecord[];
  /** null on the last page */
  nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 500;

/**
 * Sessions latest first by the order's instant (ended_at: last activity, or started_at), then
 * session_id desc, with a keyset cursor: pages stay stable while new sessions arrive (they land
 * before the first page, never inside a later one). Under `lastActive` a session that grows moves
 * to the top, so a later page may miss it; a reload shows it. Sessions without a start time are
 * not listed.
 */
export async function querySessions(db: Kysely<Database>, schema: string, q: SessionsQuery = {}): Promise<SessionsPage> {
  const limit = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.trunc(q.limit ?? 50)));
  const order = q.order ?? 'lastActive';
  const cursor = q.after ? decodeCursor(q.after, order) : null;
  const key = order === 'lastActive' ? 'ended_at' : 'started_at';
  let query = db
    .withSchema(schema)
    .selectFrom('usage_session_summary')
    .selectAll()
    .select(sql<string>`to_char(${sql.ref(key)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_ts'))
    .where('started_at', 'is not', null);
  if (q.user !== undefined) query = query.where('user_name', '=', q.user);
  if (q.project !== undefined) query = query.where('project', '=', q.project);
  if (q.model !== undefined) query = query.where('primary_model', '=', q.model);
  if (q.from) query = query.where('started_at', '>=', q.from);
  if (q.to) query = query.where('started_at', '<', q.to);
  if (cursor) {
    query = query.where(sql<boolean>`(${sql.ref(key)}, session_id) < (${cursor.at}::timestamptz, ${cursor.sessionId})`);
  }
  const rows = await query.orderBy(key, 'desc').orderBy('session_id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ cursor_ts: _, ...row }) => row),
    nextCursor: rows.length > limit && last ? encodeSessionCursor(last.cursor_ts, last.session_id, order) : null,
  };
}

/** One session's summary, or null. */
export async function querySession(db: Kysely<Database>, schema: string, sessionId: string): Promise<SessionSummaryRecord | null> {
  const row = await db.withSchema(schema).selectFrom('usage_session_summary').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  return row ?? null;
}

// The cursor keeps microseconds: the instants may carry them and a JS Date would round them off,
// which could skip or repeat a row. So it carries Postgres' own text of the instant. A
// `lastActive` cursor is tagged so a cursor of one order is refused by the other.
/** The keyset cursor of a sessions page: `[instant, session_id]`, plus `"a"` for `lastActive`. */
export function encodeSessionCursor(at: string, sessionId: string, order: SessionOrder): string {
  return Buffer.from(JSON.stringify(order === 'lastActive' ? [at, sessionId, 'a'] : [at, sessionId]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, order: SessionOrder): { at: string; sessionId: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const tagged = order === 'lastActive';
    if (Array.isArray(v) && v.length === (tagged ? 3 : 2) && (!tagged || v[2] === 'a') && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) {
      return { at: v[0], sessionId: v[1] };
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}
