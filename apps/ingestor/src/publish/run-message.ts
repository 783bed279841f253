import {
  MAX_RUN_LINES,
  RUN_HEADERS,
  entrySubject,
  fingerprint,
  headerSafe,
  parseLine,
  runId,
  sessionIdFromPath,
  toEntry,
  type ContentMode,
  type LineRejection,
  type RejectionReason,
} from '@ccpulse/domain';
import { redactEntry, redactTranscriptPath, type Redaction } from './redact';

/** Who publishes and how: the parts of a message that do not depend on the lines. */
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

/** One line as an item of a run (envelope v2): `{"o":<offset>,"e":<entry>}` or `{"o":…,"r":<rejection>}`. */
export interface RunItem {
  json: string;
  /** UTF-8 length of `json`. */
  bytes: number;
  /** Set when the line travels as a rejection (it is still published, so it is counted centrally). */
  rejected?: RejectionReason;
  /** The line's bytes, for the fingerprint in the id of a run it ends (valid while the chunk is published). */
  raw?: Uint8Array;
}

/** A run ready to publish: subject, `Nats-Msg-Id`, the other headers and the envelope as JSON. */
export interface RunMessage {
  subject: string;
  msgId: string;
  /** Header lines after `Nats-Msg-Id`, each ending in CRLF. */
  headers: string;
  /**
   * The envelope's JSON, kept as a string (on the V8 heap) until it is written into the outgoing
   * frame: a Buffer per message held until its PubAck is memory outside the heap that only a
   * full collection frees.
   */
  data: string;
  /** UTF-8 length of `data`. */
  bytes: number;
  /** Lines it carries (items: blank lines are covered by the range but carry none). */
  lines: number;
}

/**
 * A transcript line to its item. A malformed line becomes a rejection item at its offset: the
 * aggregator records it, and the ingestor counts it locally.
 */
export function lineItem(bytes: Uint8Array, offset: number, ctx: LineContext): RunItem {
  const parsed = parseLine(bytes, ctx.maxLineBytes);
  if (!parsed.ok) return { ...rejectionItem(offset, parsed.reason, parsed.detail), raw: bytes };
  const parsedEntry = toEntry(parsed.value, { file: ctx.file, content: ctx.content });
  const entry = ctx.redact ? redactEntry(ctx.redact, parsedEntry) : parsedEntry;
  const json = `{"o":${offset},"e":${JSON.stringify(entry)}}`;
  return { json, bytes: Buffer.byteLength(json), raw: bytes };
}

export function rejectionItem(offset: number, reason: RejectionReason, detail?: string): RunItem {
  const rejected: LineRejection = detail === undefined ? { reason } : { reason, detail };
  const json = `{"o":${offset},"r":${JSON.stringify(rejected)}}`;
  return { json, bytes: Buffer.byteLength(json), rejected: reason };
}

/** Consecutive lines of one file being gathered into one message. */
export class Run {
  readonly items: RunItem[] = [];
  /** UTF-8 length of the items joined with commas. */
  itemBytes = 0;
  end: number;

  /** `itemBudget`: the bytes the items may take (see {@link itemBudget}). */
  constructor(
    readonly start: number,
    private readonly itemBudget: number,
  ) {
    this.end = start;
  }

  /** True when `item` still fits (a first item always does: a long line travels alone). */
  fits(item: RunItem): boolean {
    if (this.items.length === 0) return true;
    return this.items.length < MAX_RUN_LINES && this.itemBytes + 1 + item.bytes <= this.itemBudget;
  }

  add(item: RunItem, end: number): void {
    this.itemBytes += (this.items.length > 0 ? 1 : 0) + item.bytes;
    this.items.push(item);
    this.end = end;
  }
}

/**
 * The run's message. Its subject is the file's session (entries inside keep their own
 * `sessionId`), so per-user publish permissions hold as they did for single lines.
 */
export function runMessage(run: Run, ctx: LineContext): RunMessage {
  const file = publishedFile(ctx);
  const head = envelopeHead(ctx, file, run.start, run.end);
  let data = head;
  for (let i = 0; i < run.items.length; i++) data += i === 0 ? run.items[i].json : `,${run.items[i].json}`;
  data += ']}';
  return {
    subject: entrySubject(ctx.user, sessionIdFromPath(ctx.file), ctx.subjectPrefix),
    msgId: runId(ctx.user, file, run.start, run.end, lastLineTag(run)),
    headers: `${RUN_HEADERS.version}: 2\r\n${RUN_HEADERS.file}: ${headerSafe(file)}\r\n${RUN_HEADERS.range}: ${run.start}-${run.end}\r\n`,
    data,
    bytes: Buffer.byteLength(head) + run.itemBytes + 2,
    lines: run.items.length,
  };
}

/**
 * The fingerprint of the run's last line, over its bytes as they are in the file (its item may
 * have dropped what tells two lines apart): a rewritten file's run over the same range has
 * another id. A line too long to hold is told by its item (its length).
 */
function lastLineTag(run: Run): string {
  const last = run.items[run.items.length - 1];
  return fingerprint(last.raw ? Buffer.from(last.raw.buffer, last.raw.byteOffset, last.raw.byteLength).toString('latin1') : last.json);
}

/** The bytes a run's items may take in a body of at most `capBytes` (the rest is the envelope, offsets of up to 16 digits). */
export function itemBudget(capBytes: number, ctx: LineContext): number {
  const fixed = Buffer.byteLength(`${envelopeHead(ctx, publishedFile(ctx), '', '')}]}`);
  return capBytes - fixed - 32;
}

/** The envelope up to its first item: `{"v":2,…,"lines":[`. */
function envelopeHead(ctx: LineContext, file: string, start: number | '', end: number | ''): string {
  return `{"v":2,"user":${JSON.stringify(ctx.user)},"host":${JSON.stringify(ctx.host)},"file":${JSON.stringify(file)},"start":${start},"end":${end},"lines":[`;
}

/** The transcript path as published: its project folder hashed under INGEST_REDACT=paths. */
function publishedFile(ctx: LineContext): string {
  return ctx.redact?.paths ? redactTranscriptPath(ctx.redact.salt, ctx.file) : ctx.file;
}
