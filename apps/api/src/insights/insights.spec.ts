import { periodBounds, projectBudget } from './budget';

describe('budget', () => {
  it('finds period bounds in a zone (weeks from Monday)', () => {
    const now = new Date('2026-11-26T12:00:00Z'); // a Thursday
    expect(periodBounds('WEEK', 'UTC', now).start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(periodBounds('MONTH', 'Europe/Berlin', now)).toEqual({ start: new Date('2026-10-31T23:00:00Z'), end: new Date('2026-11-30T23:00:00Z') });
    expect(periodBounds('DAY', 'America/New_York', now).start.toISOString()).toBe('2026-11-26T05:00:00.000Z');
  });

  it('projects the period spend linearly', () => {
    const p = projectBudget({
      period: 'DAY',
      start: new Date('2026-11-26T00:00:00Z'),
      end: new Date('2026-11-27T00:00:00Z'),
      now: new Date('2026-11-26T12:00:00Z'),
      budgetUsd: 15,
      spentUsd: 10,
    });
    expect(p.projectedUsd).toBeCloseTo(20);
    expect(p.onTrack).toBe(false);
    expect(p.exhaustsAt?.toISOString()).toBe('2026-11-26T18:00:00.000Z');
  });
});
