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

/** Who publishes and how: the parts of a message that do not depend on the line. */
export interface LineContext {
  user: string;
  host: string;
  /** Path relative to the transcript root. */
  file: string;
  content: ContentMode;
  subjectPrefix: string;
  maxLineBytes: number;
}

/** A line ready for `js.publish`: subject, `Nats-Msg-Id` and the encoded envelope. */
export interface LineMessage {
  subject: string;
  msgId: string;
  data: Uint8Array;
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
  const entry = toEntry(parsed.value, { file: ctx.file, content: ctx.content });
  const envelope: EntryEnvelope = { v: 1, user: ctx.user, host: ctx.host, file: ctx.file, offset, entry };
  return {
    subject: entrySubject(ctx.user, entry.sessionId, ctx.subjectPrefix),
    msgId: entryId({ user: ctx.user, sessionId: entry.sessionId, uuid: entry.uuid, file: ctx.file, offset }),
    data: Buffer.from(JSON.stringify(envelope)),
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
    file: ctx.file,
    offset,
    rejected: detail === undefined ? { reason } : { reason, detail },
  };
  return {
    subject: entrySubject(ctx.user, sessionIdFromPath(ctx.file), ctx.subjectPrefix),
    msgId: entryId({ user: ctx.user, file: ctx.file, offset }),
    data: Buffer.from(JSON.stringify(envelope)),
    rejected: reason,
  };
}
