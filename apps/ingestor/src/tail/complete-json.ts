/**
 * True when a final line without `\n` is a whole JSON value that no further bytes (other than
 * whitespace) can extend: an object, array, string or literal — not a number, which `…1` could
 * still become `…12`. Such a line is finished although its newline never came.
 */
export function isCompleteJsonLine(bytes: Buffer): boolean {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  return typeof value !== 'number';
}
