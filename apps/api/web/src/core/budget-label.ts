import type { Budget, BudgetAlert } from '../api/budget.queries';

/** "Team", "User ana", "Project /w/app": how a budget is named on screen. */
export function budgetSubject(b: Pick<Budget, 'scope' | 'subject'>): string {
  if (b.scope === 'TEAM') return 'Team';
  return `${b.scope === 'USER' ? 'User' : 'Project'} ${b.subject}`;
}

const PERIOD: Record<Budget['period'], string> = { DAY: 'daily', WEEK: 'weekly', MONTH: 'monthly' };

export function periodLabel(p: Budget['period']): string {
  return PERIOD[p];
}

/** The highest threshold crossed in the current period of each budget that crossed one. */
export function crossedBudgets(budgets: readonly Budget[]): { budget: Budget; alert: BudgetAlert }[] {
  const out: { budget: Budget; alert: BudgetAlert }[] = [];
  for (const b of budgets) {
    const top = [...b.alerts].sort((x, y) => y.threshold - x.threshold)[0];
    if (top) out.push({ budget: b, alert: top });
  }
  return out.sort((x, y) => y.alert.threshold - x.alert.threshold || x.budget.id.localeCompare(y.budget.id));
}

/** Thresholds typed as "50, 80, 100" (percent) → fractions; null when any part is not a number in (0, 1000]. */
export function parseThresholds(text: string): number[] | null {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const out: number[] = [];
  for (const p of parts) {
    const n = Number(p.replace(/%$/, ''));
    if (!Number.isFinite(n) || n <= 0 || n > 1000) return null;
    out.push(n / 100);
  }
  return out;
}

/** Budgets for a summary: the most used first (ties by subject, then period), at most `max`. */
export function mostUsedBudgets<B extends Pick<Budget, 'scope' | 'subject' | 'period' | 'ratio'>>(budgets: readonly B[], max: number): B[] {
  const order: Record<Budget['period'], number> = { DAY: 0, WEEK: 1, MONTH: 2 };
  return [...budgets]
    .sort((a, b) => b.ratio - a.ratio || budgetSubject(a).localeCompare(budgetSubject(b)) || order[a.period] - order[b.period])
    .slice(0, max);
}
