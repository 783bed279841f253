import { type RawBuilder, sql } from 'kysely';

/** `"schema"."table"` for raw SQL in a projection schema. */
export function table(schema: string, name: string): RawBuilder<unknown> {
  return sql.id(schema, name);
}

/** A timestamp for an unnest() array: ISO text (exact to the ms), or null. */
export function isoOrNull(v: Date | string | number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return new Date(v).toISOString();
  return v;
}

/** Epoch ms of a timestamp, +Infinity for none (a missing timestamp loses every tie-break). */
export function msOrInfinity(v: Date | string | number | null | undefined): number {
  if (v === null || v === undefined) return Number.POSITIVE_INFINITY;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Unique objects by a string key. */
export function uniqueBy<T>(values: Iterable<T>, key: (v: T) => string): T[] {
  const out = new Map<string, T>();
  for (const v of values) if (!out.has(key(v))) out.set(key(v), v);
  return [...out.values()];
}
