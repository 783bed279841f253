import type { SessionRecord } from '../store/api-store';

/** Efficiency ratios of a session (null where the denominator is zero). */
export interface EfficiencyView {
  cacheHitRatio: number | null;
  outputTokensPerPrompt: number | null;
  costPerPromptUsd: number | null;
  tokensPerActiveMinute: number | null;
  toolErrorRate: number | null;
  activeRatio: number | null;
}

const n = (v: number | bigint): number => Number(v);
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function efficiencyOf(s: SessionRecord): EfficiencyView {
  const input = n(s.inputTokens) + n(s.cacheReadTokens) + n(s.cacheCreationTokens);
  const toolEvents = s.toolCalls + s.subagentDispatches + s.mcpCalls;
  return {
    cacheHitRatio: ratio(n(s.cacheReadTokens), input),
    outputTokensPerPrompt: ratio(n(s.outputTokens), s.prompts),
    costPerPromptUsd: ratio(s.costUsd, s.prompts),
    tokensPerActiveMinute: ratio(n(s.totalTokens), s.activeSeconds / 60),
    toolErrorRate: ratio(s.toolErrors, toolEvents),
    activeRatio: ratio(s.activeSeconds, s.wallSeconds),
  };
}

/** Spend against a budget at the session's average active-hour burn rate. */
export interface CostProjectionView {
  budgetUsd: number;
  spentUsd: number;
  remainingUsd: number;
  burnRateUsdPerHour: number | null;
  hoursToBudget: number | null;
  overBudget: boolean;
}

export function sessionCostProjection(s: SessionRecord, budgetUsd: number): CostProjectionView {
  const rate = s.activeSeconds > 0 ? s.costUsd / (s.activeSeconds / 3600) : null;
  const remaining = budgetUsd - s.costUsd;
  return {
    budgetUsd,
    spentUsd: s.costUsd,
    remainingUsd: remaining,
    burnRateUsdPerHour: rate,
    hoursToBudget: remaining <= 0 ? 0 : rate && rate > 0 ? remaining / rate : null,
    overBudget: remaining < 0,
  };
}

/** Todo-list progress, read from whatever the session state recorded of the latest todo list. */
export interface ProgressView {
  total: number;
  completed: number;
  inProgress: number;
  pending: number;
}

export function progressOf(state: unknown): ProgressView | null {
  const s = typeof state === 'string' ? safeParse(state) : state;
  if (!s || typeof s !== 'object') return null;
  const o = s as Record<string, unknown>;
  const todos = (o.todos ?? o.lastTodos ?? (o.progress as Record<string, unknown> | undefined)?.todos) as unknown;
  if (Array.isArray(todos)) {
    const statuses = todos.map((t) => (typeof t === 'string' ? t : (t as { status?: unknown })?.status));
    const count = (x: string) => statuses.filter((v) => v === x).length;
    return { total: todos.length, completed: count('completed'), inProgress: count('in_progress'), pending: count('pending') };
  }
  if (todos && typeof todos === 'object') {
    const c = todos as Record<string, unknown>;
    const num = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : 0);
    const completed = num('completed');
    const inProgress = num('in_progress') || num('inProgress');
    const pending = num('pending');
    return { total: num('total') || completed + inProgress + pending, completed, inProgress, pending };
  }
  return null;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** A plain-text paragraph of the session's numbers (no transcript text: nothing private). */
export function summaryTextOf(s: SessionRecord): string {
  const parts = [
    `Session ${s.id} by ${s.user}${s.project ? ` in ${s.project}` : ''}${s.gitBranch ? ` (${s.gitBranch})` : ''}`,
    `${duration(s.activeSeconds)} active over ${duration(s.wallSeconds)}`,
    `${s.prompts} prompts, ${s.assistantMessages} assistant messages`,
    `${s.toolCalls} tool calls (${s.toolErrors} errors), ${s.subagentDispatches} subagents, ${s.mcpCalls} MCP calls, ${s.skillInvocations} skills, ${s.slashCommands} slash commands`,
    `${Number(s.totalTokens).toLocaleString('en-US')} tokens${s.primaryModel ? ` mostly on ${s.primaryModel}` : ''}, $${s.costUsd.toFixed(2)}`,
  ];
  return `${parts.join('; ')}.`;
}
