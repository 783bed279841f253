/* Test-only: generated transcript trees as lines and as files on disk. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const decoder = new TextDecoder('utf-8');

/**
 * A file's lines as the readers see them: split at `\n` (a `\r` before it is JSON whitespace), a
 * leading byte-order mark dropped (the byte readers' UTF-8 decoder drops it), a final line
 * without `\n` kept.
 */
export function linesOfBytes(bytes: Buffer): string[] {
  const lines = decoder.decode(bytes).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Writes `files` (relative path → bytes) under `root`. */
export function writeTree(root: string, files: Map<string, Buffer>): void {
  for (const [file, bytes] of files) {
    const p = path.join(root, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
  }
}
