const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch milliseconds of an RFC 3339 / ISO-8601 timestamp, keeping sub-millisecond digits as a
 * fraction; a timestamp without an offset is UTC. Returns undefined for anything else: a line
 * without a parseable timestamp takes none (it is never stamped "now").
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  // Fast path for what Claude Code writes (`2025-09-03T00:47:19.293Z`): Date.parse is exact at
  // millisecond precision; anything else (microseconds, offsets, no zone) takes the full parse.
  if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */ && value.charCodeAt(19) === 46 /* . */) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  if (frac) ms += Number(`0.${frac}`) * 1000;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, rounding down sub-millisecond fractions. */
export function formatInstant(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
