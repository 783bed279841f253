import { bucketFor, bucketsBetween, weekOf, bucketSeconds, daysBetween, grandTotal, stackUsage, totalsBy, UsageRow } from './usage.shape';

function row(day: string, model: string, totalTokens: number | string, costUsd = 0): UsageRow {
  return { day, model, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, totalTokens, costUsd };
}

describe('usage shaping', () => {
  it('aligns series on sorted buckets and stacks them cumulatively', () => {
    const s = stackUsage([row('2026-11-02', 'opus', 10), row('2026-11-01', 'sonnet', 5), row('2026-11-02', 'sonnet', '7')], { time: 'day', by: 'model', metric: 'totalTokens' });
    expect(s.xs).toEqual([bucketSeconds('2026-11-01'), bucketSeconds('2026-11-02')]);
    expect(s.labels).toEqual(['sonnet', 'opus']);
    expect(s.values).toEqual([[5, 7], [0, 10]]);
    expect(s.stacked).toEqual([[5, 7], [5, 17]]);
  });

  it('keeps quiet days from the requested range as zero columns', () => {
    const s = stackUsage([row('2026-11-03', 'opus', 4)], { time: 'day', by: 'model', metric: 'totalTokens', buckets: daysBetween('2026-11-01', '2026-11-03') });
    expect(s.values).toEqual([[0, 0, 4]]);
  });

  it('folds the smallest series into "other" beyond the limit', () => {
    const rows = ['a', 'b', 'c', 'd'].map((m, i) => row('2026-11-01', m, 10 - i));
    const s = stackUsage(rows, { time: 'day', by: 'model', metric: 'totalTokens', maxSeries: 3 });
    expect(s.labels).toEqual(['a', 'b', 'other']);
    expect(s.values.map((v) => v[0])).toEqual([10, 9, 15]);
  });

  it('totals per key, most expensive first, with a grand total', () => {
    const t = totalsBy([row('2026-11-01', 'opus', 10, 2), row('2026-11-02', 'opus', 5, 1), row('2026-11-01', 'haiku', 100, 0.5)], 'model');
    expect(t.map((x) => [x.key, x.totalTokens, x.costUsd])).toEqual([['opus', 15, 3], ['haiku', 100, 0.5]]);
    expect(grandTotal(t).totalTokens).toBe(115);
  });

  it('picks weeks, then months, for long ranges and lists their keys', () => {
    expect(bucketFor('2026-01-01', '2026-03-01')).toBe('day');
    expect(bucketFor('2025-06-01', '2026-11-26')).toBe('week');
    expect(bucketFor('2022-01-01', '2026-11-26')).toBe('month');
    expect(weekOf('2026-11-26')).toBe('2026-11-23');
    expect(weekOf('2026-11-23')).toBe('2026-11-23');
    expect(bucketsBetween('2026-11-20', '2026-12-01', 'week')).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    expect(bucketsBetween('2026-11-20', '2027-01-02', 'month')).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('lists every day of a range and parses month buckets', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(bucketSeconds('2026-11')).toBe(Date.UTC(2026, 10, 1) / 1000);
    expect(Number.isNaN(bucketSeconds('nope'))).toBe(true);
  });
});
