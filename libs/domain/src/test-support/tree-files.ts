/* Test-only: generated transcript trees as lines and as files on disk. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from '../entry/line-splitter';
import { DEFAULT_MAX_LINE_BYTES } from '../entry/parse-line';

const decoder = new TextDecoder('utf-8');

/**
 * A file's lines as the readers see them: split at `\n` (a `\r` before it is JSON whitespace), a
 * leading byte-order mark dropped (the byte readers' UTF-8 decoder drops it), a final line
 * without `\n` kept only when the readers take it (`LineSplitter.takeFinishedLine`: a complete
 * JSON value within the line limit).
 */
export function linesOfBytes(bytes: Buffer): string[] {
  const lines = decoder.decode(bytes).split('\n');
  if (lines.at(-1) === '') lines.pop();
  else if (lines.length > 0 && !finishedLastLine(bytes)) lines.pop();
  return lines;
}

function finishedLastLine(bytes: Buffer): boolean {
  const splitter = new LineSplitter(DEFAULT_MAX_LINE_BYTES, bytes.lastIndexOf(0x0a) + 1);
  splitter.push(bytes.subarray(bytes.lastIndexOf(0x0a) + 1));
  return splitter.takeFinishedLine() !== undefined;
}

/** Writes `files` (relative path → bytes) under `root`. */
export function writeTree(root: string, files: Map<string, Buffer>): void {
  for (const [file, bytes] of files) {
    const p = path.join(root, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
  }
}
