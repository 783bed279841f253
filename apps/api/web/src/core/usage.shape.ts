import { BigIntValue, toNumber } from './format';

/** One row of the `usage` query; only the grouped-by keys are set. */
export interface UsageRow {
  day?: string | null;
  week?: string | null;
  month?: string | null;
  model?: string | null;
  user?: string | null;
  project?: string | null;
  inputTokens: BigIntValue;
  outputTokens: BigIntValue;
  cacheReadTokens: BigIntValue;
  cacheCreationTokens: BigIntValue;
  cacheCreation5mTokens?: BigIntValue;
  cacheCreation1hTokens?: BigIntValue;
  totalTokens: BigIntValue;
  costUsd: number | string;
  unpricedTokens?: BigIntValue;
}

/** The time bucket of a row: the API names it by its first day (`YYYY-MM-DD`, or `YYYY-MM`). */
export type TimeKey = 'day' | 'week' | 'month';
/** What a chart stacks by. */
export type SeriesKey = 'model' | 'user' | 'project';
/** What a chart measures. */
export type Metric = 'totalTokens' | 'costUsd';

/** Columns ready for uPlot: shared x (unix seconds) and one aligned array per series. */
export interface StackedSeries {
  xs: number[];
  labels: string[];
  /** Raw per-series values, for the legend and tooltips. */
  values: number[][];
  /** Cumulative sums (series i = values 0..i), what a stacked area draws. */
  stacked: number[][];
}

/** `2026-11-26` or `2026-11` → unix seconds at UTC midnight of its first day; junk → NaN. */
export function bucketSeconds(key: string): number {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(key);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1) / 1000;
}

/** Every UTC day from `fromDay` to `toDay` inclusive (`YYYY-MM-DD`), so quiet days still show. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  const end = bucketSeconds(toDay);
  for (let t = bucketSeconds(fromDay); t <= end && out.length < 3700; t += 86400) {
    out.push(new Date(t * 1000).toISOString().slice(0, 10));
  }
  return out;
}

/** Monday of the week containing `day` (weeks start on Monday, as the API's WEEK does). */
export function weekOf(day: string): string {
  const t = bucketSeconds(day) * 1000;
  const back = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - back * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The bucket that keeps a chart readable: days up to about three months, then weeks up to two
 * years, then months.
 */
export function bucketFor(fromDay: string, toDay: string): TimeKey {
  const days = (bucketSeconds(toDay) - bucketSeconds(fromDay)) / 86400 + 1;
  return days <= 92 ? 'day' : days <= 731 ? 'week' : 'month';
}

/** Every bucket key of that kind from `fromDay` to `toDay`, so quiet periods still show. */
export function bucketsBetween(fromDay: string, toDay: string, time: TimeKey): string[] {
  if (time === 'day') return daysBetween(fromDay, toDay);
  const keys = new Set<string>();
  for (const d of daysBetween(fromDay, toDay)) keys.add(time === 'week' ? weekOf(d) : d.slice(0, 7));
  return [...keys];
}

/**
 * Groups rows into one series per `by` value over the `time` buckets, keeping the `maxSeries - 1`
 * largest and folding the rest into "other" so the legend stays readable.
 */
export function stackUsage(
  rows: readonly UsageRow[],
  opts: { time: TimeKey; by: SeriesKey; metric: Metric; maxSeries?: number; buckets?: readonly string[] },
): StackedSeries {
  return stackRows(rows, { bucket: (r) => r[opts.time], label: (r) => r[opts.by] ?? 'unknown', value: (r) => toNumber(r[opts.metric]), maxSeries: opts.maxSeries, buckets: opts.buckets });
}

/** {@link stackUsage} for any row shape: accessors name the bucket, the series and the value. */
export function stackRows<T>(
  rows: readonly T[],
  opts: { bucket: (row: T) => string | null | undefined; label: (row: T) => string; value: (row: T) => number; maxSeries?: number; buckets?: readonly string[] },
): StackedSeries {
  const maxSeries = Math.max(1, opts.maxSeries ?? 8);
  const bucketSet = new Set<string>(opts.buckets ?? []);
  const totals = new Map<string, number>();
  for (const row of rows) {
    const bucket = opts.bucket(row);
    if (!bucket) continue;
    bucketSet.add(bucket);
    const label = opts.label(row);
    totals.set(label, (totals.get(label) ?? 0) + opts.value(row));
  }
  const buckets = [...bucketSet].filter((b) => !Number.isNaN(bucketSeconds(b))).sort();
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  const kept = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const labels = ranked.length > kept.length ? [...kept, 'other'] : kept;
  const seriesOf = new Map<string, number>(kept.map((label, i) => [label, i]));
  const bucketIndex = new Map(buckets.map((b, i) => [b, i]));
  const values = labels.map(() => new Array<number>(buckets.length).fill(0));
  for (const row of rows) {
    const bucket = opts.bucket(row);
    const at = bucket === null || bucket === undefined ? undefined : bucketIndex.get(bucket);
    if (at === undefined) continue;
    const series = seriesOf.get(opts.label(row)) ?? labels.length - 1;
    values[series][at] += opts.value(row);
  }
  const stacked: number[][] = [];
  values.forEach((v, i) => stacked.push(i === 0 ? [...v] : v.map((x, j) => x + stacked[i - 1][j])));
  return { xs: buckets.map(bucketSeconds), labels, values, stacked };
}

/** A per-model (or per-user / per-project) total, as the usage table lists it. */
export interface UsageTotal {
  key: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Tokens of models without a price (their cost is unknown, not 0). */
  unpricedTokens: number;
}

/** Sums rows per `by` value, most expensive first (then most tokens, then name). */
export function totalsBy(rows: readonly UsageRow[], by: SeriesKey): UsageTotal[] {
  const map = new Map<string, UsageTotal>();
  for (const row of rows) {
    const key = row[by] ?? 'unknown';
    const t = map.get(key) ?? { key, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, totalTokens: 0, costUsd: 0, unpricedTokens: 0 };
    t.inputTokens += toNumber(row.inputTokens);
    t.outputTokens += toNumber(row.outputTokens);
    t.cacheReadTokens += toNumber(row.cacheReadTokens);
    t.cacheCreationTokens += toNumber(row.cacheCreationTokens);
    t.totalTokens += toNumber(row.totalTokens);
    t.costUsd += toNumber(row.costUsd);
    t.unpricedTokens += toNumber(row.unpricedTokens);
    map.set(key, t);
  }
  return [...map.values()].sort((a, b) => b.costUsd - a.costUsd || b.totalTokens - a.totalTokens || a.key.localeCompare(b.key));
}

/** The column sums of a totals table. */
export function grandTotal(totals: readonly UsageTotal[]): UsageTotal {
  const sum = (f: (t: UsageTotal) => number) => totals.reduce((acc, t) => acc + f(t), 0);
  return {
    key: 'total',
    inputTokens: sum((t) => t.inputTokens),
    outputTokens: sum((t) => t.outputTokens),
    cacheReadTokens: sum((t) => t.cacheReadTokens),
    cacheCreationTokens: sum((t) => t.cacheCreationTokens),
    totalTokens: sum((t) => t.totalTokens),
    costUsd: sum((t) => t.costUsd),
    unpricedTokens: sum((t) => t.unpricedTokens),
  };
}
