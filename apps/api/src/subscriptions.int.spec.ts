import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { seedSession, seedUser } from './test-support/seed';
import { startTestApi, type TestApi } from './test-support/api-harness';

/** Reads GraphQL-over-SSE `next` events from a streaming fetch. */
async function sseSubscribe(url: string, query: string, token: string, onEvent: (data: any) => void): Promise<AbortController> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`SSE status ${res.status}`);
  const reader = res.body.getReader();
  void (async () => {
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += new TextDecoder().decode(value);
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event === 'next' && data) onEvent(JSON.parse(data));
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return abort;
}

function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (check() ? resolve() : Date.now() > until ? reject(new Error('timed out')) : setTimeout(tick, 5));
    tick();
  });
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

describe('subscriptions (graphql-ws and SSE on real NATS)', () => {
  let t: TestApi;
  let alice: string;
  let bob: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApi();
    alice = await seedUser(t.db.db, 'alice', { onboarded: true });
    bob = await seedUser(t.db.db, 'bob', { onboarded: true });
    await seedSession(t.db.db, t.schema, { id: 's1', user: 'alice' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t?.close();
  });

  const ws = (token: string) => {
    const c = createClient({
      url: t.api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(c);
    return c;
  };
  const publish = (user: string, session: string, seq: number) =>
    t.nc.publish(`${t.prefix}.updated.${user}.${session}`, JSON.stringify({ v: 1, user, sessions: [session], days: ['2026-11-20'], users: [user], seq, committedAt: Date.now() }));

  it('pushes usageUpdated over graphql-ws only to callers who may see it, and measures latency', async () => {
    const aliceTicks: any[] = [];
    const bobTicks: any[] = [];
    const receivedAt: number[] = [];
    const query = 'subscription { usageUpdated { users sessions days seq committedAt notices } }';
    ws(alice).subscribe({ query }, { next: (v) => (aliceTicks.push(v.data?.usageUpdated), receivedAt.push(Date.now())), error: () => undefined, complete: () => undefined });
    ws(bob).subscribe({ query }, { next: (v) => bobTicks.push(v.data?.usageUpdated), error: () => undefined, complete: () => undefined });
    await waitFor(() => t.api.hub.subscriberCount === 2);

    const latencies: number[] = [];
    for (let i = 1; i <= 50; i++) {
      const before = aliceTicks.length;
      const sentAt = Date.now();
      publish('alice', 's1', i);
      await waitFor(() => aliceTicks.length > before);
      latencies.push(receivedAt[receivedAt.length - 1] - sentAt);
    }
    expect(aliceTicks[0]).toMatchObject({ users: ['alice'], sessions: ['s1'], days: ['2026-11-20'], seq: 1, notices: 1 });
    expect(bobTicks).toEqual([]);
    console.log(`graphql-ws: notice publish -> client receipt over ${latencies.length} notices: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`);
    const metrics = await (await fetch(`${t.api.url}/metrics`)).text();
    expect(metrics).toMatch(/ccpulse_api_active_subscriptions\{field="usageUpdated"\} 2/);
    expect(metrics).toMatch(/ccpulse_api_push_latency_seconds_count\{field="usageUpdated"\} 50/);
  });

  it('pushes sessionUpdated with the fresh session over SSE, measuring latency', async () => {
    const events: any[] = [];
    const receivedAt: number[] = [];
    const abort = await sseSubscribe(`${t.api.url}/graphql`, 'subscription { sessionUpdated(id: "s1") { id user totalTokens summaryText } }', alice, (d) => {
      events.push(d);
      receivedAt.push(Date.now());
    });
    await waitFor(() => t.api.hub.subscriberCount === 3);
    const latencies: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const before = events.length;
      const sentAt = Date.now();
      publish('alice', 's1', 100 + i);
      await waitFor(() => events.length > before);
      latencies.push(receivedAt[receivedAt.length - 1] - sentAt);
    }
    expect(events[0]).toEqual({ data: { sessionUpdated: { id: 's1', user: 'alice', totalTokens: 1350, summaryText: expect.stringContaining('s1') } } });
    console.log(`SSE: notice publish -> client receipt (incl. session read) over ${latencies.length} notices: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`);
    abort.abort();
    await waitFor(() => t.api.hub.subscriberCount === 2);
  });

  it('pushes homeStatsUpdated to the caller only', async () => {
    const got: any[] = [];
    ws(alice).subscribe({ query: 'subscription { homeStatsUpdated(window: D7) { window sessions } }' }, { next: (v) => got.push(v.data?.homeStatsUpdated), error: () => undefined, complete: () => undefined });
    await waitFor(() => t.api.hub.subscriberCount === 3);
    publish('bob', 's9', 900);
    publish('alice', 's1', 901);
    await waitFor(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([{ window: 'D7', sessions: 0 }]);
  });

  it('coalesces a burst for a slow consumer instead of queueing every commit', async () => {
    const before = t.api.hub.subscriberCount;
    const q = t.api.hub.subscribe('test', (n) => n.user === 'carol');
    for (let i = 0; i < 500; i++) publish('carol', `s${i}`, i);
    await t.nc.flush();
    await waitFor(() => q.size >= 16);
    await new Promise((r) => setTimeout(r, 100));
    expect(q.size).toBe(16);
    const batches = [];
    for (let i = 0; i < 16; i++) batches.push((await q.next()).value!);
    expect(batches.reduce((n, b) => n + b.notices, 0)).toBe(500);
    await q.return();
    expect(t.api.hub.subscriberCount).toBe(before);
  });

  it('refuses a graphql-ws connection with a bad token', async () => {
    const closed = new Promise<number>((resolve) => {
      const c = createClient({
        url: t.api.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer wrong' },
        retryAttempts: 0,
        on: { closed: (e: any) => resolve(e.code) },
      });
      clients.push(c);
      c.subscribe({ query: 'subscription { usageUpdated { seq } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
    expect(await closed).toBe(4403);
  });

  it('answers an SSE subscription with a bad token with UNAUTHENTICATED', async () => {
    const res = await fetch(`${t.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer wrong' },
      body: JSON.stringify({ query: 'subscription { usageUpdated { seq } }' }),
    });
    const text = await res.text();
    expect(text).toContain('UNAUTHENTICATED');
  });
});
