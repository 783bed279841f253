import { open } from 'node:fs/promises';

/** One complete line (without its `\n`) and the byte offset of its first byte in the file. */
export interface FileLine {
  line: Buffer;
  offset: number;
  /** Set when the line was longer than `maxLineBytes`: `line` is then empty and `length` says how long. */
  tooLarge?: boolean;
  length?: number;
}

export interface ReadLinesOptions {
  /** Byte offset to start at (a checkpoint); must be the start of a line. */
  start?: number;
  /** Bytes per read; the memory used is about this plus the longest kept line. */
  chunkBytes?: number;
  /** Longer lines are not buffered: they come back as `tooLarge` with their length. */
  maxLineBytes?: number;
  /**
   * Also yield a last line that has no `\n` at the end of the file. Off by default: a tailer must
   * not take a line Claude Code is still writing; a one-shot report wants it.
   */
  final?: boolean;
}

const NL = 0x0a;

/**
 * The lines of a file from a byte offset, read in chunks and split on `\n` in Buffers: never the
 * whole file in memory. A partial line at a chunk's end is carried into the next read; yielded
 * `line` buffers are views into a chunk and stay valid after the generator moves on.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<FileLine> {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const maxLineBytes = options.maxLineBytes ?? 64 << 20;
  const handle = await open(path, 'r');
  try {
    let position = options.start ?? 0;
    let tail: Buffer[] = [];
    let tailBytes = 0;
    let lineStart = position;
    let skipping = false; // inside a line longer than maxLineBytes
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      const base = position;
      position += bytesRead;
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(NL, from);
        if (nl === -1 || nl >= bytesRead) break;
        if (skipping) {
          yield { line: Buffer.alloc(0), offset: lineStart, tooLarge: true, length: base + nl - lineStart };
          skipping = false;
        } else if (tailBytes > 0) {
          tail.push(chunk.subarray(from, nl));
          yield { line: Buffer.concat(tail, tailBytes + nl - from), offset: lineStart };
        } else {
          yield { line: chunk.subarray(from, nl), offset: lineStart };
        }
        tail = [];
        tailBytes = 0;
        from = nl + 1;
        lineStart = base + from;
      }
      if (from < bytesRead && !skipping) {
        tailBytes += bytesRead - from;
        if (tailBytes > maxLineBytes) {
          skipping = true;
          tail = [];
          tailBytes = 0;
        } else {
          tail.push(chunk.subarray(from, bytesRead));
        }
      }
      if (bytesRead < chunkBytes) break;
    }
    if (options.final) {
      if (skipping) yield { line: Buffer.alloc(0), offset: lineStart, tooLarge: true, length: position - lineStart };
      else if (tailBytes > 0) yield { line: Buffer.concat(tail, tailBytes), offset: lineStart };
    }
  } finally {
    await handle.close();
  }
}
