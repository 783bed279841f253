import { costProjectionText, efficiencyHeadline, progressText, timelineColumns } from './session.shape';

describe('session shaping', () => {
  it('orders timeline buckets and drops bad instants', () => {
    const c = timelineColumns([
      { at: '2026-11-26T10:00:02Z', tokens: '200', cumulativeCostUsd: 0.3 },
      { at: 'bad', tokens: 1, cumulativeCostUsd: 0 },
      { at: '2026-11-26T10:00:01Z', tokens: 100, cumulativeCostUsd: 0.1 },
    ]);
    expect(c.tokens).toEqual([100, 200]);
    expect(c.cumulativeCost).toEqual([0.1, 0.3]);
    expect(c.xs[1] - c.xs[0]).toBe(1);
  });

  it('heads efficiency with tokens per changed line, lower is better', () => {
    expect(efficiencyHeadline({ tokensPerChange: 52_345, changes: 12 })).toBe('52k');
    expect(efficiencyHeadline({ tokensPerChange: 812.4, changes: 3 })).toBe('812');
    expect(efficiencyHeadline({ tokensPerChange: 7.25, changes: 3 })).toBe('7.3');
    expect(efficiencyHeadline({ tokensPerChange: null, changes: 0 })).toBe('–');
  });

  it('words todo progress with the ETA the API computed', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(progressText({ done: 2, total: 5, donePerHour: 2, etaAt: '2026-11-26T13:30:00Z' }, now, 'UTC')).toMatch(/^2 of 5 todos done · 2\.0 per active hour, the rest around 26 Nov 2026, 13:30 \(in 1h 30m\)\.$/);
    expect(progressText({ done: 0, total: 5, donePerHour: null, etaAt: null }, now)).toBe('0 of 5 todos done · no pace yet to estimate the rest.');
    expect(progressText({ done: 1, total: 1, donePerHour: 3, etaAt: null }, now)).toBe('1 of 1 todo done.');
    expect(progressText({ done: 3, total: 6, donePerHour: 1, etaAt: null }, now)).toBe('3 of 6 todos done · 1.0 per active hour; no estimate while the session is idle.');
  });

  it('words the cost projection', () => {
    expect(costProjectionText({ budgetUsd: 10, spentUsd: 4, remainingUsd: 6, burnRateUsdPerHour: 2, windowMinutes: 30, hoursToBudget: 3, exhaustsAt: '2026-11-26T15:00:00Z', overBudget: false }, 'UTC')).toMatch(
      /^At \$2\.00 per hour \(last 30 min\) the \$10\.00 budget runs out around 26 Nov 2026, 15:00, in 3h \(\$6\.00 left\)\.$/,
    );
    expect(costProjectionText({ budgetUsd: 1, spentUsd: 4, remainingUsd: 0, burnRateUsdPerHour: 2, windowMinutes: 30, hoursToBudget: 0, exhaustsAt: null, overBudget: true })).toBe('Over the $1.00 budget: $4.00 spent.');
    expect(costProjectionText({ budgetUsd: 10, spentUsd: 4, remainingUsd: 6, burnRateUsdPerHour: 0, windowMinutes: 30, hoursToBudget: null, exhaustsAt: null, overBudget: false })).toBe('$4.00 of $10.00 spent; nothing is being spent right now.');
  });
});
