/* Test-only: transcript files to stream messages, the way the ingestor publishes them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_RUN_BYTES,
  MAX_RUN_LINES,
  runId,
  fingerprint,
  entryId,
  entrySubject,
  isBlankLine,
  LineSplitter,
  parseLine,
  sessionIdFromPath,
  toEntry,
  type EntryEnvelope,
  type ParsedLine,
  type RunEnvelope,
  type RunLine,
} from '@ccpulse/domain';

/** `CCPULSE_FIXTURES`, else `../shared/fixtures` next to the repository root; undefined (warned) when absent. */
export function fixturesDir(): string | undefined {
  const dir = process.env.CCPULSE_FIXTURES ?? path.resolve(__dirname, '../../../../../shared/fixtures');
  if (fs.existsSync(path.join(dir, 'claude', 'projects'))) return dir;
  console.warn(`fixtures not found at ${dir}: the generated corpus only, no real-transcript tier (set CCPULSE_FIXTURES)`);
  return undefined;
}

/** One message as published: subject, Nats-Msg-Id, JSON envelope (v1 or v2). */
export interface TestMessage {
  subject: string;
  msgId: string;
  data: Uint8Array;
}

function listJsonl(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.name.endsWith('.jsonl')) out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** Which envelope the messages use: v2 runs (what the ingestor publishes) unless v1 is asked for. */
export interface MessageShape {
  /** `upgraded`: a file's first half as v1 messages, the rest as v2 runs (an ingestor upgraded mid-file). */
  envelope?: 1 | 2 | 'upgraded';
  /** Cap of a v2 run's body (the ingestor's INGEST_MESSAGE_BYTES). */
  runBytes?: number;
}

/**
 * The messages of one file's bytes, cut as the ingestor cuts them (the one line splitter, at the
 * default line limit): blank lines carry nothing, a line above the limit is a `too_large`
 * rejection, and an unterminated last line is sent only when it is finished (a complete JSON
 * value). v2: consecutive lines in runs under `runBytes`; v1: one message per line, as earlier
 * ingestors published. Written apart from the ingestor's code, so the two check each other.
 */
export function messagesOfFile(bytes: Buffer, file: string, user: string, prefix: string, shape: MessageShape = {}): TestMessage[] {
  const splitter = new LineSplitter(DEFAULT_MAX_LINE_BYTES);
  const lines = splitter.push(bytes);
  const last = splitter.takeFinishedLine();
  if (last) lines.push(last);
  const items: { offset: number; end: number; item?: RunLine }[] = lines.map((line) => {
    const { offset, end } = line;
    if (line.kind === 'line' && isBlankLine(line.bytes)) return { offset, end };
    const parsed: ParsedLine = line.kind === 'line' ? parseLine(line.bytes) : { ok: false, reason: 'too_large', detail: `${line.length} bytes` };
    if (parsed.ok) return { offset, end, item: { o: offset, e: toEntry(parsed.value, { file }) } };
    return { offset, end, item: { o: offset, r: { reason: parsed.reason, ...(parsed.detail ? { detail: parsed.detail } : {}) } } };
  });
  const runBytes = shape.runBytes ?? DEFAULT_RUN_BYTES;
  if (shape.envelope === 1) return v1Messages(items, file, user, prefix);
  if (shape.envelope !== 'upgraded') return v2Messages(items, file, user, prefix, runBytes);
  const half = Math.floor(items.length / 2);
  return [...v1Messages(items.slice(0, half), file, user, prefix), ...v2Messages(items.slice(half), file, user, prefix, runBytes)];
}

function v1Messages(items: { item?: RunLine }[], file: string, user: string, prefix: string): TestMessage[] {
  const out: TestMessage[] = [];
  for (const { item } of items) {
    if (!item) continue;
    const entry = 'e' in item ? item.e : undefined;
    const sessionId = entry ? entry.sessionId : sessionIdFromPath(file);
    const envelope: EntryEnvelope = entry ? { v: 1, user, host: 'test-host', file, offset: item.o, entry } : { v: 1, user, host: 'test-host', file, offset: item.o, rejected: (item as { r: EntryEnvelope['rejected'] }).r };
    out.push({
      subject: entrySubject(user, sessionId, prefix),
      msgId: entryId({ user, sessionId, uuid: entry?.uuid, file, offset: item.o }),
      data: Buffer.from(JSON.stringify(envelope)),
    });
  }
  return out;
}

function v2Messages(items: { offset: number; end: number; item?: RunLine }[], file: string, user: string, prefix: string, runBytes: number): TestMessage[] {
  const out: TestMessage[] = [];
  let run: { start: number; end: number; lines: RunLine[]; bytes: number } | undefined;
  const flush = () => {
    if (!run || run.lines.length === 0) return;
    const envelope: RunEnvelope = { v: 2, user, host: 'test-host', file, start: run.start, end: run.end, lines: run.lines };
    out.push({ subject: entrySubject(user, sessionIdFromPath(file), prefix), msgId: runId(user, file, run.start, run.end, fingerprint(JSON.stringify(run.lines[run.lines.length - 1]))), data: Buffer.from(JSON.stringify(envelope)) });
  };
  for (const { offset, end, item } of items) {
    const bytes = item ? Buffer.byteLength(JSON.stringify(item)) + 1 : 0;
    if (run && run.lines.length > 0 && (run.bytes + bytes > runBytes - 512 || run.lines.length >= MAX_RUN_LINES)) {
      flush();
      run = undefined;
    }
    run ??= { start: offset, end, lines: [], bytes: 0 };
    run.end = end;
    if (item) {
      run.lines.push(item);
      run.bytes += bytes;
    }
  }
  flush();
  return out;
}

/** Every message of every fixture transcript (files in path order). */
export function fixtureMessages(fixtures: string, user: string, prefix: string, shape: MessageShape = {}): TestMessage[] {
  const root = path.join(fixtures, 'claude', 'projects');
  return listJsonl(root).flatMap((file) => messagesOfFile(fs.readFileSync(path.join(root, file)), file, user, prefix, shape));
}
