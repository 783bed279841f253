import type { BudgetPeriod } from './budget';

/** A half-open UTC interval [start, end). */
export interface PeriodWindow {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

/**
 * The period containing `at`, in UTC: a day from midnight, an ISO week from Monday, a month from
 * its first day. UTC because spend is kept per UTC hour: a period in a zone with a part-hour
 * offset would split hours.
 */
export function periodWindow(period: BudgetPeriod, at: Date): PeriodWindow {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  if (period === 'day') {
    const start = Date.UTC(y, m, d);
    return { start: new Date(start), end: new Date(start + DAY_MS) };
  }
  if (period === 'week') {
    const sinceMonday = (at.getUTCDay() + 6) % 7;
    const start = Date.UTC(y, m, d - sinceMonday);
    return { start: new Date(start), end: new Date(start + 7 * DAY_MS) };
  }
  return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
}

/** The thresholds a spend has reached (ratio ≥ threshold), ascending. */
export function crossedThresholds(spendUsd: number, limitUsd: number, thresholds: readonly number[]): number[] {
  const ratio = budgetRatio(spendUsd, limitUsd);
  // A tiny tolerance: 0.8 × limit summed from many hourly costs may land a hair below.
  return [...thresholds].filter((t) => ratio + 1e-9 >= t).sort((a, b) => a - b);
}

export function budgetRatio(spendUsd: number, limitUsd: number): number {
  return limitUsd > 0 ? spendUsd / limitUsd : 0;
}
