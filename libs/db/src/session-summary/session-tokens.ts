import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import type { UsageSums } from '../messages/usage-sums';
import { table } from '../sql-helpers';

/** Token and cost totals of a session's kept messages. */
export interface SessionTokens extends UsageSums {
  sessionId: string;
}

/** Sums of `usage_messages` per session (the keep-max winners only); sessions with none get zeros. */
export async function sessionTokens(db: Kysely<Database>, schema: string, sessionIds: readonly string[]): Promise<Map<string, SessionTokens>> {
  const ids = [...new Set(sessionIds)];
  const out = new Map<string, SessionTokens>();
  if (ids.length === 0) return out;
  const result = await sql<Record<string, number> & { session_id: string }>`
    select s.session_id,
      coalesce(sum(m.input_tokens), 0) as i, coalesce(sum(m.output_tokens), 0) as o,
      coalesce(sum(m.cache_read_tokens), 0) as cr, coalesce(sum(m.cache_creation_tokens), 0) as cc,
      coalesce(sum(m.cache_creation_5m_tokens), 0) as c5, coalesce(sum(m.cache_creation_1h_tokens), 0) as c1,
      coalesce(sum(m.total_tokens), 0) as tot, coalesce(sum(m.cost_usd), 0) as cost, count(m.message_key) as n
    from unnest(${ids}::text[]) as s(session_id)
    left join ${table(schema, 'usage_messages')} m on m.session_id = s.session_id
    group by s.session_id`.execute(db);
  for (const r of result.rows) {
    out.set(r.session_id, {
      sessionId: r.session_id,
      inputTokens: Number(r.i),
      outputTokens: Number(r.o),
      cacheReadTokens: Number(r.cr),
      cacheCreationTokens: Number(r.cc),
      cacheCreation5mTokens: Number(r.c5),
      cacheCreation1hTokens: Number(r.c1),
      totalTokens: Number(r.tot),
      costUsd: Number(r.cost),
      messages: Number(r.n),
    });
  }
  return out;
}
