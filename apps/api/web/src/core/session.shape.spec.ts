import { costProjectionText, efficiencyScore, progressText, timelineColumns, todoEtaSeconds } from './session.shape';

describe('session shaping', () => {
  it('orders timeline points and drops bad instants', () => {
    const c = timelineColumns([
      { at: '2026-11-26T10:00:02Z', totalTokens: '200', cumulativeCostUsd: 0.3 },
      { at: 'bad', totalTokens: 1, cumulativeCostUsd: 0 },
      { at: '2026-11-26T10:00:01Z', totalTokens: 100, cumulativeCostUsd: 0.1 },
    ]);
    expect(c.tokens).toEqual([100, 200]);
    expect(c.cumulativeCost).toEqual([0.1, 0.3]);
    expect(c.xs[1] - c.xs[0]).toBe(1);
  });

  it('scores efficiency from the known ratios only', () => {
    expect(efficiencyScore({ cacheHitRatio: 0.9, toolErrorRate: 0.1, activeRatio: 0.6 })).toBe(80);
    expect(efficiencyScore({ cacheHitRatio: 0.5, toolErrorRate: null, activeRatio: null })).toBe(50);
    expect(efficiencyScore({ cacheHitRatio: null, toolErrorRate: null, activeRatio: null })).toBeNull();
  });

  it('estimates the time left for the todos at the pace so far', () => {
    expect(todoEtaSeconds({ total: 5, completed: 2, inProgress: 1, pending: 2 }, 600)).toBe(900);
    expect(todoEtaSeconds({ total: 5, completed: 0, inProgress: 1, pending: 4 }, 600)).toBeNull();
    expect(progressText({ total: 5, completed: 2, inProgress: 1, pending: 2 }, 600)).toBe('2 of 5 todos done · about 15m of active work left at this pace.');
    expect(progressText({ total: 1, completed: 1, inProgress: 0, pending: 0 }, 60)).toBe('1 of 1 todo done.');
  });

  it('words the cost projection', () => {
    expect(costProjectionText({ budgetUsd: 10, spentUsd: 4, remainingUsd: 6, burnRateUsdPerHour: 2, hoursToBudget: 3, overBudget: false })).toBe(
      'At $2.00 per active hour the $10.00 budget lasts another 3h of active work ($6.00 left).',
    );
    expect(costProjectionText({ budgetUsd: 1, spentUsd: 4, remainingUsd: -3, burnRateUsdPerHour: 2, hoursToBudget: 0, overBudget: true })).toBe('Over the $1.00 budget: $4.00 spent.');
  });
});
