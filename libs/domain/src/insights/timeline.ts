import type { UsageRecord } from '../usage/usage-record';

/**
 * Tokens and cost per time bucket. Buckets are epoch-aligned and 2^k minutes wide; when there
 * would be more than `maxPoints` of them the width doubles and neighbours merge. The width ends
 * up as the smallest one that fits the data, whatever the order records arrived in, so the
 * timeline is order-independent and bounded.
 */
export interface TimelineState {
  bucketMs: number;
  maxPoints: number;
  /** bucket start (epoch ms, as a string key) → sums */
  buckets: Record<string, { tokens: number; costUsd: number }>;
}

export interface TimelinePoint {
  /** Bucket start, RFC 3339. */
  at: string;
  atMs: number;
  tokens: number;
  costUsd: number;
  cumulativeTokens: number;
  cumulativeCostUsd: number;
}

export const MINUTE_MS = 60_000;

export function initialTimeline(maxPoints = 500): TimelineState {
  return { bucketMs: MINUTE_MS, maxPoints, buckets: {} };
}

/** Adds one kept response (mutates and returns `t`); records without a timestamp have no place. */
export function addToTimeline(t: TimelineState, record: Pick<UsageRecord, 'ts' | 'total'>, costUsd: number): TimelineState {
  if (record.ts === undefined) return t;
  const key = String(Math.floor(record.ts / t.bucketMs) * t.bucketMs);
  const b = t.buckets[key];
  if (b) {
    b.tokens += record.total;
    b.costUsd += costUsd;
  } else {
    t.buckets[key] = { tokens: record.total, costUsd };
    while (Object.keys(t.buckets).length > t.maxPoints) widen(t);
  }
  return t;
}

function widen(t: TimelineState): void {
  const width = t.bucketMs * 2;
  const merged: TimelineState['buckets'] = {};
  for (const [start, b] of Object.entries(t.buckets)) {
    const key = String(Math.floor(Number(start) / width) * width);
    const m = merged[key];
    if (m) {
      m.tokens += b.tokens;
      m.costUsd += b.costUsd;
    } else merged[key] = { ...b };
  }
  t.bucketMs = width;
  t.buckets = merged;
}

/** The buckets in time order with running totals. */
export function timelinePoints(t: TimelineState): TimelinePoint[] {
  const starts = Object.keys(t.buckets).map(Number).sort((a, b) => a - b);
  let tokens = 0;
  let cost = 0;
  return starts.map((atMs) => {
    const b = t.buckets[String(atMs)];
    tokens += b.tokens;
    cost += b.costUsd;
    return { at: new Date(atMs).toISOString(), atMs, tokens: b.tokens, costUsd: b.costUsd, cumulativeTokens: tokens, cumulativeCostUsd: cost };
  });
}
