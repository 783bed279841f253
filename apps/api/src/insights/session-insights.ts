import {
  costProjection,
  initialSessionState,
  sessionCountsOf,
  sessionInsights,
  type SessionInsights,
  type SessionState,
  type UsageRecord,
} from '@ccpulse/domain';
import type { MessageRecord } from '@ccpulse/db';
import type { SessionRecord } from '../store/api-store';

/** A stored message as the domain's usage record; its stored cost is kept (`display` mode). */
export function toUsageRecord(m: MessageRecord): UsageRecord {
  const tokens = {
    input: Number(m.inputTokens),
    output: Number(m.outputTokens),
    cacheRead: Number(m.cacheReadTokens),
    cacheCreation: Number(m.cacheCreationTokens),
    cacheCreation5m: Number(m.cacheCreation5mTokens),
    cacheCreation1h: Number(m.cacheCreation1hTokens),
  };
  return {
    key: m.key,
    entryKey: m.key,
    sessionId: m.sessionId,
    ts: m.at ? m.at.getTime() : undefined,
    model: m.model,
    isSidechain: m.isSidechain,
    project: m.project ?? undefined,
    tokens,
    total: Number(m.totalTokens),
    costUsd: m.costUsd,
  };
}

/** The stored session state when it is the domain's; else one rebuilt from the summary's counts. */
export function sessionStateOf(s: SessionRecord): SessionState {
  const st = s.state as Partial<SessionState> | null;
  if (st && st.v === 1 && typeof st.tools === 'object' && st.edits && Array.isArray(st.activity)) return st as SessionState;
  return {
    ...initialSessionState(s.id),
    ...sessionCountsOf(s),
    firstTs: s.startedAt?.getTime(),
    lastTs: s.endedAt?.getTime(),
    activity: s.startedAt && s.endedAt ? [[s.startedAt.getTime(), s.startedAt.getTime() + s.activeSeconds * 1000]] : [],
    models: s.primaryModel ? { [s.primaryModel]: s.assistantMessages } : {},
  };
}

/** The domain's insights over the stored state and kept messages. */
export function insightsOf(s: SessionRecord, messages: readonly MessageRecord[], nowMs: number): SessionInsights {
  return sessionInsights(sessionStateOf(s), messages.map(toUsageRecord), { nowMs, costMode: 'display' });
}

/** Ratios of the summary row plus the domain's changed lines and tokens-per-line score. */
export function efficiencyOf(s: SessionRecord, i: SessionInsights) {
  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
  const input = Number(s.inputTokens) + Number(s.cacheReadTokens) + Number(s.cacheCreationTokens);
  return {
    successfulEdits: i.efficiency.successfulEdits,
    patchLines: i.efficiency.patchLines,
    linesAdded: i.efficiency.linesAdded,
    linesRemoved: i.efficiency.linesRemoved,
    changes: i.efficiency.changedLines,
    tokensPerChange: i.efficiency.tokensPerChange ?? null,
    cacheHitRatio: ratio(Number(s.cacheReadTokens), input),
    outputTokensPerPrompt: ratio(Number(s.outputTokens), s.prompts),
    costPerPromptUsd: ratio(s.costUsd, s.prompts),
    tokensPerActiveMinute: ratio(Number(s.totalTokens), s.activeSeconds / 60),
    toolErrorRate: ratio(s.toolErrors, s.toolCalls + s.subagentDispatches + s.mcpCalls),
    activeRatio: ratio(s.activeSeconds, s.wallSeconds),
  };
}

/** The domain's trailing-hour spend rate against a budget, in the schema's terms. */
export function sessionCostProjection(i: SessionInsights, budgetUsd: number, nowMs: number) {
  const p = costProjection(i, budgetUsd, { nowMs });
  return {
    budgetUsd: p.budgetUsd,
    spentUsd: p.spentUsd,
    remainingUsd: p.remainingUsd,
    burnRateUsdPerHour: p.usdPerHour,
    windowMinutes: p.windowMinutes,
    hoursToBudget: p.hoursToExhaust ?? null,
    exhaustsAt: p.exhaustsAt ?? null,
    overBudget: p.spentUsd > budgetUsd,
  };
}
