import type { CostProjection, Progress } from '../api/queries';
import { formatDateTime, formatDuration, formatUsd, toNumber, type BigIntValue } from './format';

/** A timeline bucket as far as the chart needs it. */
export interface TimelineInput {
  at: string;
  tokens: BigIntValue;
  cumulativeCostUsd: number;
}

/** Timeline buckets as chart columns (unix seconds), oldest first, unparseable instants dropped. */
export function timelineColumns(points: readonly TimelineInput[]): { xs: number[]; tokens: number[]; cumulativeCost: number[] } {
  const rows = points
    .map((p) => ({ x: Date.parse(p.at) / 1000, tokens: toNumber(p.tokens), cost: p.cumulativeCostUsd }))
    .filter((r) => Number.isFinite(r.x))
    .sort((a, b) => a.x - b.x);
  return { xs: rows.map((r) => r.x), tokens: rows.map((r) => r.tokens), cumulativeCost: rows.map((r) => r.cost) };
}

/** The efficiency figures as the API sends them. */
export interface EfficiencyInput {
  tokensPerChange: number | null;
  changes: number;
}

/**
 * The session's efficiency score, as defined by the counting core: tokens spent per changed line
 * (the outcome metrics' lines added + removed by successful Edit/Write/MultiEdit/NotebookEdit
 * uses). Lower is better; "–" when no line changed.
 */
export function efficiencyHeadline(e: EfficiencyInput): string {
  if (e.tokensPerChange === null || e.changes === 0) return '–';
  const v = e.tokensPerChange;
  return v >= 10_000 ? `${Math.round(v / 1000)}k` : v >= 100 ? String(Math.round(v)) : v.toFixed(1);
}

/** "3 of 7 todos done · 2.0 per active hour, the rest around 26 Nov 2026, 15:20 (in 2h)". */
export function progressText(p: Progress, nowMs: number, timeZone?: string): string {
  const head = `${p.done} of ${p.total} todo${p.total === 1 ? '' : 's'} done`;
  if (p.total > 0 && p.done >= p.total) return `${head}.`;
  const eta = p.etaAt ? Date.parse(p.etaAt) : Number.NaN;
  if (p.donePerHour === null) return `${head} · no pace yet to estimate the rest.`;
  // The API gives no ETA for an idle session: a pace from months ago predicts nothing.
  if (!Number.isFinite(eta)) return `${head} · ${p.donePerHour.toFixed(1)} per active hour; no estimate while the session is idle.`;
  const left = eta - nowMs;
  return `${head} · ${p.donePerHour.toFixed(1)} per active hour, the rest around ${formatDateTime(p.etaAt, timeZone)}${left > 0 ? ` (in ${formatDuration(left / 1000)})` : ''}.`;
}

/** "At $2.40 per hour (last 30 min) the $10.00 budget runs out around … (in 3h 5m)." */
export function costProjectionText(c: CostProjection, timeZone?: string): string {
  const budget = formatUsd(c.budgetUsd);
  if (c.overBudget) return `Over the ${budget} budget: ${formatUsd(c.spentUsd)} spent.`;
  if (c.hoursToBudget === null || c.burnRateUsdPerHour <= 0) return `${formatUsd(c.spentUsd)} of ${budget} spent; nothing is being spent right now.`;
  const when = c.exhaustsAt ? ` around ${formatDateTime(c.exhaustsAt, timeZone)}` : '';
  return `At ${formatUsd(c.burnRateUsdPerHour)} per hour (last ${c.windowMinutes} min) the ${budget} budget runs out${when}, in ${formatDuration(c.hoursToBudget * 3600)} (${formatUsd(c.remainingUsd)} left).`;
}
