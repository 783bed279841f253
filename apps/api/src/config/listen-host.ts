import { LOOPBACK_HOST, isLoopbackHost } from '@ccpulse/domain';
import { ConfigError } from '@ccpulse/runtime';
import { parseFlag } from './flag';
import type { AuthMode } from './api-config';

type Env = Record<string, string | undefined>;

/** The documented override for a trusted network (a lab, a VPN-only host). */
export const TRUSTED_NETWORK_SETTING = 'CCPULSE_TRUSTED_NETWORK';

/**
 * Where the API listens. With bearer tokens it listens on every interface unless `HOST` says
 * otherwise; with auth disabled every caller is an admin, so it listens on loopback only, and a
 * `HOST` reachable from the network is refused (naming both settings) unless the operator set
 * {@link TRUSTED_NETWORK_SETTING} on purpose.
 */
export function apiListenHost(env: Env, auth: AuthMode): string {
  const host = env.HOST?.trim();
  if (auth.kind === 'token') return host || '0.0.0.0';
  if (!host) return LOOPBACK_HOST;
  if (isLoopbackHost(host)) return host;
  const trusted = env[TRUSTED_NETWORK_SETTING]?.trim() ? parseFlag(TRUSTED_NETWORK_SETTING, env[TRUSTED_NETWORK_SETTING]) : false;
  if (trusted) return host;
  throw new ConfigError(
    'HOST',
    `HOST=${host} with CCPULSE_AUTH=disabled would let anyone who can reach this address act as the admin '${auth.user}'. ` +
      `Use CCPULSE_AUTH=token (tokens from \`ccpulse user add\`), or leave HOST unset (127.0.0.1), ` +
      `or set ${TRUSTED_NETWORK_SETTING}=1 if every machine on that network may see everything`,
  );
}
