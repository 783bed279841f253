import type { TokenCounts } from '../entry/entry';
import { recordCost, type CostMode } from '../pricing/cost';
import type { PricingTable } from '../pricing/pricing.table';
import { addOutcomeTotals, zeroOutcomeTotals } from '../outcomes/outcome-fields';
import { activeMs, activeMsBetween } from '../session/activity';
import { primaryModel } from '../session/session-summary';
import { addTokens, totalTokens as totalOf, zeroTokens } from '../usage/token-fields';
import type { SessionState } from '../session/session-state';
import type { UsageRecord } from '../usage/usage-record';
import { addToTimeline, initialTimeline, timelinePoints, type TimelinePoint, type TimelineState } from './timeline';

export interface ModelUsage {
  model: string;
  messages: number;
  tokens: TokenCounts;
  totalTokens: number;
  costUsd: number;
}

export interface ToolUsage {
  name: string;
  calls: number;
  errors: number;
  /** errors / joined-or-not calls. */
  failureRate: number;
  /** Mean use→result time of the calls whose result arrived; absent when none did. */
  avgDurationMs?: number;
}

/**
 * Efficiency: tokens spent per changed line. The changed lines are the outcome metrics' lines
 * (docs/outcome-metrics.md): linesAdded + linesRemoved of the session's successful
 * Edit/Write/MultiEdit/NotebookEdit uses, summed over its outcome buckets, so a Write that created
 * a file counts its lines here as it does on the Team page. Lower is better; absent when no line
 * changed (a per-line figure over zero lines would mean nothing).
 */
export interface Efficiency {
  successfulEdits: number;
  /** Lines of those edits' structured patches only (a created file has none); not the changed lines. */
  patchLines: number;
  linesAdded: number;
  linesRemoved: number;
  /** linesAdded + linesRemoved: the denominator of `tokensPerChange`. */
  changedLines: number;
  totalTokens: number;
  tokensPerChange?: number;
}

/**
 * Progress from the latest TodoWrite: done / total, and an ETA from the completion rate over the
 * session's ACTIVE time since todos first appeared (a session resumed after months has not been
 * working all that time). No ETA while the session is idle (no line within TODO_ETA_IDLE_MS of now).
 */
export interface TodoProgress {
  done: number;
  total: number;
  donePerHour?: number;
  etaAt?: string;
}

export interface SessionInsights {
  sessionId: string;
  /** Cumulative tokens and cost, ≤ ~500 points. */
  timeline: TimelinePoint[];
  timelineBucketSeconds: number;
  /** The timeline's state, for {@link costProjection}. */
  timelineState: TimelineState;
  models: ModelUsage[];
  tools: ToolUsage[];
  efficiency: Efficiency;
  progress?: TodoProgress;
  /** One human paragraph. */
  summary: string;
}

export interface InsightOptions {
  /** Now, epoch ms (the core reads no clock). */
  nowMs: number;
  pricing?: PricingTable;
  costMode?: CostMode;
}

/** Insights of one session from its folded state and its kept responses. Bounded output. */
export function sessionInsights(state: SessionState, records: Iterable<UsageRecord>, opts: InsightOptions): SessionInsights {
  const timeline = initialTimeline();
  const models = new Map<string, ModelUsage>();
  const total = zeroTokens();
  let cost = 0;
  for (const r of records) {
    const c = recordCost(r, opts.costMode, opts.pricing).costUsd;
    addToTimeline(timeline, r, c);
    let m = models.get(r.model);
    if (!m) models.set(r.model, (m = { model: r.model, messages: 0, tokens: zeroTokens(), totalTokens: 0, costUsd: 0 }));
    m.messages++;
    addTokens(m.tokens, r.tokens);
    m.totalTokens += r.total;
    m.costUsd += c;
    addTokens(total, r.tokens);
    cost += c;
  }
  const totalTokens = totalOf(total);
  const tools: ToolUsage[] = Object.entries(state.tools)
    .map(([name, s]) => {
      const t: ToolUsage = { name, calls: s.calls, errors: s.errors, failureRate: s.calls ? s.errors / s.calls : 0 };
      if (s.durationCount) t.avgDurationMs = s.durationMsSum / s.durationCount;
      return t;
    })
    .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : 1));
  const efficiency = efficiencyOf(state, totalTokens);
  const insights: SessionInsights = {
    sessionId: state.sessionId,
    timeline: timelinePoints(timeline),
    timelineBucketSeconds: timeline.bucketMs / 1000,
    timelineState: timeline,
    models: [...models.values()].sort((a, b) => b.costUsd - a.costUsd || (a.model < b.model ? -1 : 1)),
    tools,
    efficiency,
    summary: '',
  };
  const progress = todoProgress(state, opts.nowMs);
  if (progress) insights.progress = progress;
  insights.summary = summaryText(state, insights, totalTokens, cost);
  return insights;
}

