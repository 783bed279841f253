import { readSync } from 'node:fs';
import { LineSplitter, type LineVisitor } from '@ccpulse/domain';

const CHUNK_BYTES = 1 << 20;
/** Reused by every call: the report reads synchronously, one range at a time per thread. */
const chunk = Buffer.allocUnsafe(CHUNK_BYTES);

/**
 * Tells `visit` about the lines of `fd` from `start` (a line start) up to `end` (a line start,
 * or Infinity for the end of the file), read synchronously in 1 MiB chunks and cut by the line
 * splitter: the report's reader, which has no event loop to share and so skips the async
 * generator's cost per line. A last line without `\n` is taken at the end of the file when it is
 * a complete JSON value, as the ingestor takes it (`LineSplitter.takeFinishedLine`); otherwise it
 * is left out, neither counted nor rejected. Lines longer than `maxLineBytes` are measured, not
 * kept.
 */
export function forEachLineInRange(fd: number, start: number, end: number, maxLineBytes: number, visit: LineVisitor): void {
  const splitter = new LineSplitter(maxLineBytes, start);
  while (splitter.nextOffset < end) {
    const got = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, end - splitter.nextOffset), splitter.nextOffset);
    if (got === 0) break;
    splitter.scan(got < CHUNK_BYTES ? chunk.subarray(0, got) : chunk, visit);
  }
  const last = splitter.takeFinishedLine();
  if (last) visit.line(last.bytes, 0, last.bytes.length, last.offset);
}
