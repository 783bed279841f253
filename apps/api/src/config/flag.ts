import { ConfigError } from '@ccpulse/runtime';

const FALSEY = new Set(['0', 'false', 'no', 'off']);
const TRUTHY = new Set(['1', 'true', 'yes', 'on']);

/**
 * Reads an on/off switch written by a person: `0,false,no,off` are off and `1,true,yes,on` are
 * on (case-insensitive, surrounding blanks ignored). Anything else is a mistake we refuse rather
 * than guess at, naming the setting.
 */
export function parseFlag(setting: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (FALSEY.has(v)) return false;
    if (TRUTHY.has(v)) return true;
  }
  throw new ConfigError(setting, `expected one of 1,true,yes,on or 0,false,no,off, got ${JSON.stringify(value)}`);
}
