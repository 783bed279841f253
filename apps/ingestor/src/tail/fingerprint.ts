import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * Bytes before an offset that fingerprint what was read up to it: the end of the last line (and
 * of the lines before it, up to this many bytes). Lines inserted before the offset, or the
 * offset landing inside another line after a rewrite, change them.
 */
export const PRINT_BYTES = 4096;

/** The fingerprint of the bytes that end at an offset (`bytes` = the last min(offset, PRINT_BYTES) of them). */
export function fingerprint(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

/** How many bytes before `offset` the fingerprint covers. */
export function printLength(offset: number): number {
  return Math.min(offset, PRINT_BYTES);
}

/** The fingerprint at `offset` read from the file; undefined at 0 (nothing to check) or when the file is shorter or gone. */
export async function readFingerprint(path: string, offset: number): Promise<string | undefined> {
  const length = printLength(offset);
  if (length === 0) return undefined;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset - length);
      return bytesRead === length ? fingerprint(buf) : undefined;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}
