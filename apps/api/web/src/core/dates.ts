/** Calendar arithmetic on `YYYY-MM-DD` day strings; zones via Intl, the clock passed in. */

/** The calendar day of an instant in an IANA zone. */
export function dayInZone(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `day` moved by `n` days (negative goes back). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The last `days` calendar days ending today in the zone, inclusive, as the API's from/to. */
export function lastDays(days: number, nowMs: number, timeZone: string): { from: string; to: string } {
  const to = dayInZone(nowMs, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

/** The browser's zone, UTC when it cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
