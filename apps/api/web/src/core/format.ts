/**
 * How numbers, money and instants read on the dashboard. Pure: the current time is passed in,
 * and every function accepts the API's `BigInt` scalar (a JSON number up to 2^53, a decimal
 * string above it) as well as `null` for "no data".
 */

/** A `BigInt` scalar as it arrives in JSON. */
export type BigIntValue = number | string;

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** The scalar as a float, for sums and charts (precision beyond 2^53 does not matter there). */
export function toNumber(value: BigIntValue | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** Exact integer with thousands separators; a string scalar keeps every digit. */
export function formatInteger(value: BigIntValue | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const neg = value.startsWith('-');
    const digits = neg ? value.slice(1) : value;
    return (neg ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  return grouped.format(toNumber(value));
}

const SUFFIXES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Token counts at a glance: `987`, `12.3k`, `4.56M`; three significant digits. */
export function formatCompact(value: BigIntValue | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const n = toNumber(value);
  const abs = Math.abs(n);
  for (const [size, suffix] of SUFFIXES) {
    if (abs >= size) {
      const scaled = n / size;
      const digits = Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2;
      return `${scaled.toFixed(digits)}${suffix}`;
    }
  }
  return grouped.format(n);
}

/** US dollars: cents from one cent up, four decimals below so a cheap session never shows `$0.00`. */
export function formatUsd(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const n = toNumber(value);
  if (n === 0) return '$0.00';
  const abs = Math.abs(n);
  if (abs < 0.0001) return n < 0 ? '-<$0.0001' : '<$0.0001';
  const digits = abs < 0.01 ? 4 : 2;
  const text = abs.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${n < 0 ? '-' : ''}$${text}`;
}

/** `0.125` → `12.5%`; `null` (no calls) → `–`. */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A length of time: `45s`, `12m 5s`, `3h 20m`, `2d 4h`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Milliseconds, for tool call durations: `850 ms`, `2.4 s`, then as {@link formatDuration}. */
export function formatMillis(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms / 1000);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; future instants (clock skew) read "just now". */
export function formatRelative(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'unknown';
  const s = Math.floor((nowMs - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(s / 3600);
  if (h < 36) return `${h} h ago`;
  const d = Math.round(s / 86400);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}

/** A calendar date in the given zone: `Mon 14 Dec 2026`. */
export function formatDate(ms: number, timeZone?: string): string {
  // Joined from parts: ICU versions disagree on the comma after the weekday.
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** A date and time in the given zone: `14 Dec 2026, 09:05`. */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '–';
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).format(t);
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const DAY_SHORT_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const MONTH_FORMAT = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * A calendar day key (`2026-12-14`, or a month `2026-12`) in the one date style the dashboard
 * uses in text and on chart axes: `14 Dec 2026` (`14 Dec` when `short`), `Dec 2026`.
 */
export function formatDay(key: string, short = false): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(key);
  if (!m) return key;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1);
  if (!m[3]) return MONTH_FORMAT.format(t);
  return (short ? DAY_SHORT_FORMAT : DAY_FORMAT).format(t);
}

/** An instant on a time axis, in the same style: `14 Dec 09:05`, or `14 Dec` at midnight-only scales. */
export function formatAxisInstant(ms: number, timeZone: string, withTime: boolean): string {
  const opts: Intl.DateTimeFormatOptions = withTime ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone } : { day: 'numeric', month: 'short', timeZone };
  return new Intl.DateTimeFormat('en-GB', opts).format(ms).replace(',', '');
}
