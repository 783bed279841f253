import type { GraphqlClient } from '../api/graphql.client';
import { h } from './dom';

/** The CSV exports the API serves (`GET /export/<view>.csv`). */
export type ExportView = 'usage' | 'sessions' | 'team' | 'tools';

/**
 * A "Download CSV" button for a table: fetches the server's export of the same view and scope
 * with the caller's token (a plain link could not send it) and saves it under the server's name.
 */
export function csvDownloadButton(client: GraphqlClient, view: ExportView, params: () => Record<string, string | string[] | undefined>, onError: (err: unknown) => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'link download', 'data-testid': `download-${view}` }, 'Download CSV');
  button.addEventListener('click', () => void download());
  async function download(): Promise<void> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params())) for (const x of Array.isArray(v) ? v : v ? [v] : []) query.append(k, x);
    const token = client.authorization();
    try {
      const res = await fetch(`/export/${view}.csv?${query}`, { headers: token ? { authorization: token } : {} });
      if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `the export answered ${res.status}`);
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `ccpulse-${view}.csv`;
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      onError(err);
    }
  }
  return button;
}
