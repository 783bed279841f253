import {
  evolveSession,
  initialSessionState,
  sessionCountsOf,
  sessionInsights,
  summarizeSession,
  tokensBySession,
  type CostMode,
  type PricingTable,
  type SessionCounts,
  type SessionInsights,
  type SessionState,
  type SessionSummary,
  type TotalledTokens,
  type UsageRecord,
} from '@ccpulse/domain';
import type { LoadedTranscripts } from './load-transcripts';

/** The summary's fields a report row shows besides its counts and the counters of the total. */
type RowFields = 'sessionId' | 'project' | 'startedAt' | 'endedAt' | 'activeSeconds' | 'wallSeconds' | 'distinctTools' | 'distinctSkills' | 'costUsd';

/** One `report sessions --json` row (field order as documented); the counts are `SESSION_COUNTS`. */
export interface SessionRow extends Pick<SessionSummary, RowFields>, SessionCounts, TotalledTokens {
  primaryModel: string | null;
}

export interface FoldedSessions {
  states: Map<string, SessionState>;
  summaries: SessionSummary[];
  records: UsageRecord[];
}

/** The same reducer the aggregator runs, over the deduplicated entries of the local files. */
export function foldSessions(loaded: LoadedTranscripts, opts: { mode: CostMode; pricing?: PricingTable }): FoldedSessions {
  const states = new Map<string, SessionState>();
  for (const entry of loaded.entries.entries()) {
    if (!entry.sessionId) continue;
    let state = states.get(entry.sessionId);
    if (!state) states.set(entry.sessionId, (state = initialSessionState(entry.sessionId)));
    const key = loaded.keys.get(entry)!;
    evolveSession(state, entry, { countToolUse: (id) => loaded.toolUses.isKept(id, key) });
  }
  const records = [...loaded.usage.records()];
  const tokens = tokensBySession(records, { costMode: opts.mode, pricing: opts.pricing });
  const summaries: SessionSummary[] = [];
  for (const [id, state] of states) {
    const summary = summarizeSession(state, tokens.get(id));
    if (summary) summaries.push(summary);
  }
  summaries.sort((a, b) => ((a.startedAt ?? '') < (b.startedAt ?? '') ? -1 : (a.startedAt ?? '') > (b.startedAt ?? '') ? 1 : a.sessionId < b.sessionId ? -1 : 1));
  return { states, summaries, records };
}

export function sessionRow(s: SessionSummary): SessionRow {
  const { sessionId, project, startedAt, endedAt, activeSeconds, wallSeconds, distinctTools, distinctSkills } = s;
  const { inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd } = s;
  // Key order is the documented JSON order.
  return {
    sessionId, project, startedAt, endedAt, activeSeconds, wallSeconds,
    ...sessionCountsOf(s),
    distinctTools, distinctSkills, primaryModel: s.primaryModel ?? null,
    inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd,
  };
}

/** Insights of one session: its state and the kept responses it owns. */
export function insightsOf(folded: FoldedSessions, sessionId: string, opts: { nowMs: number; mode: CostMode; pricing?: PricingTable }): SessionInsights | undefined {
  const state = folded.states.get(sessionId);
  if (!state) return undefined;
  const own = folded.records.filter((r) => r.sessionId === sessionId);
  return sessionInsights(state, own, { nowMs: opts.nowMs, costMode: opts.mode, pricing: opts.pricing });
}
