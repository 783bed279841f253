/**
 * Which copy counts, as data. Every place that picks a winner among copies (the report's ledgers,
 * the aggregator's per-batch pre-aggregation, the upsert's `where (…) < (…)`, the bulk load's
 * `DISTINCT ON … ORDER BY`) derives its comparison from these lists, so they cannot drift apart.
 *
 * Each rule is an ordered list of keys; the first key that differs decides, the smallest value
 * wins. Booleans order false before true; strings by code unit (PostgreSQL `collate "C"`);
 * timestamps at microsecond precision (what PostgreSQL stores; JS `Date` would truncate to the
 * millisecond and let one batch pick another winner than two batches); a missing value sorts
 * last whatever the direction.
 */

import { parseTimestamp } from '../entry/timestamp';
import { fingerprint } from '../entry/fingerprint';

export type CopyKeyKind = 'boolean' | 'number' | 'text' | 'timestamp';

export interface CopyOrderKey<F extends string = string> {
  field: F;
  kind: CopyKeyKind;
  direction: 'asc' | 'desc';
}

export type CopyOrder<F extends string = string> = readonly CopyOrderKey<F>[];

/**
 * One API response's copies (same `message.id:requestId`): a main-chain copy beats a sidechain
 * replay, then the larger token total (streaming snapshots grow), then the earlier timestamp,
 * then the smaller sessionId, then the smaller entry key.
 */
export const USAGE_COPY_ORDER = [
  { field: 'isSidechain', kind: 'boolean', direction: 'asc' },
  { field: 'totalTokens', kind: 'number', direction: 'desc' },
  { field: 'ts', kind: 'timestamp', direction: 'asc' },
  { field: 'sessionId', kind: 'text', direction: 'asc' },
  { field: 'entryKey', kind: 'text', direction: 'asc' },
] as const satisfies CopyOrder;

/**
 * One line's copies (same uuid): the earliest timestamp, then the smallest sessionId, then the
 * smaller {@link entryContentKey} — copies that differ in content at the same instant in the same
 * session (an edited line written again) must not be decided by arrival order.
 */
export const ENTRY_COPY_ORDER = [
  { field: 'ts', kind: 'timestamp', direction: 'asc' },
  { field: 'sessionId', kind: 'text', direction: 'asc' },
  { field: 'content', kind: 'text', direction: 'asc' },
] as const satisfies CopyOrder;

/** One event's copies (same tool_use id or event key): the entry rule, then the smallest entry key. */
export const EVENT_COPY_ORDER = [
  { field: 'ts', kind: 'timestamp', direction: 'asc' },
  { field: 'sessionId', kind: 'text', direction: 'asc' },
  { field: 'entryKey', kind: 'text', direction: 'asc' },
] as const satisfies CopyOrder;

export type CopyValue = boolean | number | string | null | undefined;

/**
 * Negative when `a` is kept over `b`. Timestamps must be given as epoch microseconds
 * ({@link epochMicros}); undefined or null is missing.
 */
export function compareByOrder<F extends string>(order: CopyOrder<F>, a: (field: F) => CopyValue, b: (field: F) => CopyValue): number {
  for (const key of order) {
    const va = a(key.field);
    const vb = b(key.field);
    if (va === vb) continue;
    if (va === undefined || va === null) return 1;
    if (vb === undefined || vb === null) return -1;
    const c = va < vb ? -1 : va > vb ? 1 : 0;
    if (c !== 0) return key.direction === 'asc' ? c : -c;
  }
  return 0;
}

/** Epoch microseconds of an instant given as epoch ms with a fraction (the domain's `ts`). */
export function microsOfMs(ms: number | undefined): number | undefined {
  return ms === undefined || !Number.isFinite(ms) ? undefined : Math.round(ms * 1000);
}

/**
 * Epoch microseconds of a stored instant: an RFC 3339 string (any fraction; what the aggregator
 * writes and PostgreSQL returns as text), a Date (ms), epoch ms, or nothing (undefined).
 */
export function epochMicros(value: string | number | Date | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return microsOfMs(value.getTime());
  if (typeof value === 'number') return microsOfMs(value);
  return microsOfMs(parseTimestamp(value));
}

/**
 * A short fingerprint of an entry's content (over its JSON):
 * the last tie-break between copies of one line. The report and the aggregator compute it over the
 * same entry (the envelope's entry is its JSON round trip), so they pick the same copy.
 */
export function entryContentKey(entry: unknown): string {
  return fingerprint(JSON.stringify(entry) ?? '');
}
