import { budgetText, periodBounds, projectBudget } from './budget.projection';

const now = Date.parse('2026-11-10T12:00:00Z');
const month = periodBounds('MONTH', now);

describe('budget projection', () => {
  it('finds the day the budget runs out at the current rate', () => {
    // $100 spent, $10/h: the remaining $400 last 40 h → 12 Nov 04:00 UTC.
    const p = projectBudget({ budgetUsd: 500, period: 'MONTH', spentUsd: 100, usdPerHour: 10, periodStartMs: month.startMs, periodEndMs: month.endMs, nowMs: now });
    expect(p.runsOutAtMs).toBe(Date.parse('2026-11-12T04:00:00Z'));
    expect(budgetText(p, 'UTC')).toBe('At this rate the monthly budget of $500.00 runs out on Thu 12 Nov 2026.');
  });

  it('says the budget lasts when the projection stays under it', () => {
    const p = projectBudget({ budgetUsd: 500, period: 'MONTH', spentUsd: 100, usdPerHour: 0.1, periodStartMs: month.startMs, periodEndMs: month.endMs, nowMs: now });
    expect(p.runsOutAtMs).toBeNull();
    expect(p.projectedUsd).toBeCloseTo(100 + 0.1 * (20 * 24 + 12), 6);
    expect(budgetText(p, 'UTC')).toBe('At this rate the monthly budget of $500.00 lasts: about $149.20 by the end of the period.');
  });

  it('reports an exhausted budget rather than a date in the past', () => {
    const p = projectBudget({ budgetUsd: 50, period: 'WEEK', spentUsd: 75, usdPerHour: 1, periodStartMs: 0, periodEndMs: now + 1, nowMs: now });
    expect(p.exhausted).toBe(true);
    expect(budgetText(p)).toBe('The weekly budget of $50.00 is used up: $75.00 spent so far.');
  });

  it('treats a missing or negative rate as no further spending', () => {
    const p = projectBudget({ budgetUsd: 10, period: 'DAY', spentUsd: 1, usdPerHour: Number.NaN, periodStartMs: 0, periodEndMs: now + 3_600_000, nowMs: now });
    expect(p.projectedUsd).toBe(1);
    expect(p.runsOutAtMs).toBeNull();
  });

  it('bounds periods in UTC with Monday weeks', () => {
    const w = periodBounds('WEEK', Date.parse('2026-11-26T12:00:00Z')); // a Thursday
    expect(new Date(w.startMs).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(w.endMs).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(month.endMs).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});
