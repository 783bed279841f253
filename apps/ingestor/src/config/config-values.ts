import { ConfigError } from '@ccpulse/runtime';

/** Small parsers for config values; each names the setting in its error. */

export function integerSetting(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(name, `expected an integer >= ${min}, got '${raw}'`);
  }
  return value;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `2m`, `1h`, `1d`, or plain milliseconds. */
export function durationSetting(name: string, raw: string | undefined, fallbackMs: number): number {
  if (raw === undefined || raw.trim() === '') return fallbackMs;
  const m = DURATION.exec(raw.trim());
  const ms = m ? Math.round(Number(m[1]) * DURATION_MS[m[2] ?? 'ms']) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new ConfigError(name, `expected a duration such as 500ms, 30s, 2m or 1h, got '${raw}'`);
  }
  return ms;
}

const SIZE = /^(\d+)\s*(b|kb|mb|gb|tb|k|m|g|t)?$/i;
const SIZE_BYTES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `-1` (unlimited), bytes, or `512MB`, `10GB`… (binary multiples). */
export function sizeSetting(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  if (raw.trim() === '-1' || raw.trim().toLowerCase() === 'unlimited') return -1;
  const m = SIZE.exec(raw.trim());
  if (!m) throw new ConfigError(name, `expected -1 (unlimited) or a size such as 512MB or 10GB, got '${raw}'`);
  const value = Number(m[1]) * SIZE_BYTES[(m[2] ?? 'b')[0].toLowerCase()];
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(name, `size out of range: '${raw}'`);
  return value;
}

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim() as T;
  if (!allowed.includes(value)) throw new ConfigError(name, `expected one of ${allowed.join('|')}, got '${raw}'`);
  return value;
}
