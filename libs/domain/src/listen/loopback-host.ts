/** Where a listener binds when nothing says otherwise: this machine only. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * Whether a listen address is reachable from this machine only: `localhost`, 127.0.0.0/8, `::1`
 * (also written IPv4-mapped). Any other name counts as reachable from the network — a name is
 * not resolved here, and `0.0.0.0`/`::` mean every interface.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.replace(/^::ffff:/, '');
  const parts = v4.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