function efficiencyOf(state: SessionState, totalTokens: number): Efficiency {
  const lines = zeroOutcomeTotals();
  // A state stored before outcome metrics existed has no buckets (its processor version is replayed).
  for (const bucket of Object.values(state.outcomes ?? {})) addOutcomeTotals(lines, bucket);
  const changedLines = lines.linesAdded + lines.linesRemoved;
  const efficiency: Efficiency = {
    successfulEdits: state.edits.successful,
    patchLines: state.edits.patchLines,
    linesAdded: lines.linesAdded,
    linesRemoved: lines.linesRemoved,
    changedLines,
    totalTokens,
  };
  if (changedLines > 0) efficiency.tokensPerChange = totalTokens / changedLines;
  return efficiency;
}

/** A session quiet for longer than this gets no todo ETA: nobody is working through the list. */
export const TODO_ETA_IDLE_MS = 3_600_000;

function todoProgress(state: SessionState, nowMs: number): TodoProgress | undefined {
  const t = state.todos;
  if (!t) return undefined;
  const out: TodoProgress = { done: t.done, total: t.total };
  const hours = activeMsBetween(state.activity, t.firstTs, t.ts) / 3_600_000;
  if (t.done > 0 && hours > 0) {
    out.donePerHour = t.done / hours;
    const idle = state.lastTs !== undefined && nowMs - state.lastTs > TODO_ETA_IDLE_MS;
    if (t.done < t.total && !idle) out.etaAt = new Date(t.ts + ((t.total - t.done) / out.donePerHour) * 3_600_000).toISOString();
  }
  return out;
}

/** A length of time as the dashboard writes it: `45s`, `12m`, `3h 20m`, `2d 4h` (days from 48 h). */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}
const compact = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));

/**
 * The summary paragraph, with the definitions the dashboard states: active time (activity blocks)
 * over the span (first to last line); tool calls WITHOUT subagent dispatches and MCP calls, which
 * are listed on their own.
 */
function summaryText(state: SessionState, i: SessionInsights, totalTokens: number, cost: number): string {
  const span = state.firstTs !== undefined && state.lastTs !== undefined ? state.lastTs - state.firstTs : 0;
  const parts = [
    `${formatSpan(activeMs(state.activity))} active over a ${formatSpan(span)} span`,
    `${state.prompts} prompts`,
    `${state.toolCalls} tool calls (${state.toolErrors} failed)`,
    `${state.subagentDispatches} subagent dispatches`,
    `${state.mcpCalls} MCP calls`,
    `${compact(totalTokens)} tokens, $${cost.toFixed(2)}`,
  ];
  const model = primaryModel(state.models);
  if (model) parts.push(`mostly ${model}`);
  if (i.efficiency.tokensPerChange !== undefined) parts.push(`${compact(Math.round(i.efficiency.tokensPerChange))} tokens per changed line`);
  if (i.progress) parts.push(`${i.progress.done}/${i.progress.total} todos done${i.progress.etaAt ? `, ETA ${i.progress.etaAt}` : ''}`);
  return `Session ${state.sessionId}: ${parts.join('; ')}.`;
}
