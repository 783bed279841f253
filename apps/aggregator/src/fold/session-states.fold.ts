import {
  evolveSession,
  initialSessionState,
  SESSION_COUNTS,
  sessionHours,
  summarizeSession,
  TOKEN_FIELDS,
  totalOfTokenFields,
  type Entry,
  type SessionState,
  type SessionSummary,
} from '@ccpulse/domain';
import {
  deleteSessionSummaries,
  loadSessionEntries,
  loadStoredSessions,
  replaceSessionHours,
  sessionTokens,
  sessionToolUses,
  sessionUsers,
  toColumns,
  upsertSessionSummaries,
  type Database,
  type SessionHoursOf,
  type SessionSummaryRow,
  type ToolUseOwners,
} from '@ccpulse/db';
import type { Kysely } from 'kysely';
import type { KeyedEntry } from './fold-rows';

export interface SessionFoldInput {
  schema: string;
  processorVersion: number;
  lastSeq: number;
  /** Entries of this batch that became the stored winner of their key. */
  winners: readonly KeyedEntry[];
  /** Sessions that lost an entry or a tool use to another copy: refolded from stored entries. */
  rebuild: ReadonlySet<string>;
  /** Sessions whose kept responses changed (token totals to re-sum). */
  tokenTouched: readonly string[];
  /** Who owns each tool_use id of the batch after its event upsert. */
  owners: ToolUseOwners;
}

/** Sessions whose summary row was written or deleted, with their user. */
export type WrittenSessions = Map<string, string>;

/**
 * Brings the summary rows of every touched session up to date: evolve the stored state with the
 * batch's new winners (any order gives the same state), or refold a session from its stored
 * entries when one of its entries or tool uses moved elsewhere (or it has no stored state yet),
 * then summarise with the session's token sums. A session left without user or assistant lines
 * loses its row.
 */
export async function foldSessionStates(trx: Kysely<Database>, input: SessionFoldInput): Promise<WrittenSessions> {
  const { schema } = input;
  const bySession = new Map<string, KeyedEntry[]>();
  for (const w of input.winners) {
    if (!w.sessionId) continue;
    (bySession.get(w.sessionId) ?? bySession.set(w.sessionId, []).get(w.sessionId)!).push(w);
  }
  const ids = [...new Set([...bySession.keys(), ...input.rebuild, ...input.tokenTouched])].filter((s) => s !== '');
  if (ids.length === 0) return new Map();

  const stored = await loadStoredSessions(trx, schema, ids);
  const states = new Map<string, SessionState>();
  const users = new Map<string, string>();
  for (const id of ids) {
    const batch = bySession.get(id);
    const row = stored.get(id);
    // The first user to publish a session keeps it, however the stream is cut into batches.
    const user = row?.user ?? batch?.[0].envelope.user;
    if (user) users.set(id, user);
    if (input.rebuild.has(id) || !row) {
      states.set(id, await refold(trx, schema, id));
    } else if (batch) {
      const state = row.state as SessionState;
      for (const k of batch) {
        evolveSession(state, k.entry, { countToolUse: (toolUseId) => input.owners.get(toolUseId)?.entryKey === k.key });
      }
      states.set(id, state);
    } else {
      states.set(id, row.state as SessionState);
    }
  }
  const missingUsers = ids.filter((id) => !users.has(id));
  if (missingUsers.length > 0) for (const [id, user] of await sessionUsers(trx, schema, missingUsers)) users.set(id, user);

  const tokens = await sessionTokens(trx, schema, ids);
  const rows: SessionSummaryRow[] = [];
  const hours: SessionHoursOf[] = [];
  const gone: string[] = [];
  for (const id of ids) {
    const t = tokens.get(id);
    const summary = summarizeSession(states.get(id)!, {
      tokens: {
        input: t?.inputTokens ?? 0,
        output: t?.outputTokens ?? 0,
        cacheRead: t?.cacheReadTokens ?? 0,
        cacheCreation: t?.cacheCreationTokens ?? 0,
        cacheCreation5m: t?.cacheCreation5mTokens ?? 0,
        cacheCreation1h: t?.cacheCreation1hTokens ?? 0,
      },
      costUsd: t?.costUsd ?? 0,
    });
    if (summary && users.has(id)) {
      rows.push(summaryRow(summary, states.get(id)!, users.get(id)!, input));
      hours.push({ sessionId: id, userName: users.get(id)!, project: summary.project ?? null, hours: sessionHours(states.get(id)!) });
    } else if (stored.has(id)) gone.push(id);
  }
  await upsertSessionSummaries(trx, schema, rows);
  await replaceSessionHours(trx, schema, hours, gone);
  await deleteSessionSummaries(trx, schema, gone);
  return new Map(ids.filter((id) => users.has(id)).map((id) => [id, users.get(id)!]));
}

/** Folds a session again from every stored winner entry it has. */
async function refold(trx: Kysely<Database>, schema: string, sessionId: string): Promise<SessionState> {
  const entries = await loadSessionEntries(trx, schema, sessionId);
  const owned = await sessionToolUses(trx, schema, sessionId);
  const state = initialSessionState(sessionId);
  for (const entry of entries) evolveSession(state, entry, { countToolUse: (id) => counts(owned, id, entry) });
  return state;
}

/**
 * Whether this entry's copy of a tool use is the counted one. Loaded entries carry their uuid
 * (every line with tool uses has one in practice); without it, the session owning the id decides.
 */
function counts(owned: Map<string, string>, toolUseId: string, entry: Entry): boolean {
  const owner = owned.get(toolUseId);
  if (owner === undefined) return false;
  return entry.uuid === undefined || owner === entry.uuid;
}

/** The summary's row; its counts and token counters go under their columns, one line per list. */
function summaryRow(s: SessionSummary, state: SessionState, user: string, input: SessionFoldInput): SessionSummaryRow {
  return {
    session_id: s.sessionId,
    user_name: user,
    project: s.project ?? null,
    git_branch: s.gitBranch ?? null,
    started_at: s.startedAt ?? null,
    ended_at: s.endedAt ?? null,
    active_seconds: s.activeSeconds,
    wall_seconds: s.wallSeconds,
    ...toColumns(SESSION_COUNTS, s),
    distinct_tools: s.distinctTools,
    distinct_skills: s.distinctSkills,
    primary_model: s.primaryModel ?? null,
    ...toColumns(TOKEN_FIELDS, s),
    total_tokens: totalOfTokenFields(s),
    cost_usd: s.costUsd.toFixed(9),
    processor_version: input.processorVersion,
    state: JSON.stringify(state),
    last_seq: input.lastSeq,
  };
}
