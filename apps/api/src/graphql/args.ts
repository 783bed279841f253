import { badUserInput } from './api-errors';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a `YYYY-MM-DD` argument names a real calendar day. */
export function dayArg(argument: string, value: unknown): string {
  if (typeof value !== 'string' || !DAY.test(value)) throw badUserInput(argument, 'expected a day as YYYY-MM-DD');
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw badUserInput(argument, `${value} is not a calendar day`);
  return value;
}

/** A from/to pair of days, ordered, spanning at most `maxDays`. */
export function dayRangeArgs(from: unknown, to: unknown, maxDays = 3660): { from: string; to: string } {
  const f = dayArg('from', from);
  const t = dayArg('to', to);
  if (f > t) throw badUserInput('to', 'must not be before from');
  const days = (Date.parse(`${t}T00:00:00Z`) - Date.parse(`${f}T00:00:00Z`)) / 86400000 + 1;
  if (days > maxDays) throw badUserInput('to', `the range may span at most ${maxDays} days`);
  return { from: f, to: t };
}

// Zones already accepted: building an Intl formatter per request to check one costs more than
// the rest of argument checking. Only names the tz database knows get in (in any letter case,
// hence the cap).
const knownZones = new Set<string>();
const MAX_KNOWN_ZONES = 2000;

/** An IANA zone name the runtime knows (Postgres knows the same tz database). */
export function timeZoneArg(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw badUserInput(argument, 'expected an IANA time zone such as Europe/Berlin');
  if (knownZones.has(value)) return value;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw badUserInput(argument, `unknown time zone '${value}'`);
  }
  if (knownZones.size >= MAX_KNOWN_ZONES) knownZones.clear();
  knownZones.add(value);
  return value;
}

/** A day (`YYYY-MM-DD`, UTC midnight) or an RFC 3339 instant. `endOfDay` moves a day to its end. */
export function instantArg(argument: string, value: unknown, endOfDay = false): Date {
  if (typeof value !== 'string') throw badUserInput(argument, 'expected YYYY-MM-DD or an RFC 3339 instant');
  if (DAY.test(value)) {
    const d = new Date(`${dayArg(argument, value)}T00:00:00Z`);
    return endOfDay ? new Date(d.getTime() + 86400000) : d;
  }
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) throw badUserInput(argument, 'expected YYYY-MM-DD or an RFC 3339 instant');
  return new Date(t);
}

/** `first` within 1..max. */
export function pageSizeArg(value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw badUserInput('first', 'must be a positive integer');
  if (value > max) throw badUserInput('first', `must be at most ${max}`);
  return value;
}

/** Dates leave the API as RFC 3339 UTC strings. */
export function iso(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export type HomeWindow = 'H24' | 'D7';

/** Start of a home-stats window ending at `now`; unknown windows are BAD_USER_INPUT. */
export function windowStart(window: unknown, now: Date): Date {
  if (window === 'H24') return new Date(now.getTime() - 24 * 3600 * 1000);
  if (window === 'D7') return new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  throw badUserInput('window', `expected H24 or D7, got ${JSON.stringify(window)}`);
}
