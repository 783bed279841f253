import {
  entryId,
  entrySubject,
  parseLine,
  sessionIdFromPath,
  toEntry,
  type ContentMode,
  type EntryEnvelope,
  type RejectionReason,
} from '@ccpulse/domain';
import { redactEntry, redactTranscriptPath, type Redaction } from './redact';

/** Who publishes and how: the parts of a message that do not depend on the line. */
export interface LineContext {
  user: string;
  host: string;
  /** Path relative to the transcript root. */
  file: string;
  content: ContentMode;
  subjectPrefix: string;
  maxLineBytes: number;
  /** INGEST_REDACT: hide paths and/or branches before publishing. */
  redact?: Redaction;
}

/** A line ready to publish: subject, `Nats-Msg-Id` and the envelope as JSON. */
export interface LineMessage {
  subject: string;
  msgId: string;
  /**
   * The envelope's JSON, kept as a string (on the V8 heap) until it is written into the outgoing
   * frame: a Buffer per message held until its PubAck is memory outside the heap that only a
   * full collection frees.
   */
  data: string;
  /** UTF-8 length of `data`. */
  bytes: number;
  /** Set when the line travels as a rejection (it is still published, so it is counted centrally). */
  rejected?: RejectionReason;
}

/**
 * A transcript line to its stream message. Malformed lines are published too, as rejections
 * keyed by file and offset: the aggregator counts them, and the ingestor counts them locally.
 */
export function toLineMessage(bytes: Uint8Array, offset: number, ctx: LineContext): LineMessage {
  const parsed = parseLine(bytes, ctx.maxLineBytes);
  if (!parsed.ok) return rejectionMessage(offset, ctx, parsed.reason, parsed.detail);
  const parsedEntry = toEntry(parsed.value, { file: ctx.file, content: ctx.content });
  const entry = ctx.redact ? redactEntry(ctx.redact, parsedEntry) : parsedEntry;
  const envelope: EntryEnvelope = { v: 1, user: ctx.user, host: ctx.host, file: publishedFile(ctx), offset, entry };
  const data = JSON.stringify(envelope);
  return {
    subject: entrySubject(ctx.user, entry.sessionId, ctx.subjectPrefix),
    msgId: entryId({ user: ctx.user, sessionId: entry.sessionId, uuid: entry.uuid, file: ctx.file, offset }),
    data,
    bytes: Buffer.byteLength(data),
  };
}

/** A rejected line: no entry, id `<user>:<file>:<offset>`, subject of the file's session. */
export function rejectionMessage(
  offset: number,
  ctx: LineContext,
  reason: RejectionReason,
  detail?: string,
): LineMessage {
  const envelope: EntryEnvelope = {
    v: 1,
    user: ctx.user,
    host: ctx.host,
    file: publishedFile(ctx),
    offset,
    rejected: detail === undefined ? { reason } : { reason, detail },
  };
  const data = JSON.stringify(envelope);
  return {
    subject: entrySubject(ctx.user, sessionIdFromPath(ctx.file), ctx.subjectPrefix),
    msgId: entryId({ user: ctx.user, file: ctx.file, offset }),
    data,
    bytes: Buffer.byteLength(data),
    rejected: reason,
  };
}

/** The transcript path as published: its project folder hashed under INGEST_REDACT=paths. */
function publishedFile(ctx: LineContext): string {
  return ctx.redact?.paths ? redactTranscriptPath(ctx.redact.salt, ctx.file) : ctx.file;
}
