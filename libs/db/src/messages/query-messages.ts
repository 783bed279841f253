import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table } from '../sql-helpers';
import type { TokenTotals } from './usage-sums';

/** One kept API response: what blocks, timelines and burn rates are computed from. */
export interface MessageRecord extends TokenTotals {
  /** `message.id:requestId`, else the entry key. */
  key: string;
  at: Date;
  isSidechain: boolean;
  project: string | null;
  user: string;
  sessionId: string;
  model: string;
}

/** Instants `[from, to)`, for everyone or some users. */
export interface MessageWindow {
  users?: string[];
  from: Date;
  to: Date;
}

const MESSAGE_COLUMNS = sql`message_key as key, ts as at, is_sidechain as "isSidechain", project, user_name as "user", session_id as "sessionId", model,
  input_tokens as "inputTokens", output_tokens as "outputTokens", cache_read_tokens as "cacheReadTokens",
  cache_creation_tokens as "cacheCreationTokens", cache_creation_5m_tokens as "cacheCreation5mTokens",
  cache_creation_1h_tokens as "cacheCreation1hTokens", total_tokens as "totalTokens", cost_usd::float8 as "costUsd"`;

const inWindow = (q: MessageWindow) => sql`ts >= ${q.from} and ts < ${q.to}
  ${q.users ? sql`and user_name = any(${q.users}::text[])` : sql``}`;

/** A session's kept responses with a timestamp, oldest first. */
export async function querySessionMessages(db: Kysely<Database>, schema: string, sessionId: string, limit: number): Promise<MessageRecord[]> {
  const r = await sql<MessageRecord>`
    select ${MESSAGE_COLUMNS} from ${table(schema, 'usage_messages')}
    where session_id = ${sessionId} and ts is not null
    order by ts, message_key limit ${limit}`.execute(db);
  return r.rows;
}

/** Kept responses in the window, oldest first. */
export async function queryMessages(db: Kysely<Database>, schema: string, q: MessageWindow & { limit: number }): Promise<MessageRecord[]> {
  const r = await sql<MessageRecord>`
    select ${MESSAGE_COLUMNS} from ${table(schema, 'usage_messages')}
    where ${inWindow(q)}
    order by ts limit ${q.limit}`.execute(db);
  return r.rows;
}

/** The cost of the kept responses in the window. */
export async function queryCostBetween(db: Kysely<Database>, schema: string, q: MessageWindow): Promise<number> {
  const r = await sql<{ cost: number }>`
    select coalesce(sum(cost_usd), 0)::float8 as cost from ${table(schema, 'usage_messages')}
    where ${inWindow(q)}`.execute(db);
  return r.rows[0]?.cost ?? 0;
}

/** Per session: tokens of its kept responses whose model has no price (sessions without any are absent). */
export async function queryUnpricedTokens(db: Kysely<Database>, schema: string, sessionIds: readonly string[]): Promise<Map<string, number | bigint>> {
  const r = await sql<{ id: string; tokens: number | bigint }>`
    select session_id as id, sum(total_tokens)::int8 as tokens from ${table(schema, 'usage_messages')}
    where session_id = any(${[...sessionIds]}::text[]) and unpriced group by session_id`.execute(db);
  return new Map(r.rows.map((row) => [row.id, row.tokens]));
}
