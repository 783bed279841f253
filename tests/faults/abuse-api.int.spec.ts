/**
 * Abuse of the GraphQL API: another member's data, expired and revoked tokens, over-deep queries,
 * huge page sizes, malformed variables and SQL-looking strings in every string argument. Each
 * gets the right error code and none of it returns data that is not the caller's.
 */
import { sql } from 'kysely';
import { issueToken, revokeTokens } from '@ccpulse/db';
import { startTestApi, type TestApi } from '../../apps/api/src/test-support/api-harness';
import { seedEntries, seedMessages, seedSession, seedUser } from '../../apps/api/src/test-support/seed';
import { reportOutcome } from './support/fault-report';

const SQLISH = [
  "' OR '1'='1",
  "bob' --",
  '"; DROP TABLE users; --',
  "'); DELETE FROM api_tokens; --",
  "x' UNION SELECT token_hash FROM api_tokens --",
  "'; SELECT pg_sleep(3); --",
  '%',
  '_',
  '\\',
  '$1',
  'usage_v1"."usage_messages',
];

describe('hostile GraphQL requests', () => {
  let t: TestApi;
  let alice: string;
  let admin: string;
  let expired: string;
  let revoked: string;
  let requests = 0;
  let wrong = 0;
  let leaks = 0;
  const started = Date.now();

  /** One request; counts it, and counts a leak when bob's data shows up in the answer. */
  async function ask(query: string, variables: Record<string, unknown> | undefined, token: string | undefined) {
    requests++;
    const r = await t.gql(query, variables, token);
    if (/bob/.test(JSON.stringify(r.body.data ?? null))) leaks++;
    return r;
  }
  function expectCode(r: { status: number; body: { data?: any; errors?: any[] } }, codes: string[]) {
    const code = r.body.errors?.[0]?.extensions?.code;
    if (!codes.includes(code)) wrong++;
    expect(codes).toContain(code);
  }

  beforeAll(async () => {
    t = await startTestApi({ env: { API_MAX_DEPTH: '3' }, clock: () => new Date('2026-11-21T12:00:00Z') });
    alice = await seedUser(t.db.db, 'alice', { onboarded: true });
    await seedUser(t.db.db, 'bob', { onboarded: true });
    admin = await seedUser(t.db.db, 'root', { role: 'admin', onboarded: true });
    await seedSession(t.db.db, t.schema, { id: 's-alice-1', user: 'alice', startedAt: '2026-11-20T10:00:00Z', project: '/p/a' });
    await seedSession(t.db.db, t.schema, { id: 's-bob-1', user: 'bob', startedAt: '2026-11-20T09:00:00Z', project: '/p/bob' });
    await seedMessages(t.db.db, t.schema, [
      { user: 'alice', session: 's-alice-1', model: 'm-a', ts: '2026-11-20T10:05:00Z', input: 10, output: 20, project: '/p/a' },
      { user: 'bob', session: 's-bob-1', model: 'm-bob', ts: '2026-11-20T09:00:00Z', input: 100, output: 100, project: '/p/bob' },
    ]);
    await seedEntries(t.db.db, t.schema, [{ user: 'bob', session: 's-bob-1', ts: '2026-11-20T09:00:00Z', project: '/p/bob', prompt: true }]);
    expired = await issueToken(t.db.db, 'alice', { expiresAt: new Date(Date.now() - 60_000) });
    await seedUser(t.db.db, 'carol');
    revoked = await issueToken(t.db.db, 'carol');
    await revokeTokens(t.db.db, 'carol');
  });
  afterAll(async () => {
    reportOutcome({
      scenario: 'api: hostile requests',
      runs: requests,
      lost: wrong,
      doubleCounted: leaks,
      recoverMs: 0,
      note: `${requests} requests: wrong code ${wrong}, answers with another member's data ${leaks}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    });
    await t?.close();
  });

  it("given alice, when she asks for bob's sessions, usage, tools and blocks, then FORBIDDEN or nothing", async () => {
    expect((await ask('query($id: ID!) { session(id: $id) { id user } }', { id: 's-bob-1' }, alice)).body.data?.session).toBeNull();
    for (const q of [
      '{ sessions(filter: { user: "bob" }) { nodes { id } } }',
      '{ usage(from: "2026-11-01", to: "2026-11-30", users: ["bob"]) { user model } }',
      '{ toolDaily(from: "2026-11-01", to: "2026-11-30", users: ["bob"]) { day } }',
      '{ pluginDaily(from: "2026-11-01", to: "2026-11-30", users: ["bob"]) { day } }',
      '{ blocks(from: "2026-11-01", to: "2026-11-30", users: ["bob"]) { startedAt } }',
      '{ burnRate(users: ["bob"]) { tokensPerMinute } }',
      '{ budgetProjection(budgetUsd: 10, users: ["bob"]) { spentUsd } }',
    ]) {
      const r = await ask(q, {}, alice);
      expect(r.body.data === null || r.body.data === undefined || !JSON.stringify(r.body.data).includes('bob')).toBe(true);
      expect(['FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED']).toContain(r.body.errors?.[0]?.extensions?.code);
    }
    const mine = await ask('{ usage(from: "2026-11-01", to: "2026-11-30", groupBy: [USER, MODEL]) { user model } }', {}, alice);
    expect(mine.body.data.usage).toEqual([{ user: 'alice', model: 'm-a' }]);
    expect(leaks).toBe(0);
  });

  it('given an expired, a revoked, a malformed or no token, then UNAUTHENTICATED and no data', async () => {
    for (const token of [expired, revoked, 'not-a-token', `${alice}x`, "' OR 1=1 --", undefined]) {
      const r = await ask('{ me { name } sessions { nodes { id } } }', {}, token);
      expectCode(r, ['UNAUTHENTICATED']);
      expect(r.body.data?.me ?? null).toBeNull();
    }
  });

  it('given an over-deep query, a huge page size or malformed variables, then a validation or input error', async () => {
    expectCode(await ask('{ sessions { edges { node { models { model } } } } }', {}, alice), ['LIMIT_EXCEEDED']);
    expectCode(await ask('query { ...A } fragment A on Query { sessions { ...B } } fragment B on SessionConnection { edges { node { models { model } } } }', {}, alice), ['LIMIT_EXCEEDED']);
    for (const first of [1_000_000, 2 ** 31 - 1, 0, -1]) expectCode(await ask('query($n: Int) { sessions(first: $n) { nodes { id } } }', { n: first }, alice), ['BAD_USER_INPUT']);
    expectCode(await ask('query($n: Int) { sessions(first: $n) { nodes { id } } }', { n: 1e20 }, alice), ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    expectCode(await ask('query($n: Int) { sessions(first: $n) { nodes { id } } }', { n: 'ten' }, alice), ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    expectCode(await ask('query($id: ID!) { session(id: $id) { id } }', {}, alice), ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    expectCode(await ask('query($id: ID!) { session(id: $id) { id } }', { id: { $ne: null } }, alice), ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    expectCode(await ask('query($f: SessionFilter) { sessions(filter: $f) { nodes { id } } }', { f: { user: ['bob'] } }, alice), ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'FORBIDDEN']);
    expectCode(await ask('query($b: Float!) { budgetProjection(budgetUsd: $b) { spentUsd } }', { b: 'NaN' }, alice), ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    expectCode(await ask('{ sessions(first: 5 { nodes { id } } }', {}, alice), ['GRAPHQL_PARSE_FAILED']);
    expectCode(await ask('query($c: String) { sessions(after: $c) { nodes { id } } }', { c: 'not-a-cursor' }, alice), ['BAD_USER_INPUT', 'DB_INVALID_CURSOR']);
    expect(wrong).toBe(0);
  });

  it('given SQL-looking strings in every string argument, then input errors or empty answers, never another member\'s rows, and the tables intact', async () => {
    const cases: [string, (s: string) => Record<string, unknown>][] = [
      ['query($v: String!) { usage(from: $v, to: "2026-11-30") { user } }', (v) => ({ v })],
      ['query($v: String!) { usage(from: "2026-11-01", to: $v) { user } }', (v) => ({ v })],
      ['query($v: String) { usage(from: "2026-11-01", to: "2026-11-30", timezone: $v) { user } }', (v) => ({ v })],
      ['query($v: String!) { usage(from: "2026-11-01", to: "2026-11-30", users: [$v]) { user } }', (v) => ({ v })],
      ['query($v: String!) { usage(from: "2026-11-01", to: "2026-11-30", projects: [$v]) { user project } }', (v) => ({ v })],
      ['query($v: String) { sessions(after: $v) { nodes { id user } } }', (v) => ({ v })],
      ['query($v: String) { sessions(filter: { user: $v }) { nodes { id user } } }', (v) => ({ v })],
      ['query($v: String) { sessions(filter: { project: $v }) { nodes { id user } } }', (v) => ({ v })],
      ['query($v: String) { sessions(filter: { model: $v }) { nodes { id user } } }', (v) => ({ v })],
      ['query($v: String) { sessions(filter: { from: $v }) { nodes { id user } } }', (v) => ({ v })],
      ['query($v: ID!) { session(id: $v) { id user } }', (v) => ({ v })],
      ['query($v: String!) { toolDaily(from: $v, to: "2026-11-30") { day } }', (v) => ({ v })],
      ['query($v: String!) { toolDaily(from: "2026-11-01", to: "2026-11-30", users: [$v]) { day } }', (v) => ({ v })],
      ['query($v: String!) { pluginDaily(from: "2026-11-01", to: $v) { day } }', (v) => ({ v })],
      ['query($v: String!) { blocks(from: "2026-11-01", to: "2026-11-30", users: [$v]) { startedAt } }', (v) => ({ v })],
      ['query($v: String!) { burnRate(users: [$v]) { tokensPerMinute } }', (v) => ({ v })],
      ['query($v: String) { budgetProjection(budgetUsd: 5, timezone: $v) { spentUsd } }', (v) => ({ v })],
    ];
    const slow: string[] = [];
    for (const [query, vars] of cases) {
      for (const s of SQLISH) {
        const at = Date.now();
        const r = await ask(query, vars(s), alice);
        if (Date.now() - at > 2500) slow.push(`${query} ${s}`);
        const code = r.body.errors?.[0]?.extensions?.code;
        if (code !== undefined && !['BAD_USER_INPUT', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED', 'DB_INVALID_CURSOR'].includes(code)) {
          wrong++;
          throw new Error(`${query} with ${JSON.stringify(s)}: ${JSON.stringify(r.body.errors)}`);
        }
        expect(r.status).toBeLessThan(500);
      }
    }
    expect(leaks).toBe(0);
    expect(slow).toEqual([]);
    const users = await sql<{ n: number }>`select count(*)::int as n from public.users`.execute(t.db.db);
    const tokens = await sql<{ n: number }>`select count(*)::int as n from public.api_tokens`.execute(t.db.db);
    expect(users.rows[0].n).toBe(4);
    expect(tokens.rows[0].n).toBe(6);
    // The admin still sees bob (the data are intact, only the member was kept out).
    const asAdmin = await t.gql('{ sessions(filter: { user: "bob" }) { nodes { id } } }', {}, admin);
    expect(asAdmin.body.data.sessions.nodes).toEqual([{ id: 's-bob-1' }]);
  });

  // PostgreSQL cannot take a NUL character: the API refuses it before any SQL runs.
  it('given a NUL character in a string argument, then BAD_USER_INPUT, not INTERNAL', async () => {
    const r = await ask('query($v: String!) { usage(from: "2026-11-01", to: "2026-11-30", projects: [$v]) { user project } }', { v: '\u0000' }, alice);
    expectCode(r, ['BAD_USER_INPUT']);
  });
});

/** The p-th percentile (0..100) of `ms`, nearest rank. */
function percentile(ms: number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('hostile GraphQL load: the query limits hold while others keep being served', () => {
  const SESSIONS = 200;
  const HEAVY = 'nodes { id timeline { at tokens costUsd } tools { name calls errors } models { model totalTokens } }';
  // Each is refused by one of graphql-armor's guards; without them each would read every session's
  // timeline and tools (150 × 200 pages in the first: megabytes and seconds of work).
  const HOSTILE: [string, string, Record<string, unknown>][] = [
    ['tokens', `{ ${Array.from({ length: 150 }, (_, i) => `a${i}: sessions(first: 200) { ${HEAVY} }`).join(' ')} }`, {}],
    ['aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: sessions(first: 200) { nodes { timeline { at } } }`).join(' ')} }`, {}],
    ['cost', `query($n: Int) { ${Array.from({ length: 12 }, (_, i) => `a${i}: sessions(first: $n) { ${HEAVY} }`).join(' ')} }`, { n: 200 }],
    ['cost', `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: sessions(first: 200) { ${HEAVY} }`).join(' ')} }`, {}],
    ['tokens', `{ me { ${Array.from({ length: 20000 }, () => 'name').join(' ')} } }`, {}],
  ];
  let t: TestApi;
  let attacker: string;
  let probe: string;

  beforeAll(async () => {
    // Rate limits off: this shows the query limits alone holding (rate limits have their own test).
    t = await startTestApi({ env: { API_RATE_LIMIT_PER_MINUTE: '0' }, clock: () => new Date('2026-11-21T12:00:00Z') });
    attacker = await seedUser(t.db.db, 'mallory', { onboarded: true });
    probe = await seedUser(t.db.db, 'root', { role: 'admin', onboarded: true });
    const messages = [];
    for (let i = 0; i < SESSIONS; i++) {
      const id = `s-m-${i}`;
      await seedSession(t.db.db, t.schema, { id, user: 'mallory', startedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 3_600_000).toISOString(), project: '/p/m' });
      for (let j = 0; j < 20; j++) messages.push({ user: 'mallory', session: id, model: 'm', ts: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 3_600_000 + j * 60_000).toISOString(), input: 10, output: 10, project: '/p/m' });
    }
    // In chunks: one INSERT takes at most 65 535 parameters.
    for (let i = 0; i < messages.length; i += 1000) await seedMessages(t.db.db, t.schema, messages.slice(i, i + 1000));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** `n` sequential `{ me }` requests; their latencies, ms. */
  async function probeMe(n: number): Promise<number[]> {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = performance.now();
      const r = await t.gql('{ me { name } }', {}, probe);
      ms.push(performance.now() - at);
      expect(r.body.data?.me?.name).toBe('root');
    }
    return ms;
  }

  it('refuses every hostile query with LIMIT_EXCEEDED naming the limit while a concurrent { me } stays fast', async () => {
    const started = Date.now();
    await probeMe(20); // warm-up: connections, caches
    const calm = await probeMe(300);

    let stop = false;
    let refused = 0;
    const wrong: string[] = [];
    const attackers = Array.from({ length: 2 }, async (_, k) => {
      for (let i = k; !stop; i++) {
        const [limit, query, variables] = HOSTILE[i % HOSTILE.length];
        const r = await t.gql(query, variables, attacker);
        const e = r.body.errors?.[0]?.extensions;
        if (e?.code === 'LIMIT_EXCEEDED' && e.limit === limit) refused++;
        else wrong.push(`${limit}: ${JSON.stringify(r.body.errors ?? r.body.data).slice(0, 200)}`);
      }
    });
    let attacked: number[];
    try {
      attacked = await probeMe(300);
    } finally {
      stop = true;
      await Promise.all(attackers);
    }
    const calmP99 = percentile(calm, 99);
    const attackedP99 = percentile(attacked, 99);
    const note =
      `{ me } p99 ${calmP99.toFixed(1)} ms unattacked, ${attackedP99.toFixed(1)} ms under attack (p50 ${percentile(calm, 50).toFixed(1)} / ${percentile(attacked, 50).toFixed(1)} ms; ` +
      `100 ms target ${attackedP99 < 100 ? 'met' : 'not met on this run'}); ${refused} hostile queries refused, ${wrong.length} not`;
    reportOutcome({ scenario: 'api: hostile query load', runs: refused + wrong.length, lost: wrong.length, doubleCounted: 0, recoverMs: 0, note: `${note}, ${((Date.now() - started) / 1000).toFixed(1)} s` });
    console.log(note);
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(20);
    // The target is 100 ms (the note above says whether this run met it). On a shared, loaded
    // machine the attackers, the probe and the API share one process and its CPU, so the bound
    // is generous and relative to the unattacked figure; it still fails without the limits, where
    // the hostile queries hold { me } for seconds (the issue measured 4.2 s) or make it fail.
    expect(attackedP99).toBeLessThan(Math.max(250, 5 * calmP99));
  });
});
