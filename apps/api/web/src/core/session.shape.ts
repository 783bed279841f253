import { formatDuration, formatUsd, toNumber, type BigIntValue } from './format';

/** A timeline point as far as the chart needs it. */
export interface TimelineInput {
  at: string;
  totalTokens: BigIntValue;
  cumulativeCostUsd: number;
}

/** Timeline points as chart columns (unix seconds), oldest first, unparseable instants dropped. */
export function timelineColumns(points: readonly TimelineInput[]): { xs: number[]; tokens: number[]; cumulativeCost: number[] } {
  const rows = points
    .map((p) => ({ x: Date.parse(p.at) / 1000, tokens: toNumber(p.totalTokens), cost: p.cumulativeCostUsd }))
    .filter((r) => Number.isFinite(r.x))
    .sort((a, b) => a.x - b.x);
  return { xs: rows.map((r) => r.x), tokens: rows.map((r) => r.tokens), cumulativeCost: rows.map((r) => r.cost) };
}

/** Efficiency ratios as the API sends them. */
export interface EfficiencyInput {
  cacheHitRatio: number | null;
  toolErrorRate: number | null;
  activeRatio: number | null;
}

/**
 * One 0–100 score from the ratios the session has: the mean of cache hit ratio, tool success
 * rate (1 − error rate) and active ratio, each counted only when known. Higher is better on all
 * three, so the mean is a fair headline; the ratios themselves are shown next to it.
 */
export function efficiencyScore(e: EfficiencyInput): number | null {
  const parts = [e.cacheHitRatio, e.toolErrorRate === null ? null : 1 - e.toolErrorRate, e.activeRatio].filter(
    (x): x is number => x !== null && Number.isFinite(x),
  );
  if (parts.length === 0) return null;
  const mean = parts.reduce((a, b) => a + Math.min(1, Math.max(0, b)), 0) / parts.length;
  return Math.round(mean * 100);
}

/** Todo-list counts. */
export interface ProgressInput {
  total: number;
  completed: number;
  inProgress: number;
  pending: number;
}

/**
 * Seconds of active work left at the pace so far (active seconds per completed todo × todos
 * left); null before the first todo is done, 0 when all are.
 */
export function todoEtaSeconds(p: ProgressInput, activeSeconds: number): number | null {
  const left = Math.max(0, p.total - p.completed);
  if (left === 0) return 0;
  if (p.completed <= 0 || activeSeconds <= 0) return null;
  return (activeSeconds / p.completed) * left;
}

/** "3 of 7 todos done · about 12m of active work left". */
export function progressText(p: ProgressInput, activeSeconds: number): string {
  const head = `${p.completed} of ${p.total} todo${p.total === 1 ? '' : 's'} done`;
  const eta = todoEtaSeconds(p, activeSeconds);
  if (eta === 0) return `${head}.`;
  if (eta === null) return `${head} · no pace yet to estimate the rest.`;
  return `${head} · about ${formatDuration(eta)} of active work left at this pace.`;
}

/** The session cost projection as the API sends it. */
export interface CostProjectionInput {
  budgetUsd: number;
  spentUsd: number;
  remainingUsd: number;
  burnRateUsdPerHour: number | null;
  hoursToBudget: number | null;
  overBudget: boolean;
}

/** "At $2.40 per active hour the $10.00 budget lasts another 3h 5m of active work." */
export function costProjectionText(c: CostProjectionInput): string {
  const budget = formatUsd(c.budgetUsd);
  if (c.overBudget) return `Over the ${budget} budget: ${formatUsd(c.spentUsd)} spent.`;
  if (c.burnRateUsdPerHour === null || c.hoursToBudget === null) return `${formatUsd(c.spentUsd)} of ${budget} spent; no activity yet to project from.`;
  return `At ${formatUsd(c.burnRateUsdPerHour)} per active hour the ${budget} budget lasts another ${formatDuration(c.hoursToBudget * 3600)} of active work (${formatUsd(c.remainingUsd)} left).`;
}
