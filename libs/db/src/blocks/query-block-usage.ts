import type { Kysely } from 'kysely';
import type { Database } from '../database';

/** One kept message, the input of the domain's 5-hour block computation. */
export interface BlockUsageRecord {
  ts: Date;
  userName: string;
  sessionId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  totalTokens: number;
  costUsd: number;
}

/** Kept usage of a user (or the team, without `user`) with ts in `[from, to)`, oldest first. */
export async function queryBlockUsage(
  db: Kysely<Database>,
  schema: string,
  q: { from: Date; to: Date; user?: string },
): Promise<BlockUsageRecord[]> {
  let query = db
    .withSchema(schema)
    .selectFrom('usage_messages')
    .select([
      'ts', 'user_name', 'session_id', 'model', 'input_tokens', 'output_tokens',
      'cache_read_tokens', 'cache_creation_tokens', 'total_tokens', 'cost_usd',
    ])
    .where('ts', '>=', q.from)
    .where('ts', '<', q.to);
  if (q.user !== undefined) query = query.where('user_name', '=', q.user);
  const rows = await query.orderBy('ts').orderBy('message_key').execute();
  return rows.map((r) => ({
    ts: r.ts as Date,
    userName: r.user_name,
    sessionId: r.session_id,
    model: r.model,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cacheReadTokens: r.cache_read_tokens,
    cacheCreationTokens: r.cache_creation_tokens,
    totalTokens: r.total_tokens,
    costUsd: r.cost_usd,
  }));
}
