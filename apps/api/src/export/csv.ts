// The dashboard bundles this file too (the CSVs it writes from rows on screen): no Node API here.

/** A CSV cell: text, a number (bigint for large counters), or empty. */
export type CsvValue = string | number | bigint | boolean | null | undefined;

/**
 * Characters that make a spreadsheet read a cell as a formula (CSV injection): `=`, `+`, `-`,
 * `@`, tab and carriage return. A text cell starting with one is prefixed with `'` (OWASP's
 * advice), which spreadsheets show as text; numbers are written as numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 text: a header line, then one line per row, CRLF line ends. */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}
