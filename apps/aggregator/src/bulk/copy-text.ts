/** A value of one COPY text-format field. */
export type CopyValue = string | number | boolean | null | undefined;

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One field in PostgreSQL's COPY text format: `\N` for null, `t`/`f`, numbers as written, and
 * text with backslash, newline, carriage return and tab escaped. A NUL character is passed
 * through: Postgres refuses it, as it refuses it as a query parameter, and the build falls back
 * to the batch fold, which records such a message the way the live projection does.
 */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : value;
}

/** One row: fields separated by tabs, ended by a newline. */
export function copyRow(values: readonly CopyValue[]): string {
  let out = copyField(values[0]);
  for (let i = 1; i < values.length; i++) out += `\t${copyField(values[i])}`;
  return `${out}\n`;
}
