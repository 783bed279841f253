import { seedEntries, seedMessages, seedSession, seedUser } from './test-support/seed';
import { startTestApi, type TestApi } from './test-support/api-harness';

describe('api (real PostgreSQL + NATS)', () => {
  let t: TestApi;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApi({ clock: () => new Date('2026-11-21T12:00:00Z') });
    alice = await seedUser(t.db.db, 'alice', { onboarded: true });
    bob = await seedUser(t.db.db, 'bob');
    admin = await seedUser(t.db.db, 'root', { role: 'admin', onboarded: true });
    await seedSession(t.db.db, t.schema, { id: 's-alice-1', user: 'alice', startedAt: '2026-11-20T10:00:00Z' });
    await seedSession(t.db.db, t.schema, { id: 's-alice-2', user: 'alice', startedAt: '2026-11-21T10:00:00Z', project: '/p/a' });
    await seedSession(t.db.db, t.schema, { id: 's-bob-1', user: 'bob', startedAt: '2026-11-20T09:00:00Z' });
    await seedMessages(t.db.db, t.schema, [
      { user: 'alice', session: 's-alice-1', model: 'm-a', ts: '2026-11-20T10:05:00Z', input: 10, output: 20, cost: 0.25, project: '/p/a' },
      { user: 'alice', session: 's-alice-1', model: 'm-b', ts: '2026-11-20T23:30:00Z', input: 1, output: 2, cache5m: 4, cache1h: 8, cost: 0.5 },
      { user: 'alice', session: 's-alice-2', model: 'm-a', ts: '2026-11-21T10:00:00Z', input: 5, output: 0, cacheRead: 3_000_000_000, cost: 1 },
      { user: 'bob', session: 's-bob-1', model: 'm-a', ts: '2026-11-20T09:00:00Z', input: 100, output: 100, cost: 2 },
    ]);
    await seedEntries(t.db.db, t.schema, [
      { user: 'alice', session: 's-alice-2', ts: '2026-11-21T10:00:00Z', project: '/p/a', prompt: true },
      { user: 'alice', session: 's-alice-2', ts: '2026-11-21T10:01:00Z', project: '/p/a' },
      { user: 'alice', session: 's-alice-1', ts: '2026-11-19T10:00:00Z', project: '/p/b', prompt: true },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('rejects an unknown token with UNAUTHENTICATED', async () => {
    const r = await t.gql('{ me { name } }', {}, 'not-a-token');
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.body.data?.me ?? null).toBeNull();
    const none = await t.gql('{ me { name } }');
    expect(none.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers me for a valid token', async () => {
    const r = await t.gql('{ me { name role onboarded lastSyncAt } }', {}, alice);
    expect(r.body).toEqual({ data: { me: { name: 'alice', role: 'MEMBER', onboarded: true, lastSyncAt: null } } });
  });

  it("keeps a member away from another member's sessions", async () => {
    const list = await t.gql('{ sessions { nodes { id user } pageInfo { hasNextPage } } }', {}, alice);
    expect(list.body.data.sessions.nodes.map((s: any) => s.id)).toEqual(['s-alice-2', 's-alice-1']);
    const other = await t.gql('query($id: ID!) { session(id: $id) { id } }', { id: 's-bob-1' }, alice);
    expect(other.body.data.session).toBeNull();
    const filtered = await t.gql('{ sessions(filter: { user: "bob" }) { nodes { id } } }', {}, alice);
    expect(filtered.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asAdmin = await t.gql('{ sessions(filter: { user: "bob" }) { nodes { id } } }', {}, admin);
    expect(asAdmin.body.data.sessions.nodes).toEqual([{ id: 's-bob-1' }]);
  });

  it('pages sessions with a cursor', async () => {
    const first = await t.gql('{ sessions(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }', {}, admin);
    const page1 = first.body.data.sessions;
    expect(page1.edges.map((e: any) => e.node.id)).toEqual(['s-alice-2', 's-alice-1']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql('query($a: String) { sessions(first: 2, after: $a) { nodes { id } pageInfo { hasNextPage } } }', { a: page1.pageInfo.endCursor }, admin);
    expect(second.body.data.sessions).toEqual({ nodes: [{ id: 's-bob-1' }], pageInfo: { hasNextPage: false } });
    const bad = await t.gql('{ sessions(after: "garbage") { nodes { id } } }', {}, admin);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const big = await t.gql('{ sessions(first: 100000) { nodes { id } } }', {}, admin);
    expect(big.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('serves one session with its computed fields', async () => {
    const r = await t.gql(
      `{ session(id: "s-alice-1") { id startedAt totalTokens costUsd models { model messages totalTokens }
          timeline { at tokens cumulativeCostUsd } timelineBucketSeconds efficiency { cacheHitRatio activeRatio changes tokensPerChange }
          tools { name calls } progress { done total }
          costProjection(budgetUsd: 1) { spentUsd remainingUsd overBudget } summaryText } }`,
      {},
      alice,
    );
    const s = r.body.data.session;
    expect(s.startedAt).toBe('2026-11-20T10:00:00.000Z');
    // Ordered by cost, as the domain's insights do.
    expect(s.models).toEqual([
      { model: 'm-b', messages: 1, totalTokens: 15 },
      { model: 'm-a', messages: 1, totalTokens: 30 },
    ]);
    expect(s.timeline).toEqual([
      { at: '2026-11-20T10:05:00.000Z', tokens: 30, cumulativeCostUsd: 0.25 },
      { at: '2026-11-20T23:30:00.000Z', tokens: 15, cumulativeCostUsd: 0.75 },
    ]);
    expect(s.timelineBucketSeconds).toBe(60);
    expect(s.efficiency).toMatchObject({ activeRatio: 0.5, changes: 0, tokensPerChange: null });
    expect(s.tools).toEqual([]);
    expect(s.progress).toBeNull();
    expect(s.costProjection).toEqual({ spentUsd: 0.75, remainingUsd: 0.25, overBudget: false });
    expect(s.summaryText).toMatch(/^Session s-alice-1: /);
  });

  it('groups usage by day and model in a time zone, with 64-bit tokens', async () => {
    const q = `query($tz: String) { usage(from: "2026-11-20", to: "2026-11-21", timezone: $tz) { day model inputTokens cacheReadTokens cacheCreation5mTokens totalTokens costUsd } }`;
    const utc = await t.gql(q, { tz: 'UTC' }, alice);
    expect(utc.body.data.usage).toEqual([
      { day: '2026-11-20', model: 'm-a', inputTokens: 10, cacheReadTokens: 0, cacheCreation5mTokens: 0, totalTokens: 30, costUsd: 0.25 },
      { day: '2026-11-20', model: 'm-b', inputTokens: 1, cacheReadTokens: 0, cacheCreation5mTokens: 4, totalTokens: 15, costUsd: 0.5 },
      { day: '2026-11-21', model: 'm-a', inputTokens: 5, cacheReadTokens: 3_000_000_000, cacheCreation5mTokens: 0, totalTokens: 3_000_000_005, costUsd: 1 },
    ]);
    // 23:30 UTC is the next day in Berlin.
    const berlin = await t.gql(q, { tz: 'Europe/Berlin' }, alice);
    expect(berlin.body.data.usage.map((r: any) => [r.day, r.model])).toEqual([
      ['2026-11-20', 'm-a'],
      ['2026-11-21', 'm-a'],
      ['2026-11-21', 'm-b'],
    ]);
    // A half-hour zone reads the message facts: 23:30 UTC is 05:00 next day in Kolkata.
    const kolkata = await t.gql(q, { tz: 'Asia/Kolkata' }, alice);
    expect(kolkata.body.data.usage.map((r: any) => [r.day, r.model])).toEqual([
      ['2026-11-20', 'm-a'],
      ['2026-11-21', 'm-a'],
      ['2026-11-21', 'm-b'],
    ]);
  });

  it('lets an admin group usage by user and filter users; members only themselves', async () => {
    const team = await t.gql('{ usage(from: "2026-11-01", to: "2026-11-30", groupBy: [MONTH, USER]) { month user totalTokens costUsd } }', {}, admin);
    expect(team.body.data.usage).toEqual([
      { month: '2026-11', user: 'alice', totalTokens: 3_000_000_050, costUsd: 1.75 },
      { month: '2026-11', user: 'bob', totalTokens: 200, costUsd: 2 },
    ]);
    const mine = await t.gql('{ usage(from: "2026-11-01", to: "2026-11-30", groupBy: [USER]) { user } }', {}, alice);
    expect(mine.body.data.usage).toEqual([{ user: 'alice' }]);
    const theirs = await t.gql('{ usage(from: "2026-11-01", to: "2026-11-30", users: ["bob"]) { user } }', {}, alice);
    expect(theirs.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('computes only the sums a request selects, through aliases and fragments, equal to a full selection', async () => {
    const range = 'from: "2026-11-20", to: "2026-11-21"';
    const all = 'messages inputTokens outputTokens cacheReadTokens cacheCreationTokens cacheCreation5mTokens cacheCreation1hTokens totalTokens costUsd';
    const full = (await t.gql(`{ usage(${range}, groupBy: [MODEL]) { model ${all} } }`, {}, admin)).body.data.usage;
    expect(full.length).toBeGreaterThan(1);
    const partial = await t.gql(
      `{ usage(${range}, groupBy: [MODEL]) { model tokens: totalTokens ...Cost ... on UsageRow { messages } } } fragment Cost on UsageRow { costUsd }`,
      {},
      admin,
    );
    expect(partial.body.data.usage).toEqual(full.map((r: any) => ({ model: r.model, tokens: r.totalTokens, costUsd: r.costUsd, messages: r.messages })));
    // Ungrouped: one row over facts, none over a range without any.
    const total = full.reduce((n: number, r: any) => n + r.totalTokens, 0);
    expect((await t.gql(`{ usage(${range}, groupBy: []) { totalTokens } }`, {}, admin)).body.data.usage).toEqual([{ totalTokens: total }]);
    expect((await t.gql('{ usage(from: "2025-01-01", to: "2025-01-02", groupBy: []) { __typename } }', {}, admin)).body.data.usage).toEqual([]);
    expect((await t.gql(`{ usage(${range}, groupBy: []) { __typename } }`, {}, admin)).body.data.usage).toEqual([{ __typename: 'UsageRow' }]);
  });

  it('answers usage from its cache until a commit notice touches it', async () => {
    const q = '{ usage(from: "2026-11-22", to: "2026-11-22", groupBy: [DAY]) { day totalTokens } }';
    expect((await t.gql(q, {}, alice)).body.data.usage).toEqual([]);
    await seedMessages(t.db.db, t.schema, [{ user: 'alice', session: 's-alice-2', model: 'm-a', ts: '2026-11-22T08:00:00Z', input: 7 }]);
    expect((await t.gql(q, {}, alice)).body.data.usage).toEqual([]); // cached: no notice yet
    t.nc.publish(`${t.prefix}.updated.alice.s-alice-2`, JSON.stringify({ v: 1, user: 'alice', users: ['alice'], sessions: ['s-alice-2'], days: ['2026-11-22'], seq: 99, committedAt: Date.now() }));
    await t.nc.flush();
    await new Promise((r) => setTimeout(r, 100));
    expect((await t.gql(q, {}, alice)).body.data.usage).toEqual([{ day: '2026-11-22', totalTokens: 7 }]);
  });

  it('names the argument of bad input', async () => {
    const day = await t.gql('{ usage(from: "2026-13-01", to: "2026-11-30") { day } }', {}, alice);
    expect(day.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
    const tz = await t.gql('{ usage(from: "2026-11-01", to: "2026-11-30", timezone: "Mars/Olympus") { day } }', {}, alice);
    expect(tz.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'timezone' });
    const win = await t.gql('query($w: HomeWindow) { homeStats(window: $w) { sessions } }', { w: 'D30' }, alice);
    expect(win.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('serves home stats for an onboarded caller and null for one not onboarded', async () => {
    const r = await t.gql('{ homeStats(window: D7) { window sessions prompts tokens projects lastSyncAt } }', {}, alice);
    expect(r.body.data.homeStats).toMatchObject({ window: 'D7', sessions: 2, prompts: 2, projects: 2 });
    const day = await t.gql('{ homeStats { sessions prompts tokens } }', {}, alice);
    expect(day.body.data.homeStats).toEqual({ sessions: 1, prompts: 1, tokens: 3_000_000_020 });
    const notOnboarded = await t.gql('{ homeStats { sessions } }', {}, bob);
    expect(notOnboarded.body).toEqual({ data: { homeStats: null } });
    const zeros = await t.gql('{ homeStats { sessions prompts tokens projects } }', {}, admin);
    expect(zeros.body.data.homeStats).toEqual({ sessions: 0, prompts: 0, tokens: 0, projects: 0 });
  });

  it('marks the caller onboarded', async () => {
    const r = await t.gql('mutation { markOnboarded { name onboarded } }', {}, bob);
    expect(r.body.data.markOnboarded).toEqual({ name: 'bob', onboarded: true });
    const now = await t.gql('{ homeStats { sessions } }', {}, bob);
    expect(now.body.data.homeStats).toEqual({ sessions: 0 });
  });

  it('passes replayStatus/consumerStatus through from the aggregator, for admins only', async () => {
    const sub = t.nc.subscribe(`${t.prefix}.ops.replay.status`, {
      callback: (_e, m) => void m.respond(JSON.stringify({ ok: true, response: { state: 'idle', applied: 7 } })),
    });
    await t.nc.flush();
    const r = await t.gql('{ replayStatus }', {}, admin);
    expect(r.body).toEqual({ data: { replayStatus: { state: 'idle', applied: 7 } } });
    const member = await t.gql('{ replayStatus }', {}, alice);
    expect(member.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const nobody = await t.gql('{ consumerStatus }', {}, admin);
    expect(nobody.body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    sub.unsubscribe();
  });

  it('reports health, readiness and metrics by operation name', async () => {
    expect((await fetch(`${t.api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { nats: { ok: true }, postgres: { ok: true } } });
    await t.gql('query DashboardUsage { me { name } }', {}, alice);
    const text = await (await fetch(`${t.api.url}/metrics`)).text();
    expect(text).toMatch(/ccpulse_api_requests_total\{operation="DashboardUsage",type="query",outcome="ok"\} 1/);
    expect(text).toContain('ccpulse_api_request_duration_seconds_bucket');
  });
});
