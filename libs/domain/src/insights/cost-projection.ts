import { timelinePoints, type TimelineState } from './timeline';

/** How fast money is being spent and when a budget runs out at that pace. */
export interface CostProjection {
  budgetUsd: number;
  spentUsd: number;
  remainingUsd: number;
  /** Spend in the trailing window, scaled to an hour. */
  usdPerHour: number;
  windowMinutes: number;
  /** Hours until the budget is spent at the current rate; absent when nothing is being spent. */
  hoursToExhaust?: number;
  /** RFC 3339 instant the budget runs out; absent as above. */
  exhaustsAt?: string;
}

export interface ProjectionOptions {
  nowMs: number;
  /** Trailing window for the rate; default 60 minutes. */
  windowMs?: number;
}

/**
 * Spend rate over the trailing window ending at `nowMs` (buckets that straddle the window's start
 * count pro rata) → time to exhaust `budgetUsd`. Accepts a timeline or anything carrying one.
 */
export function costProjection(source: TimelineState | { timelineState: TimelineState }, budgetUsd: number, opts: ProjectionOptions): CostProjection {
  const t = 'timelineState' in source ? source.timelineState : source;
  const windowMs = opts.windowMs ?? 3_600_000;
  const from = opts.nowMs - windowMs;
  let spent = 0;
  let inWindow = 0;
  for (const p of timelinePoints(t)) {
    spent += p.costUsd;
    const end = p.atMs + t.bucketMs;
    if (end <= from || p.atMs >= opts.nowMs) continue;
    const overlap = Math.min(end, opts.nowMs) - Math.max(p.atMs, from);
    inWindow += p.costUsd * (overlap / t.bucketMs);
  }
  const usdPerHour = inWindow / (windowMs / 3_600_000);
  const remaining = Math.max(0, budgetUsd - spent);
  const out: CostProjection = { budgetUsd, spentUsd: spent, remainingUsd: remaining, usdPerHour, windowMinutes: windowMs / 60_000 };
  if (usdPerHour > 0) {
    out.hoursToExhaust = remaining / usdPerHour;
    out.exhaustsAt = new Date(opts.nowMs + out.hoursToExhaust * 3_600_000).toISOString();
  }
  return out;
}
