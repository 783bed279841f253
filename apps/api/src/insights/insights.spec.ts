import type { MessageRecord } from '../store/api-store';
import { buildBlocks } from './blocks';
import { periodBounds, projectBudget } from './budget';

const msg = (at: string, total: number, cost: number, model = 'm'): MessageRecord => ({
  at: new Date(at),
  user: 'u',
  sessionId: 's',
  model,
  inputTokens: total,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheCreationTokens: 0,
  cacheCreation5mTokens: 0,
  cacheCreation1hTokens: 0,
  totalTokens: total,
  costUsd: cost,
});

describe('buildBlocks', () => {
  it('starts a block at the first message floored to the hour and a new one after 5 h', () => {
    const blocks = buildBlocks(
      [msg('2026-11-20T10:17:00Z', 10, 1), msg('2026-11-20T14:59:00Z', 5, 1, 'n'), msg('2026-11-20T15:00:00Z', 1, 1), msg('2026-11-21T03:00:00Z', 1, 1)],
      new Date('2026-11-21T04:00:00Z'),
    );
    expect(blocks.map((b) => [b.start.toISOString(), b.messages, b.totalTokens, b.models, b.isActive])).toEqual([
      ['2026-11-20T10:00:00.000Z', 2, 15, ['m', 'n'], false],
      ['2026-11-20T15:00:00.000Z', 1, 1, ['m'], false],
      ['2026-11-21T03:00:00.000Z', 1, 1, ['m'], true],
    ]);
  });
});

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
