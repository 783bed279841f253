import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { seedUser } from './test-support/seed';
import { startTestApi, type TestApi } from './test-support/api-harness';

describe('per-token rate limit', () => {
  let t: TestApi;
  let alice: string;
  let bob: string;
  let carol: string;
  let dave: string;
  let erin: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    // A burst of 3, then one a minute: the 4th request within the test is always refused.
    t = await startTestApi({ env: { API_RATE_LIMIT_BURST: '3', API_RATE_LIMIT_PER_MINUTE: '1' } });
    alice = await seedUser(t.db.db, 'alice', { onboarded: true });
    bob = await seedUser(t.db.db, 'bob', { onboarded: true });
    carol = await seedUser(t.db.db, 'carol', { onboarded: true });
    dave = await seedUser(t.db.db, 'dave', { onboarded: true });
    erin = await seedUser(t.db.db, 'erin', { onboarded: true });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t?.close();
  });

  it('given a token past its burst over HTTP, then RATE_LIMITED with 429 and Retry-After, other tokens unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await t.gql('{ me { name } }', {}, alice)).body.data).toEqual({ me: { name: 'alice' } });
    const res = await fetch(`${t.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.data ?? null).toBeNull();
    expect((await t.gql('{ me { name } }', {}, bob)).body.data).toEqual({ me: { name: 'bob' } });
  });

  it('given a token past its burst across GraphQL and the CSV export, then the export answers 429 with Retry-After, other tokens unaffected', async () => {
    const csv = (token: string) => fetch(`${t.api.url}/export/usage.csv?from=2026-11-01&to=2026-11-30`, { headers: { authorization: `Bearer ${token}` } });
    // One allowance for both: two GraphQL requests and one download use up dave's 3.
    for (let i = 0; i < 2; i++) expect((await t.gql('{ me { name } }', {}, dave)).body.data).toEqual({ me: { name: 'dave' } });
    expect((await csv(dave)).status).toBe(200);
    const refused = await csv(dave);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as any).error.code).toBe('RATE_LIMITED');
    const other = await csv(erin);
    expect(other.status).toBe(200);
    expect(other.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('given a token past its burst over a WebSocket, then its operations are refused with RATE_LIMITED', async () => {
    const c = createClient({ url: t.api.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${carol}` }, retryAttempts: 0, lazyCloseTimeout: 60_000 });
    clients.push(c);
    const once = () =>
      new Promise<any>((resolve) => {
        let last: any;
        c.subscribe({ query: '{ me { name } }' }, { next: (v) => (last = v), error: (e) => resolve({ errors: Array.isArray(e) ? e : [e] }), complete: () => resolve(last) });
      });
    // The socket's opening took one of carol's 3; two operations fit, the third is refused.
    expect((await once()).data).toEqual({ me: { name: 'carol' } });
    expect((await once()).data).toEqual({ me: { name: 'carol' } });
    const refused = await once();
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.data ?? null).toBeNull();
  });
});
