import type { Entry } from '@ccpulse/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { compareByOrder, ENTRY_COPY_ORDER, epochMicros } from '@ccpulse/domain';
import { copyRow } from '../copy-order.sql';
import { isoOrNull, table } from '../sql-helpers';

/** One entry to store (the aggregator builds it from an envelope). */
export interface EntryRow {
  /** the uuid, else `user:file:offset` */
  entryKey: string;
  userName: string;
  sessionId: string;
  ts: Date | string | null;
  kind: string;
  project: string | null;
  isPrompt: boolean;
  streamSeq: number;
  /** entryContentKey of the envelope's entry: the last tie-break between copies */
  contentKey: string;
  entry: Entry;
}

/**
 * What happened to one row: a new key, a copy that beat the stored winner (earlier ts, then
 * smaller session id) — `previousSessionId` is the session it was taken from — or a duplicate
 * that changed nothing.
 */
export type EntryInsertOutcome =
  | { entryKey: string; status: 'inserted' }
  | { entryKey: string; status: 'replaced'; previousSessionId: string }
  | { entryKey: string; status: 'duplicate' };

/**
 * The entries as one JSON array text. A `text[]` parameter would make the driver escape every
 * quote of every entry into an array literal, and Postgres unescape it again, for each row.
 */
function jsonArray(entries: readonly Entry[]): string {
  return `[${entries.map((e) => JSON.stringify(e)).join(',')}]`;
}

/** Whether copy `a` beats copy `b` under the uuid winner rule. */
export function entryWins(a: Pick<EntryRow, 'ts' | 'sessionId' | 'contentKey'>, b: Pick<EntryRow, 'ts' | 'sessionId' | 'contentKey'>): boolean {
  const value = (r: Pick<EntryRow, 'ts' | 'sessionId' | 'contentKey'>) => (field: (typeof ENTRY_COPY_ORDER)[number]['field']) =>
    field === 'ts' ? epochMicros(r.ts) : field === 'sessionId' ? r.sessionId : r.contentKey;
  return compareByOrder(ENTRY_COPY_ORDER, value(a), value(b)) < 0;
}

/** The columns of ENTRY_COPY_ORDER's fields under `alias` (`session` names the session id column). */
export function entryCopyColumn(alias: string, session = 'session_id', content = 'content_key'): (field: (typeof ENTRY_COPY_ORDER)[number]['field']) => string {
  return (field) => (field === 'ts' ? `${alias}.ts` : field === 'sessionId' ? `${alias}.${session}` : `${alias}.${content}`);
}

/**
 * Stores entries by key with the uuid-winner rule, in one statement. Returns one outcome per
 * input row, in input order; within a batch only the winning copy of a key can be
 * inserted/replaced, the others are duplicates. Applying the same rows again yields only
 * duplicates.
 */
export async function insertEntries(db: Kysely<Database>, schema: string, rows: readonly EntryRow[]): Promise<EntryInsertOutcome[]> {
  if (rows.length === 0) return [];
  // by index, not identity: the same row object may be passed twice
  const best = new Map<string, number>();
  rows.forEach((r, i) => {
    const cur = best.get(r.entryKey);
    if (cur === undefined || entryWins(r, rows[cur])) best.set(r.entryKey, i);
  });
  const winners = [...best.values()].map((i) => rows[i]);
  const t = table(schema, 'usage_entries');
  const result = await sql<{ entry_key: string; previous_session: string | null }>`
    with old as (
      select entry_key, session_id, ts, content_key from ${t} where entry_key = any(${winners.map((r) => r.entryKey)}::text[])
    ), up as (
      insert into ${t} as t (entry_key, user_name, session_id, ts, kind, project, is_prompt, stream_seq, content_key, entry)
      select k, u, s, x.ts, kind, p, ip, seq, ck, e::jsonb from rows from (
        unnest(${winners.map((r) => r.entryKey)}::text[]), unnest(${winners.map((r) => r.userName)}::text[]),
        unnest(${winners.map((r) => r.sessionId)}::text[]), unnest(${winners.map((r) => isoOrNull(r.ts))}::timestamptz[]),
        unnest(${winners.map((r) => r.kind)}::text[]), unnest(${winners.map((r) => r.project)}::text[]),
        unnest(${winners.map((r) => r.isPrompt)}::boolean[]), unnest(${winners.map((r) => r.streamSeq)}::bigint[]),
        unnest(${winners.map((r) => r.contentKey)}::text[]),
        json_array_elements(${jsonArray(winners.map((r) => r.entry))}::json)
      ) as x(k, u, s, ts, kind, p, ip, seq, ck, e)
      left join old on old.entry_key = x.k
      -- A copy that loses to the stored one would change nothing: left out before its entry is
      -- parsed and its insert attempted (redeliveries and resumed sessions repeat whole batches).
      where old.entry_key is null
        or ${sql.raw(copyRow(ENTRY_COPY_ORDER, entryCopyColumn('x', 's', 'ck')))} < ${sql.raw(copyRow(ENTRY_COPY_ORDER, entryCopyColumn('old')))}
      on conflict (entry_key) do update set
        user_name = excluded.user_name, session_id = excluded.session_id, ts = excluded.ts,
        kind = excluded.kind, project = excluded.project, is_prompt = excluded.is_prompt,
        stream_seq = excluded.stream_seq, content_key = excluded.content_key, entry = excluded.entry
      where ${sql.raw(copyRow(ENTRY_COPY_ORDER, entryCopyColumn('excluded')))} < ${sql.raw(copyRow(ENTRY_COPY_ORDER, entryCopyColumn('t')))}
      returning entry_key
    )
    select up.entry_key, old.session_id as previous_session from up left join old using (entry_key)`.execute(db);
  const written = new Map(result.rows.map((r) => [r.entry_key, r.previous_session]));
  return rows.map((r, i) => {
    if (best.get(r.entryKey) !== i || !written.has(r.entryKey)) return { entryKey: r.entryKey, status: 'duplicate' };
    const prev = written.get(r.entryKey);
    return prev == null ? { entryKey: r.entryKey, status: 'inserted' } : { entryKey: r.entryKey, status: 'replaced', previousSessionId: prev };
  });
}
