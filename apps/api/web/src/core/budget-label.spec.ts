import type { Budget } from '../api/budget.queries';
import { budgetSubject, crossedBudgets, mostUsedBudgets, parseThresholds } from './budget-label';

const budget = (id: string, thresholds: number[]): Budget => ({
  id, scope: 'USER', subject: 'ana', period: 'DAY', limitUsd: 10, thresholds: [0.5, 0.8, 1], webhookUrl: null,
  periodStart: '2026-12-03T00:00:00.000Z', periodEnd: '2026-12-04T00:00:00.000Z', spendUsd: 9, ratio: 0.9,
  alerts: thresholds.map((threshold) => ({
    id: `${id}-${threshold}`, budgetId: id, scope: 'USER', subject: 'ana', period: 'DAY', periodStart: '2026-12-03T00:00:00.000Z',
    threshold, spendUsd: 9, limitUsd: 10, createdAt: '2026-12-03T10:00:00.000Z', delivery: 'DELIVERED', text: 't',
  })),
});

describe('budget labels', () => {
  it('names the subject', () => {
    expect(budgetSubject({ scope: 'TEAM', subject: '' })).toBe('Team');
    expect(budgetSubject({ scope: 'PROJECT', subject: '/w/app' })).toBe('Project /w/app');
  });

  it('keeps the highest crossed threshold of each budget, worst first', () => {
    const got = crossedBudgets([budget('1', [0.5]), budget('2', []), budget('3', [0.5, 0.8])]);
    expect(got.map((c) => [c.budget.id, c.alert.threshold])).toEqual([['3', 0.8], ['1', 0.5]]);
  });

  it('lists the most used budgets first, at most the number asked', () => {
    const b = (scope: Budget['scope'], subject: string, period: Budget['period'], ratio: number) => ({ scope, subject, period, ratio });
    const got = mostUsedBudgets([b('TEAM', '', 'MONTH', 0.2), b('USER', 'ana', 'DAY', 1.4), b('TEAM', '', 'DAY', 0.2), b('PROJECT', '/w', 'WEEK', 0.9)], 3);
    expect(got).toEqual([b('USER', 'ana', 'DAY', 1.4), b('PROJECT', '/w', 'WEEK', 0.9), b('TEAM', '', 'DAY', 0.2)]);
  });

  it('reads thresholds typed as percent', () => {
    expect(parseThresholds('50, 80 100%')).toEqual([0.5, 0.8, 1]);
    expect(parseThresholds('50, x')).toBeNull();
    expect(parseThresholds('')).toBeNull();
  });
});
