import { isLoopbackHost } from '@ccpulse/domain';

/**
 * The dashboard's policy: its own script and style files only (no inline script or style, no
 * eval), data only from this origin, never framed, no plugins, no `<base>` tricks.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GraphQL answers are data, not pages, except GraphiQL (outside production), whose page loads its
 * editor from a CDN with inline script. It gets only the framing rule.
 */
const GRAPHQL_CSP = "frame-ancestors 'none'";

const GRAPHQL_PATH = /^\/graphql(\/|$|\?)/;
const JSON_BODY = /^application\/(graphql-response\+)?json\b|^application\/graphql\+json\b/i;

interface Req {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
interface Res {
  setHeader(name: string, value: string): unknown;
  writeHead(status: number, headers?: Record<string, string>): Res;
  end(body?: string): unknown;
}

/**
 * Headers and request checks every response gets, ahead of GraphQL and the static files:
 * - CSP, `X-Frame-Options`, `Referrer-Policy: no-referrer` (a token-free URL still names a
 *   session), `X-Content-Type-Options: nosniff`, and same-origin COOP/CORP;
 * - a POST to /graphql must carry a JSON body: a form or text/plain post is what another site
 *   can send without a CORS preflight, so refusing it stops cross-site mutations (CSRF);
 * - when the API listens on loopback only (auth disabled), a request must also name a loopback
 *   host: a page on another site can point its own DNS name at 127.0.0.1 (DNS rebinding) and
 *   would otherwise be same-origin with the API.
 */
export function securityHeaders(options: { listenHost: string }) {
  const loopbackOnly = isLoopbackHost(options.listenHost);
  return (req: Req, res: Res, next: () => void): void => {
    const graphql = GRAPHQL_PATH.test(req.url);
    res.setHeader('Content-Security-Policy', graphql ? GRAPHQL_CSP : DASHBOARD_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (loopbackOnly && !isLoopbackHost(hostName(req.headers.host))) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('this API answers only requests addressed to localhost\n');
      return;
    }
    if (graphql && req.method === 'POST' && !JSON_BODY.test(String(req.headers['content-type'] ?? ''))) {
      res
        .writeHead(415, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ errors: [{ message: 'POST /graphql takes a JSON body (content-type: application/json)', extensions: { code: 'BAD_REQUEST' } }] }));
      return;
    }
    next();
  };
}

/** `Host: name:port` / `[::1]:port` → the name; a missing header counts as not loopback. */
function hostName(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return '';
  const v6 = /^\[([^\]]+)\]/.exec(value);
  if (v6) return v6[1];
  return value.replace(/:\d+$/, '');
}
