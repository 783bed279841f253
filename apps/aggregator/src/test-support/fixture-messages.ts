/* Test-only: transcript files to stream messages, the way the ingestor publishes them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_MAX_LINE_BYTES,
  entryId,
  entrySubject,
  isBlankLine,
  LineSplitter,
  parseLine,
  sessionIdFromPath,
  toEntry,
  type EntryEnvelope,
  type ParsedLine,
} from '@ccpulse/domain';

/** `CCPULSE_FIXTURES`, else `../shared/fixtures` next to the repository root; undefined (warned) when absent. */
export function fixturesDir(): string | undefined {
  const dir = process.env.CCPULSE_FIXTURES ?? path.resolve(__dirname, '../../../../../shared/fixtures');
  if (fs.existsSync(path.join(dir, 'claude', 'projects'))) return dir;
  console.warn(`fixtures not found at ${dir}: the generated corpus only, no real-transcript tier (set CCPULSE_FIXTURES)`);
  return undefined;
}

/** One message as published: subject, Nats-Msg-Id, JSON envelope. */
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

/**
 * The messages of one file's bytes, cut as the ingestor cuts them (the one line splitter, at the
 * default line limit): blank lines skipped, a line above the limit sent as a `too_large`
 * rejection, and an unterminated last line sent only when it is finished (a complete JSON value).
 */
export function messagesOfFile(bytes: Buffer, file: string, user: string, prefix: string): TestMessage[] {
  const splitter = new LineSplitter(DEFAULT_MAX_LINE_BYTES);
  const lines = splitter.push(bytes);
  const last = splitter.takeFinishedLine();
  if (last) lines.push(last);
  const out: TestMessage[] = [];
  for (const line of lines) {
    const { offset } = line;
    if (line.kind === 'line' && isBlankLine(line.bytes)) continue;
    const parsed: ParsedLine = line.kind === 'line' ? parseLine(line.bytes) : { ok: false, reason: 'too_large', detail: `${line.length} bytes` };
    let envelope: EntryEnvelope;
    let sessionId: string | undefined;
    let uuid: string | undefined;
    if (parsed.ok) {
      const entry = toEntry(parsed.value, { file });
      sessionId = entry.sessionId;
      uuid = entry.uuid;
      envelope = { v: 1, user, host: 'test-host', file, offset, entry };
    } else {
      sessionId = sessionIdFromPath(file);
      envelope = { v: 1, user, host: 'test-host', file, offset, rejected: { reason: parsed.reason, ...(parsed.detail ? { detail: parsed.detail } : {}) } };
    }
    out.push({
      subject: entrySubject(user, sessionId, prefix),
      msgId: entryId({ user, sessionId, uuid, file, offset }),
      data: Buffer.from(JSON.stringify(envelope)),
    });
  }
  return out;
}

/** Every message of every fixture transcript (files in path order). */
export function fixtureMessages(fixtures: string, user: string, prefix: string): TestMessage[] {
  const root = path.join(fixtures, 'claude', 'projects');
  return listJsonl(root).flatMap((file) => messagesOfFile(fs.readFileSync(path.join(root, file)), file, user, prefix));
}
