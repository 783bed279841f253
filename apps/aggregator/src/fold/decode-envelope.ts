import { MAX_RUN_LINES, isSubjectToken, type Entry } from '@ccpulse/domain';

/** One line of a stream message, as the fold keys and stores it (either envelope version). */
export interface LineEnvelope {
  user: string;
  host?: string;
  /** Path relative to the transcript root, as published. */
  file: string;
  /** Byte offset of the line in its file. */
  offset: number;
  entry: Entry;
}

/** Where a line the fold cannot apply came from, as far as the message tells. */
export interface LineOrigin {
  user?: string;
  file?: string;
  offset?: number;
}

/**
 * One line of a message the fold can apply, or why it cannot (recorded in `rejected_entries`).
 * `index` is the line's place in its message (0 for v1), which makes its position in the stream.
 */
export type DecodedLine =
  | { ok: true; index: number; line: LineEnvelope }
  | { ok: false; index: number; reason: string; detail?: string; origin?: LineOrigin };

const decoder = new TextDecoder('utf-8', { fatal: true });
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isOffset = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses one stream payload at the edge, once, into its lines: one for an envelope v1, the run's
 * lines for a v2. Never throws: bad bytes, bad JSON, an unknown version or an entry missing the
 * fields the fold reads become typed rejections (one for the whole message when its envelope is
 * unusable, else one per bad line). A line the ingestor itself rejected keeps the ingestor's reason.
 */
export function decodeMessage(data: Uint8Array, subject?: string): DecodedLine[] {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch (err) {
    return [refused(`not JSON: ${(err as Error).message}`.slice(0, 200))];
  }
  if (!isObject(raw)) return [refused('not an object')];
  const origin: LineOrigin = {};
  if (typeof raw.user === 'string') origin.user = raw.user;
  if (typeof raw.file === 'string') origin.file = raw.file;
  const offset = raw.v === 2 ? raw.start : raw.offset;
  if (isOffset(offset)) origin.offset = offset;
  if (raw.v !== 1 && raw.v !== 2) return [refused(`unsupported envelope version ${String(raw.v)}`, origin)];
  if (typeof raw.user !== 'string' || !isSubjectToken(raw.user)) return [refused('user missing or not [A-Za-z0-9_-]+', origin)];
  // NATS permissions restrict who may publish on `<prefix>.entries.<user>.…`, not what a body
  // claims: the subject's user is the one that counts, and a body naming someone else is refused.
  const subjectUser = subject === undefined ? undefined : userOfSubject(subject);
  if (subjectUser !== undefined && subjectUser !== raw.user) {
    return [{ ok: false, index: 0, reason: 'user_mismatch', detail: `envelope user ${raw.user} published on ${subjectUser}'s subject`, origin }];
  }
  if (typeof raw.file !== 'string') return [refused('file missing', origin)];
  const head = { user: raw.user, ...(typeof raw.host === 'string' ? { host: raw.host } : {}), file: raw.file };
  if (raw.v === 1) {
    if (!isOffset(raw.offset)) return [refused('offset missing', origin)];
    return [decodeLine(0, raw.offset, raw.entry, raw.rejected, head)];
  }
  const { start, end, lines } = raw;
  if (!isOffset(start) || !isOffset(end) || end < start) return [refused('start or end missing', origin)];
  if (!Array.isArray(lines) || lines.length > MAX_RUN_LINES) return [refused(`lines missing or more than ${MAX_RUN_LINES}`, origin)];
  return lines.map((item: unknown, index): DecodedLine => {
    if (!isObject(item) || !isOffset(item.o) || item.o < start || item.o >= end) return refused('line without an offset inside the run', origin, index);
    return decodeLine(index, item.o, item.e, item.r, head);
  });
}

/** The line's entry checked for the fields the fold reads, or its rejection. */
function decodeLine(index: number, offset: number, entry: unknown, rejected: unknown, head: Omit<LineEnvelope, 'offset' | 'entry'>): DecodedLine {
  const origin = { user: head.user, file: head.file, offset };
  if (isObject(rejected)) {
    const reason = typeof rejected.reason === 'string' ? rejected.reason : 'unknown';
    const detail = typeof rejected.detail === 'string' ? rejected.detail : undefined;
    return { ok: false, index, reason, ...(detail ? { detail } : {}), origin };
  }
  if (!isObject(entry) || typeof entry.kind !== 'string' || typeof entry.type !== 'string') return refused('entry missing', origin, index);
  for (const list of ['toolUses', 'toolResults', 'commands'] as const) {
    if (entry[list] === undefined) entry[list] = [];
    else if (!Array.isArray(entry[list])) return refused(`entry.${list} is not a list`, origin, index);
  }
  if (entry.ts !== undefined && (typeof entry.ts !== 'number' || !Number.isFinite(entry.ts))) return refused('entry.ts is not a number', origin, index);
  return { ok: true, index, line: { ...head, offset, entry: entry as unknown as Entry } };
}

function refused(detail: string, origin?: LineOrigin, index = 0): DecodedLine {
  return { ok: false, index, reason: 'bad_envelope', detail, ...(origin ? { origin } : {}) };
}

/**
 * Where a line sits in the stream, unique per line and in stream order: the message's sequence
 * times `MAX_RUN_LINES` (2^12), plus the line's index in its message. Rows folded before runs
 * existed hold the bare sequence, which is below every position of a later message, so an
 * upgraded projection keeps its order without a rebuild. Sequences up to 2^41 stay under 2^53.
 */
export function linePosition(seq: number, index: number): number {
  return seq * MAX_RUN_LINES + index;
}

/** The user token of `<prefix>.entries.<user>.<session>`, or undefined for any other subject. */
export function userOfSubject(subject: string): string | undefined {
  // Scanned from the end rather than split: this runs for every message.
  const last = subject.lastIndexOf('.');
  const beforeUser = last > 0 ? subject.lastIndexOf('.', last - 1) : -1;
  const beforeEntries = beforeUser > 0 ? subject.lastIndexOf('.', beforeUser - 1) : -1;
  if (beforeEntries < 1 || subject.slice(beforeEntries + 1, beforeUser) !== 'entries') return undefined;
  return subject.slice(beforeUser + 1, last);
}
