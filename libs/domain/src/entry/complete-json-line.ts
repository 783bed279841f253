/** Decodes as `parseLine` does, BOM dropped, but without failing on invalid UTF-8: that is parseLine's rejection to make. */
const utf8 = new TextDecoder('utf-8');

/**
 * True when a final line without `\n` is a whole JSON value that no further bytes (other than
 * whitespace) can extend: an object, array, string or literal — not a number, which `…1` could
 * still become `…12`. Such a line is finished although its newline never came; any other
 * unterminated line may still be being written. The ingestor publishes a final line only then,
 * and `ccpulse report` counts it only then, so the two agree on a file's last line.
 */
export function isCompleteJsonLine(bytes: Uint8Array): boolean {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return false;
  }
  return typeof value !== 'number';
}
