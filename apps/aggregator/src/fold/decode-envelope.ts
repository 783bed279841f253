import { isSubjectToken, type Entry, type EntryEnvelope } from '@ccpulse/domain';

/** A message the fold can apply, or why it cannot (recorded in `rejected_entries`, then acked). */
export type DecodedMessage =
  | { ok: true; envelope: EntryEnvelope & { entry: Entry } }
  | { ok: false; reason: string; detail?: string; envelope?: Partial<EntryEnvelope> };

const decoder = new TextDecoder('utf-8', { fatal: true });
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Parses one stream payload at the edge, once. Never throws: bad bytes, bad JSON, an envelope of
 * another version or an entry missing the fields the fold reads become typed rejections. An
 * envelope the ingestor itself marked `rejected` keeps the ingestor's reason.
 */
export function decodeEnvelope(data: Uint8Array, subject?: string): DecodedMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch (err) {
    return { ok: false, reason: 'bad_envelope', detail: `not JSON: ${(err as Error).message}`.slice(0, 200) };
  }
  if (!isObject(raw)) return { ok: false, reason: 'bad_envelope', detail: 'not an object' };
  const partial: Partial<EntryEnvelope> = {};
  if (typeof raw.user === 'string') partial.user = raw.user;
  if (typeof raw.file === 'string') partial.file = raw.file;
  if (typeof raw.offset === 'number') partial.offset = raw.offset;
  if (raw.v !== 1) return { ok: false, reason: 'bad_envelope', detail: `unsupported envelope version ${String(raw.v)}`, envelope: partial };
  if (typeof raw.user !== 'string' || !isSubjectToken(raw.user)) {
    return { ok: false, reason: 'bad_envelope', detail: 'user missing or not [A-Za-z0-9_-]+', envelope: partial };
  }
  // NATS permissions restrict who may publish on `<prefix>.entries.<user>.…`, not what a body
  // claims: the subject's user is the one that counts, and a body naming someone else is refused.
  const subjectUser = subject === undefined ? undefined : userOfSubject(subject);
  if (subjectUser !== undefined && subjectUser !== raw.user) {
    return { ok: false, reason: 'user_mismatch', detail: `envelope user ${raw.user} published on ${subjectUser}'s subject`, envelope: partial };
  }
  if (typeof raw.file !== 'string' || typeof raw.offset !== 'number' || !Number.isSafeInteger(raw.offset) || raw.offset < 0) {
    return { ok: false, reason: 'bad_envelope', detail: 'file or offset missing', envelope: partial };
  }
  if (isObject(raw.rejected)) {
    const reason = typeof raw.rejected.reason === 'string' ? raw.rejected.reason : 'unknown';
    const detail = typeof raw.rejected.detail === 'string' ? raw.rejected.detail : undefined;
    return { ok: false, reason, ...(detail ? { detail } : {}), envelope: partial };
  }
  const entry = raw.entry;
  if (!isObject(entry) || typeof entry.kind !== 'string' || typeof entry.type !== 'string') {
    return { ok: false, reason: 'bad_envelope', detail: 'entry missing', envelope: partial };
  }
  for (const list of ['toolUses', 'toolResults', 'commands'] as const) {
    if (entry[list] === undefined) entry[list] = [];
    else if (!Array.isArray(entry[list])) return { ok: false, reason: 'bad_envelope', detail: `entry.${list} is not a list`, envelope: partial };
  }
  if (entry.ts !== undefined && (typeof entry.ts !== 'number' || !Number.isFinite(entry.ts))) {
    return { ok: false, reason: 'bad_envelope', detail: 'entry.ts is not a number', envelope: partial };
  }
  return { ok: true, envelope: raw as unknown as EntryEnvelope & { entry: Entry } };
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
