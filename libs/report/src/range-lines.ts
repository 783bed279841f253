import { readSync } from 'node:fs';

/** Told about each line of a byte range, in order. */
export interface LineVisitor {
  /** A line without its `\n`: `buf[from, to)`, valid only during the call; `offset` is its first byte in the file. */
  line(buf: Buffer, from: number, to: number, offset: number): void;
  /** A line longer than the limit, never buffered: its offset and length. */
  tooLarge(offset: number, length: number): void;
}

const CHUNK_BYTES = 1 << 20;
/** Reused by every call: the report reads synchronously, one range at a time per thread. */
const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
const NL = 0x0a;

/**
 * The lines of `fd` from `start` (a line start) up to `end` (a line start, or Infinity for the
 * end of the file), split on `\n` in Buffers and read synchronously in 1 MiB chunks: the
 * report's reader, which has no event loop to share and so skips the async generator's cost
 * per line. A last line without `\n` is taken at the end of the file. Lines longer than
 * `maxLineBytes` are measured, not kept. Returns how many lines it saw (blank and too large
 * ones included), so the caller can number the lines of the next range of the same file.
 */
export function forEachLineInRange(fd: number, start: number, end: number, maxLineBytes: number, visit: LineVisitor): number {
  let position = start;
  let lines = 0;
  let lineStart = start;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skipping = false; // inside a line longer than maxLineBytes
  while (position < end) {
    const got = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, end - position), position);
    if (got === 0) break;
    const data = got < CHUNK_BYTES ? chunk.subarray(0, got) : chunk;
    const base = position;
    position += got;
    let from = 0;
    for (let nl = data.indexOf(NL, from); nl !== -1; nl = data.indexOf(NL, from)) {
      lines++;
      const length = base + nl - lineStart;
      if (skipping || length > maxLineBytes) visit.tooLarge(lineStart, length);
      else if (carryBytes > 0) {
        carry.push(data.subarray(from, nl));
        visit.line(Buffer.concat(carry, length), 0, length, lineStart);
      } else visit.line(data, from, nl, lineStart);
      skipping = false;
      carry = [];
      carryBytes = 0;
      from = nl + 1;
      lineStart = base + from;
    }
    if (from < got && !skipping) {
      carryBytes += got - from;
      if (carryBytes > maxLineBytes) {
        skipping = true;
        carry = [];
        carryBytes = 0;
      } else carry.push(Buffer.from(data.subarray(from, got))); // the chunk is overwritten by the next read
    }
  }
  if (skipping) {
    lines++;
    visit.tooLarge(lineStart, position - lineStart);
  } else if (carryBytes > 0) {
    lines++;
    visit.line(Buffer.concat(carry, carryBytes), 0, carryBytes, lineStart);
  }
  return lines;
}
