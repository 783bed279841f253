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

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(ms);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(ms / 1000) * 1000;
}

/** The instant (RFC 3339, UTC) a calendar day starts in a zone, DST included. */
export function startOfDayInZone(day: string, timeZone: string): string {
  const guess = Date.parse(`${day}T00:00:00Z`);
  let t = guess - zoneOffsetMs(guess, timeZone);
  // Across a DST change the offset at the guess differs from the one at the answer.
  const again = guess - zoneOffsetMs(t, timeZone);
  if (again !== t) t = again;
  return new Date(t).toISOString();
}

/** The zones the picker offers: the browser's list, with UTC and `current` always present. */
export function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  return [...new Set(['UTC', current, ...zones])].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

/** Whether the browser knows the zone (a shared link may name one it does not). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The days a range covers: explicit from/to (a missing end is today, a missing start the preset's
 * length before the end), else the last `days` (or `defaultDays`) days ending today.
 */
export function rangeDays(range: { from?: string; to?: string; days?: number }, defaultDays: number, nowMs: number, timeZone: string): { from: string; to: string } {
  const days = range.days ?? defaultDays;
  if (!range.from && !range.to) return lastDays(days, nowMs, timeZone);
  const to = range.to ?? dayInZone(nowMs, timeZone);
  return { from: range.from ?? addDays(to, -(days - 1)), to };
}
