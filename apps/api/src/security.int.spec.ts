import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { createUser, issueToken, tokenMatchesHash, hashToken } from '@ccpulse/db';
import { DASHBOARD_CSP } from './web/security-headers';
import { startTestApi, type TestApi } from './test-support/api-harness';

/** A non-loopback IPv4 address of this machine, when it has one. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

describe('safe by default (real PostgreSQL + NATS)', () => {
  describe('auth disabled, no HOST', () => {
    let t: TestApi;
    beforeAll(async () => {
      t = await startTestApi({ env: { CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'solo', HOST: '' } });
    });
    afterAll(async () => t?.close());

    it('listens on loopback only: unreachable from a non-loopback address', async () => {
      expect(t.api.host).toBe('127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${t.api.port}/healthz`)).status).toBe(200);
      const lan = lanAddress();
      if (lan) await expect(fetch(`http://${lan}:${t.api.port}/healthz`)).rejects.toThrow();
    });

    it('answers only requests addressed to a loopback name (DNS rebinding)', async () => {
      // fetch will not set Host; a raw request does, as a rebinding browser would.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: t.api.port, path: '/graphql', method: 'POST', headers: { host: 'evil.example.com', 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{"query":"{ me { name } }"}');
      });
      expect(status).toBe(421);
      expect((await t.gql('{ me { name } }')).body.data.me.name).toBe('solo');
    });

    it('refuses a form or text POST that another site could send without a preflight', async () => {
      const r = await fetch(`${t.api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"mutation { markOnboarded { name } }"}' });
      expect(r.status).toBe(415);
    });

    it('sends the browser hardening headers, and no CORS grant to another origin', async () => {
      const r = await fetch(`${t.api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example.com' },
        body: '{"query":"{ me { name } }"}',
      });
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const page = await fetch(`${t.api.url}/healthz`);
      expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(DASHBOARD_CSP).toMatch(/script-src 'self'(;|$)/);
      expect(DASHBOARD_CSP).not.toContain('unsafe-inline');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('x-powered-by')).toBeNull();
      const preflight = await fetch(`${t.api.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('tokens', () => {
    let t: TestApi;
    let token: string;
    beforeAll(async () => {
      t = await startTestApi({ env: { API_AUTH_FAILURES_PER_MINUTE: '3', API_TOKEN_CACHE_MS: '0', CCPULSE_CORS_ORIGINS: 'https://dash.example.com' } });
      await createUser(t.db.db, 'ann', 'member');
      token = await issueToken(t.db.db, 'ann');
    });
    afterAll(async () => t?.close());

    it('compares tokens as hashes: a near miss is refused', async () => {
      expect(tokenMatchesHash(token, hashToken(token))).toBe(true);
      const nearMiss = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      expect(tokenMatchesHash(nearMiss, hashToken(token))).toBe(false);
      expect(tokenMatchesHash(token, 'abc')).toBe(false);
      expect((await t.gql('{ me { name } }', undefined, nearMiss)).status).toBe(401);
    });

    it('grants CORS only to a configured origin', async () => {
      const ask = (origin: string) =>
        fetch(`${t.api.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }).then((r) => r.headers.get('access-control-allow-origin'));
      expect(await ask('https://dash.example.com')).toBe('https://dash.example.com');
      expect(await ask('https://evil.example.com')).not.toBe('https://evil.example.com');
    });

    it('refuses an address after too many failed sign-ins, even with a good token, and says when to retry', async () => {
      expect((await t.gql('{ me { name } }', undefined, token)).body.data.me.name).toBe('ann');
      // The limit is 3 a minute (the near miss above may already have used one).
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.gql('{ me { name } }', undefined, `wrong-${i}`)).status);
      expect(statuses[0]).toBe(401);
      expect(statuses.at(-1)).toBe(429);
      const res = await fetch(`${t.api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{"query":"{ me { name } }"}',
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
    });
  });
});
