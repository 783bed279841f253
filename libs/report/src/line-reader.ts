import { open } from 'node:fs/promises';
import { LineSplitter, type SplitLine } from '@ccpulse/domain';

export interface ReadLinesOptions {
  /** Byte offset to start at (a checkpoint); must be the start of a line. */
  start?: number;
  /** Bytes per read; the memory used is about this plus the longest kept line. */
  chunkBytes?: number;
  /** Longer lines are not buffered: they come back `oversized`, with their length. */
  maxLineBytes?: number;
  /**
   * Also yield a last line that has no `\n` at the end of the file, when it is a complete JSON
   * value (the ingestor's rule, `LineSplitter.takeFinishedLine`); any other unterminated last
   * line may still be being written and is left out, neither counted nor rejected. Off by
   * default: a tailer waits for the file to be quiet; a one-shot report wants it.
   */
  final?: boolean;
}

/**
 * The lines of a file from a byte offset, read in chunks and cut by the line splitter: never the
 * whole file in memory. Each read gets a fresh buffer, so yielded `bytes` are views that stay
 * valid after the generator moves on.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<SplitLine> {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const splitter = new LineSplitter(options.maxLineBytes ?? 64 << 20, options.start ?? 0);
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, splitter.nextOffset);
      if (bytesRead === 0) break;
      yield* splitter.push(bytesRead < chunkBytes ? chunk.subarray(0, bytesRead) : chunk);
      if (bytesRead < chunkBytes) break;
    }
    const last = options.final ? splitter.takeFinishedLine() : undefined;
    if (last) yield last;
  } finally {
    await handle.close();
  }
}
