import type { Rejection } from './rejection';

/** Lines above this many bytes are rejected unparsed (a 50 MB base64 paste must not stall us). */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export type ParsedLine = { ok: true; value: Record<string, unknown> } | Rejection;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True for a line with nothing but whitespace: ignored, neither counted nor rejected. */
export function isBlankLine(line: Uint8Array | string): boolean {
  if (typeof line === 'string') return line.trim().length === 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

/**
 * One transcript line (without its `\n`) to a JSON object, or a typed rejection. Never throws:
 * bad input is a value the caller counts.
 */
export function parseLine(line: Uint8Array | string, maxBytes = DEFAULT_MAX_LINE_BYTES): ParsedLine {
  let text: string;
  if (typeof line === 'string') {
    if (line.length > maxBytes) return { ok: false, reason: 'too_large', detail: `${line.length} chars` };
    text = line;
  } else {
    if (line.length > maxBytes) return { ok: false, reason: 'too_large', detail: `${line.length} bytes` };
    try {
      text = utf8.decode(line);
    } catch {
      return { ok: false, reason: 'invalid_utf8' };
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, reason: 'too_deep' };
    return { ok: false, reason: 'malformed_json', detail: (err as Error).message.slice(0, 120) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'not_object', detail: Array.isArray(value) ? 'array' : typeof value };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
