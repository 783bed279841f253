import type { TokenCounts } from '../entry/entry';
import { formatInstant } from '../entry/timestamp';
import { PROCESSOR_VERSION } from '../version';
import { activeMs } from './activity';
import type { SessionState } from './session-state';
import { sessionCountsOf, type SessionCounts } from './session-counts';
import { tokenFieldsOf, ZERO_TOKENS, type TokenFields } from '../usage/token-fields';

/** The tokens of a session: the kept responses whose (kept) sessionId is this session. */
export interface SessionTokens {
  tokens: TokenCounts;
  costUsd: number;
}

/**
 * One row of `usage_session_summary`: the fields of counting-rules "Session summary", camelCased.
 * The reducer's counts are `SESSION_COUNTS` (session-counts.ts), the tokens `TOKEN_FIELDS`.
 */
export interface SessionSummary extends SessionCounts, TokenFields {
  sessionId: string;
  /** RFC 3339 (UTC, milliseconds); absent when no line of the session has a timestamp. */
  startedAt?: string;
  endedAt?: string;
  activeSeconds: number;
  wallSeconds: number;
  distinctTools: number;
  distinctSkills: number;
  /** Most frequent model over assistant lines, ties to the smaller name; absent with none. */
  primaryModel?: string;
  costUsd: number;
  /** The project of the session's earliest line with a cwd (see projectIdentity). */
  project?: string;
  /** The subagent worktree that line ran in, if any. */
  worktree?: string;
  gitBranch?: string;
  processorVersion: number;
}

/** The summary row of a session, or undefined when it has no user and no assistant line. */
export function summarizeSession(state: SessionState, tokens: SessionTokens = { tokens: ZERO_TOKENS, costUsd: 0 }): SessionSummary | undefined {
  if (state.userMessages === 0 && state.assistantMessages === 0) return undefined;
  const summary: SessionSummary = {
    sessionId: state.sessionId,
    activeSeconds: Math.trunc(activeMs(state.activity) / 1000),
    wallSeconds: state.firstTs !== undefined && state.lastTs !== undefined ? Math.trunc((state.lastTs - state.firstTs) / 1000) : 0,
    ...sessionCountsOf(state),
    distinctTools: Object.keys(state.tools).length,
    distinctSkills: Object.keys(state.skills).length,
    ...tokenFieldsOf(tokens.tokens),
    costUsd: tokens.costUsd,
    processorVersion: PROCESSOR_VERSION,
  };
  if (state.firstTs !== undefined) summary.startedAt = formatInstant(state.firstTs);
  if (state.lastTs !== undefined) summary.endedAt = formatInstant(state.lastTs);
  const primary = primaryModel(state.models);
  if (primary) summary.primaryModel = primary;
  if (state.project !== undefined) summary.project = state.project;
  if (state.worktree !== undefined) summary.worktree = state.worktree;
  if (state.gitBranch !== undefined) summary.gitBranch = state.gitBranch;
  return summary;
}

/** Most frequent model, ties broken by the alphabetically smaller name. */
export function primaryModel(models: Record<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [model, n] of Object.entries(models)) {
    if (n > bestCount || (n === bestCount && best !== undefined && model < best)) {
      best = model;
      bestCount = n;
    }
  }
  return best;
}
