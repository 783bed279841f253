import { ConfigError } from '@ccpulse/runtime';

/**
 * `CCPULSE_CORS_ORIGINS`: a comma-separated list of exact origins (`https://grafana.example.com`)
 * whose pages may call the API from a browser. Unset means none: the dashboard is served from the
 * API's own origin and needs no CORS. `*` is refused — it would let any site read what a logged-in
 * browser or a loopback API without auth can see.
 */
export function corsOrigins(env: Record<string, string | undefined>): string[] {
  const raw = env.CCPULSE_CORS_ORIGINS?.trim();
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const value = part.trim();
    if (value === '*') throw new ConfigError('CCPULSE_CORS_ORIGINS', 'list the origins allowed; * is not accepted');
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError('CCPULSE_CORS_ORIGINS', `not an origin: ${JSON.stringify(value)} (expected e.g. https://dash.example.com)`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/$/, '')) {
      throw new ConfigError('CCPULSE_CORS_ORIGINS', `not an origin: ${JSON.stringify(value)} (scheme://host[:port], no path)`);
    }
    return url.origin;
  });
}
