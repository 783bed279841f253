import { formatDate, formatUsd } from './format';

/** Budget periods the dashboard offers. */
export type BudgetPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** What is known about spending in the current period. */
export interface BudgetInput {
  budgetUsd: number;
  period: BudgetPeriod;
  /** Spent since the period started. */
  spentUsd: number;
  /** Current burn rate in USD per hour (from `burnRate`, or spent / elapsed). */
  usdPerHour: number;
  periodStartMs: number;
  periodEndMs: number;
  nowMs: number;
}

/** Where the current rate leads by the end of the period. */
export interface BudgetProjection {
  budgetUsd: number;
  period: BudgetPeriod;
  spentUsd: number;
  /** Spent at the end of the period if the rate holds. */
  projectedUsd: number;
  /** When the budget runs out at this rate: `null` when it lasts the period. */
  runsOutAtMs: number | null;
  /** Already over budget. */
  exhausted: boolean;
}

const PERIOD_WORD: Record<BudgetPeriod, string> = { DAY: 'daily', WEEK: 'weekly', MONTH: 'monthly' };

/** Extrapolates linearly from the current rate; no rate means nothing more is spent. */
export function projectBudget(input: BudgetInput): BudgetProjection {
  const { budgetUsd, spentUsd, nowMs, periodEndMs, period } = input;
  const rate = Number.isFinite(input.usdPerHour) && input.usdPerHour > 0 ? input.usdPerHour : 0;
  const hoursLeft = Math.max(0, (periodEndMs - nowMs) / 3_600_000);
  const projectedUsd = spentUsd + rate * hoursLeft;
  const exhausted = spentUsd >= budgetUsd;
  let runsOutAtMs: number | null = null;
  if (exhausted) runsOutAtMs = nowMs;
  else if (rate > 0 && projectedUsd > budgetUsd) runsOutAtMs = nowMs + ((budgetUsd - spentUsd) / rate) * 3_600_000;
  return { budgetUsd, period, spentUsd, projectedUsd, runsOutAtMs, exhausted };
}

/** Start and end (exclusive) of the period containing `nowMs`, in UTC; weeks start on Monday. */
export function periodBounds(period: BudgetPeriod, nowMs: number): { startMs: number; endMs: number } {
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  if (period === 'DAY') return { startMs: Date.UTC(y, m, day), endMs: Date.UTC(y, m, day + 1) };
  if (period === 'WEEK') {
    const back = (d.getUTCDay() + 6) % 7;
    return { startMs: Date.UTC(y, m, day - back), endMs: Date.UTC(y, m, day - back + 7) };
  }
  return { startMs: Date.UTC(y, m, 1), endMs: Date.UTC(y, m + 1, 1) };
}

/** The sentence under the budget chart: "At this rate the monthly budget of $500.00 runs out on …". */
export function budgetText(p: BudgetProjection, timeZone?: string): string {
  const word = PERIOD_WORD[p.period];
  const budget = formatUsd(p.budgetUsd);
  if (p.exhausted) return `The ${word} budget of ${budget} is used up: ${formatUsd(p.spentUsd)} spent so far.`;
  if (p.runsOutAtMs !== null) return `At this rate the ${word} budget of ${budget} runs out on ${formatDate(p.runsOutAtMs, timeZone)}.`;
  return `At this rate the ${word} budget of ${budget} lasts: about ${formatUsd(p.projectedUsd)} by the end of the period.`;
}
