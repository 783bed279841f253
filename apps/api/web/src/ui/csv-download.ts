import type { GraphqlClient } from '../api/graphql.client';
// The server's CSV writer, shared so a CSV written here reads exactly like an export (formula-like
// text made inert, numbers as numbers, CRLF); it is plain TypeScript with no Node API.
import { toCsv, type CsvValue } from '../../../src/export/csv';
import { h } from './dom';

/** The CSV exports the API serves (`GET /export/<view>.csv`). */
export type ExportView = 'usage' | 'sessions' | 'team' | 'tools';

const downloadButton = (id: string, title?: string) => h('button', { type: 'button', class: 'link download', 'data-testid': `download-${id}`, title }, 'Download CSV');

/** Saves `blob` as `name` through a temporary link. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A "Download CSV" button for a table: fetches the server's export of the same view and scope
 * with the caller's token (a plain link could not send it) and saves it under the server's name.
 * `title` says what the file holds when it is more than the table shows.
 */
export function csvDownloadButton(
  client: GraphqlClient,
  view: ExportView,
  params: () => Record<string, string | string[] | undefined>,
  onError: (err: unknown) => void,
  title?: string,
): HTMLButtonElement {
  const button = downloadButton(view, title);
  button.addEventListener('click', () => void download());
  async function download(): Promise<void> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params())) for (const x of Array.isArray(v) ? v : v ? [v] : []) query.append(k, x);
    const token = client.authorization();
    try {
      const res = await fetch(`/export/${view}.csv?${query}`, { headers: token ? { authorization: token } : {} });
      if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `the export answered ${res.status}`);
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `ccpulse-${view}.csv`;
      save(await res.blob(), name);
    } catch (err) {
      onError(err);
    }
  }
  return button;
}

/** A column of a CSV written in the browser: its header and a row's raw value (not the formatted cell). */
export type CsvColumns<T> = readonly (readonly [header: string, value: (row: T) => CsvValue])[];

/** `rows` as CSV text under `columns`, written by the exports' writer. */
export function csvOf<T>(columns: CsvColumns<T>, rows: readonly T[]): string {
  return toCsv(
    columns.map(([header]) => header),
    rows.map((r) => columns.map(([, value]) => value(r))),
  );
}

/**
 * A "Download CSV" button for a table no server export serves (or serves other rows of): writes
 * the rows the page already has, with raw values as the exports do, and saves them as
 * `ccpulse-<name>.csv`. Reads `rows()` at the click, so it always saves what is on screen.
 */
export function csvRowsButton<T>(id: string, name: () => string, columns: CsvColumns<T>, rows: () => readonly T[]): HTMLButtonElement {
  const button = downloadButton(id);
  button.addEventListener('click', () => {
    save(new Blob([csvOf(columns, rows())], { type: 'text/csv;charset=utf-8' }), `ccpulse-${name()}.csv`);
  });
  return button;
}
