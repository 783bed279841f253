/**
 * What the dashboard needs beyond the raw sums: sessions ordered by last activity (a session
 * resumed today comes back to the top), the tokens of unpriced models per usage row and per
 * session (so "$0.00" is never shown for them), and a session's subagent worktree.
 */
import { seedMessages, seedSession, seedUser } from './test-support/seed';
import { startTestApi, type TestApi } from './test-support/api-harness';

describe('dashboard fields of the API (real PostgreSQL + NATS)', () => {
  let t: TestApi;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApi({ clock: () => new Date('2026-11-21T12:00:00Z') });
    admin = await seedUser(t.db.db, 'root', { role: 'admin', onboarded: true });
    // `old` started first but was resumed last: it is the most recently active.
    await seedSession(t.db.db, t.schema, { id: 'old', user: 'root', startedAt: '2026-08-01T10:00:00Z', endedAt: '2026-11-21T11:00:00Z', state: { worktree: 'agent-1a2b' } });
    await seedSession(t.db.db, t.schema, { id: 'mid', user: 'root', startedAt: '2026-11-20T10:00:00Z', endedAt: '2026-11-20T12:00:00Z' });
    await seedSession(t.db.db, t.schema, { id: 'new', user: 'root', startedAt: '2026-11-21T09:00:00Z', endedAt: '2026-11-21T09:30:00Z' });
    await seedMessages(t.db.db, t.schema, [
      { user: 'root', session: 'old', model: 'claude-sonnet-4-5', ts: '2026-11-21T10:00:00Z', input: 10, output: 20, cost: 0.25 },
      { user: 'root', session: 'old', model: 'acme-llm-1', ts: '2026-11-21T10:30:00Z', input: 100, output: 7, unpriced: true },
      { user: 'root', session: 'new', model: 'acme-llm-1', ts: '2026-11-21T09:10:00Z', input: 3, output: 0, unpriced: true },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ids = (body: any) => body.data.sessions.edges.map((e: any) => e.node.id);

  it('lists sessions by last activity by default, by start on request, and pages either order', async () => {
    const byActivity = await t.gql('{ sessions { edges { node { id } } } }', {}, admin);
    expect(ids(byActivity.body)).toEqual(['old', 'new', 'mid']);
    const byStart = await t.gql('{ sessions(orderBy: STARTED) { edges { node { id } } } }', {}, admin);
    expect(ids(byStart.body)).toEqual(['new', 'mid', 'old']);
    for (const order of ['LAST_ACTIVE', 'STARTED']) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i++) {
        const page: any = await t.gql(`query($a: String) { sessions(first: 1, after: $a, orderBy: ${order}) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, { a: after }, admin);
        seen.push(...ids(page.body));
        if (!page.body.data.sessions.pageInfo.hasNextPage) break;
        after = page.body.data.sessions.pageInfo.endCursor;
      }
      expect(seen).toEqual(order === 'STARTED' ? ['new', 'mid', 'old'] : ['old', 'new', 'mid']);
    }
    // A cursor of one order is refused by the other, not silently misread.
    const first = await t.gql('{ sessions(first: 1) { pageInfo { endCursor } } }', {}, admin);
    const mixed = await t.gql('query($a: String) { sessions(first: 1, after: $a, orderBy: STARTED) { nodes { id } } }', { a: first.body.data.sessions.pageInfo.endCursor }, admin);
    expect(mixed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('reports unpriced tokens per session and its worktree', async () => {
    const r = await t.gql('{ sessions(orderBy: STARTED) { nodes { id unpricedTokens worktree } } }', {}, admin);
    expect(r.body.data.sessions.nodes).toEqual([
      { id: 'new', unpricedTokens: 3, worktree: null },
      { id: 'mid', unpricedTokens: 0, worktree: null },
      { id: 'old', unpricedTokens: 107, worktree: 'agent-1a2b' },
    ]);
    const one = await t.gql('{ session(id: "old") { unpricedTokens worktree } }', {}, admin);
    expect(one.body.data.session).toEqual({ unpricedTokens: 107, worktree: 'agent-1a2b' });
  });

  it('reports unpriced tokens per usage row, from the rollups and from the facts alike', async () => {
    const q = `query($tz: String) { usage(from: "2026-11-21", to: "2026-11-21", timezone: $tz, groupBy: [MODEL]) { model totalTokens costUsd unpricedTokens } }`;
    const expected = [
      { model: 'acme-llm-1', totalTokens: 110, costUsd: 0, unpricedTokens: 110 },
      { model: 'claude-sonnet-4-5', totalTokens: 30, costUsd: 0.25, unpricedTokens: 0 },
    ];
    // UTC reads the hourly rollups; Kolkata (+05:30) reads the message facts.
    expect((await t.gql(q, { tz: 'UTC' }, admin)).body.data.usage).toEqual(expected);
    const kolkata = await t.gql(`query { usage(from: "2026-11-21", to: "2026-11-22", timezone: "Asia/Kolkata", groupBy: [MODEL]) { model unpricedTokens } }`, {}, admin);
    expect(kolkata.body.data.usage).toEqual([
      { model: 'acme-llm-1', unpricedTokens: 110 },
      { model: 'claude-sonnet-4-5', unpricedTokens: 0 },
    ]);
    const byDay = await t.gql(`{ usage(from: "2026-11-21", to: "2026-11-21", groupBy: [DAY]) { day unpricedTokens totalTokens } }`, {}, admin);
    expect(byDay.body.data.usage).toEqual([{ day: '2026-11-21', unpricedTokens: 110, totalTokens: 140 }]);
  });
});
