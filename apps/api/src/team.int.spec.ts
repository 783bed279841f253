/**
 * `team`, `activity` and the outcome fields of `usage` on the real PostgreSQL: rows add up to
 * `usage` by user, members get only their own row, bad arguments are typed errors, and with auth
 * disabled the caller is an admin even when the ingest created their row as a member.
 */
import { createUser } from '@ccpulse/db';
import { sql } from 'kysely';
import { seedMessages, seedUser } from './test-support/seed';
import { startTestApi, type TestApi } from './test-support/api-harness';

interface Hour {
  session: string;
  user: string;
  hour: string;
  model: string;
  project?: string;
  sessions?: number;
  prompts?: number;
  activeMs?: number;
  added?: number;
  removed?: number;
  commits?: number;
  prs?: number;
  accepted?: number;
  rejected?: number;
}

async function seedHours(t: TestApi, hours: Hour[]): Promise<void> {
  for (const h of hours) {
    await sql`insert into ${sql.id(t.schema, 'usage_session_hourly')} values (${h.session}, ${h.hour}, ${h.model}, ${h.user},
      ${h.project ?? '/p/shop'}, ${h.sessions ?? 0}, ${h.prompts ?? 0}, ${h.activeMs ?? 0}, ${h.added ?? 0}, ${h.removed ?? 0},
      ${h.commits ?? 0}, ${h.prs ?? 0}, ${h.accepted ?? 0}, ${h.rejected ?? 0},
      ${JSON.stringify({ Edit: { accepted: h.accepted ?? 0, rejected: h.rejected ?? 0 } })}::jsonb)`.execute(t.db.db);
  }
}

const TEAM = `query($from: String!, $to: String!, $tz: String, $projects: [String!]) {
  team(from: $from, to: $to, timezone: $tz, projects: $projects) {
    user sessions prompts activeSeconds totalTokens costUsd linesAdded linesRemoved commits pullRequests editsAccepted editsRejected acceptanceRate
  } }`;

describe('team view queries (real PostgreSQL + NATS)', () => {
  let t: TestApi;
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    t = await startTestApi();
    admin = await seedUser(t.db.db, 'root', { role: 'admin' });
    alice = await seedUser(t.db.db, 'alice');
    await seedUser(t.db.db, 'bob');
    await seedMessages(t.db.db, t.schema, [
      { user: 'alice', session: 'a1', model: 'claude-opus-4-5', ts: '2026-11-20T09:10:00Z', input: 100, output: 50, cost: 1.5, project: '/p/shop' },
      { user: 'alice', session: 'a1', model: 'claude-haiku-4-5', ts: '2026-11-20T23:30:00Z', input: 10, output: 5, cost: 0.25, project: '/p/shop' },
      { user: 'bob', session: 'b1', model: 'claude-opus-4-5', ts: '2026-11-21T10:00:00Z', input: 1000, output: 1, cost: 3, project: '/p/api' },
      { user: 'bob', session: 'b0', model: 'claude-opus-4-5', ts: '2026-11-10T10:00:00Z', input: 7, output: 7, cost: 9, project: '/p/api' },
    ]);
    await seedHours(t, [
      { session: 'a1', user: 'alice', hour: '2026-11-20T09:00:00Z', model: 'claude-opus-4-5', sessions: 1, prompts: 3, activeMs: 1_500_500, added: 40, removed: 4, commits: 1, accepted: 5, rejected: 1 },
      { session: 'a1', user: 'alice', hour: '2026-11-20T23:00:00Z', model: 'claude-haiku-4-5', added: 2, accepted: 1 },
      { session: 'b1', user: 'bob', hour: '2026-11-21T10:00:00Z', model: 'claude-opus-4-5', project: '/p/api', sessions: 1, prompts: 2, activeMs: 60_000, prs: 1, rejected: 2 },
      { session: 'b0', user: 'bob', hour: '2026-11-10T10:00:00Z', model: 'claude-opus-4-5', project: '/p/api', sessions: 1, prompts: 9 },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives one row per user that adds up to usage by user', async () => {
    const vars = { from: '2026-11-20', to: '2026-11-21', tz: 'UTC' };
    const team = await t.gql(TEAM, vars, admin);
    expect(team.body.errors).toBeUndefined();
    expect(team.body.data.team).toEqual([
      { user: 'bob', sessions: 1, prompts: 2, activeSeconds: 60, totalTokens: 1001, costUsd: 3, linesAdded: 0, linesRemoved: 0, commits: 0, pullRequests: 1, editsAccepted: 0, editsRejected: 2, acceptanceRate: 0 },
      { user: 'alice', sessions: 1, prompts: 3, activeSeconds: 1500, totalTokens: 165, costUsd: 1.75, linesAdded: 42, linesRemoved: 4, commits: 1, pullRequests: 0, editsAccepted: 6, editsRejected: 1, acceptanceRate: 6 / 7 },
    ]);
    const usage = await t.gql('query($from: String!, $to: String!) { usage(from: $from, to: $to, groupBy: [USER]) { user totalTokens costUsd linesAdded commits pullRequests editsAccepted editsRejected } }', vars, admin);
    const byUser = Object.fromEntries(usage.body.data.usage.map((r: { user: string }) => [r.user, r]));
    for (const row of team.body.data.team) {
      expect(byUser[row.user]).toEqual({ user: row.user, totalTokens: row.totalTokens, costUsd: row.costUsd, linesAdded: row.linesAdded, commits: row.commits, pullRequests: row.pullRequests, editsAccepted: row.editsAccepted, editsRejected: row.editsRejected });
    }
  });

  it('cuts days in the requested zone and filters by project', async () => {
    // In Berlin alice's 23:30 UTC line is on the 21st: the 20th alone lacks it.
    const berlin = await t.gql(TEAM, { from: '2026-11-20', to: '2026-11-20', tz: 'Europe/Berlin' }, admin);
    expect(berlin.body.data.team).toEqual([expect.objectContaining({ user: 'alice', totalTokens: 150, linesAdded: 40 })]);
    const api = await t.gql(TEAM, { from: '2026-11-01', to: '2026-11-30', projects: ['/p/api'] }, admin);
    expect(api.body.data.team.map((r: { user: string; prompts: number }) => [r.user, r.prompts])).toEqual([['bob', 11]]);
  });

  it('gives a member only their own row, and refuses naming another user', async () => {
    const r = await t.gql(TEAM, { from: '2026-11-01', to: '2026-11-30' }, alice);
    expect(r.body.data.team.map((x: { user: string }) => x.user)).toEqual(['alice']);
    const other = await t.gql('{ team(from: "2026-11-01", to: "2026-11-30", users: ["bob"]) { user } }', {}, alice);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives active users, sessions, prompts and cost per period', async () => {
    const r = await t.gql('{ activity(from: "2026-11-01", to: "2026-11-30", period: WEEK) { period activeUsers sessions prompts costUsd } }', {}, admin);
    expect(r.body.data.activity).toEqual([
      { period: '2026-11-09', activeUsers: 1, sessions: 1, prompts: 9, costUsd: 9 },
      { period: '2026-11-16', activeUsers: 2, sessions: 2, prompts: 5, costUsd: 4.75 },
    ]);
    const day = await t.gql('{ activity(from: "2026-11-20", to: "2026-11-21") { period activeUsers } }', {}, alice);
    expect(day.body.data.activity).toEqual([{ period: '2026-11-20', activeUsers: 1 }]);
  });

  async function download(path: string, token?: string) {
    const res = await fetch(`${t.api.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
  }

  it('exports the team, usage, sessions and tools tables as CSV with the same scoping', async () => {
    const team = await download('/export/team.csv?from=2026-11-20&to=2026-11-21&timezone=UTC', admin);
    expect(team.status).toBe(200);
    expect(team.type).toMatch(/^text\/csv/);
    expect(team.disposition).toBe('attachment; filename="ccpulse-team-2026-11-20-2026-11-21.csv"');
    expect(team.text.split('\r\n')).toEqual([
      'user,sessions,prompts,activeSeconds,totalTokens,costUsd,linesAdded,linesRemoved,commits,pullRequests,editsAccepted,editsRejected',
      'bob,1,2,60,1001,3,0,0,0,1,0,2',
      'alice,1,3,1500,165,1.75,42,4,1,0,6,1',
      '',
    ]);
    const mine = await download('/export/usage.csv?from=2026-11-01&to=2026-11-30', alice);
    expect(mine.status).toBe(200);
    const lines = mine.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^day,user,project,model,messages,inputTokens/);
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'alice')).toBe(true);
    expect(lines.length).toBe(3);
    expect((await download('/export/tools.csv?from=2026-11-01&to=2026-11-30', alice)).text).toBe('day,user,tool,calls,errors,avgDurationMs,accepted,rejected\r\n');
    expect((await download('/export/sessions.csv?from=2026-11-01&to=2026-11-30', admin)).status).toBe(200);
  });

  it('gives each tool day its accepted and rejected uses', async () => {
    await sql`insert into ${sql.id(t.schema, 'usage_tool_daily')} values ('2026-11-20', 'alice', 'Edit', 8, 1, 800, 8), ('2026-11-20', 'alice', 'Read', 3, 0, 30, 3)`.execute(t.db.db);
    const r = await t.gql('{ toolDaily(from: "2026-11-20", to: "2026-11-20") { user tool calls accepted rejected } }', {}, admin);
    expect(r.body.data.toolDaily).toEqual([
      { user: 'alice', tool: 'Edit', calls: 8, accepted: 6, rejected: 1 },
      { user: 'alice', tool: 'Read', calls: 3, accepted: 0, rejected: 0 },
    ]);
    const csv = await download('/export/tools.csv?from=2026-11-20&to=2026-11-20', alice);
    expect(csv.text).toBe('day,user,tool,calls,errors,avgDurationMs,accepted,rejected\r\n2026-11-20,alice,Edit,8,1,100,6,1\r\n2026-11-20,alice,Read,3,0,10,0,0\r\n');
  });

  it('answers export errors with the GraphQL codes as HTTP statuses', async () => {
    expect((await download('/export/team.csv?from=2026-11-01&to=2026-11-30')).status).toBe(401);
    const forbidden = await download('/export/team.csv?from=2026-11-01&to=2026-11-30&users=bob', alice);
    expect(forbidden.status).toBe(403);
    const bad = await download('/export/usage.csv?from=2026-11-01&to=yesterday', admin);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: { code: 'BAD_USER_INPUT', argument: 'to' } });
    expect((await download('/export/budgets.csv?from=2026-11-01&to=2026-11-30', admin)).status).toBe(404);
  });

  it('keeps a project named like a formula inert in the CSV', async () => {
    await seedHours(t, [{ session: 'x1', user: 'alice', hour: '2026-11-25T10:00:00Z', model: 'm', project: '=HYPERLINK("http://evil")', sessions: 1 }]);
    const r = await download('/export/usage.csv?from=2026-11-25&to=2026-11-25', admin);
    expect(r.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it.each([
    ['{ team(from: "2026-13-01", to: "2026-11-30") { user } }', 'from'],
    ['{ team(from: "2026-11-30", to: "2026-11-01") { user } }', 'to'],
    ['{ team(from: "2026-11-01", to: "2026-11-30", timezone: "Mars/Olympus") { user } }', 'timezone'],
    ['{ team(from: "2026-11-01", to: "2026-11-30", projects: [""]) { user } }', 'projects'],
    ['{ activity(from: "2026-11-01", to: "2026-11-30", period: YEAR) { period } }', undefined],
  ])('refuses %s with BAD_USER_INPUT', async (query, argument) => {
    const r = await t.gql(query, {}, admin);
    expect(r.body.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    if (argument) expect(r.body.errors?.[0]?.extensions?.argument).toBe(argument);
  });
});

describe('auth disabled: the caller is an admin', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ env: { CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'solo' } });
    // What the ingest does: the user's row appears as a member.
    await createUser(t.db.db, 'solo', 'member');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers me.role ADMIN and sees the whole team', async () => {
    expect((await t.gql('{ me { name role } }')).body.data.me).toEqual({ name: 'solo', role: 'ADMIN' });
    expect((await t.gql('mutation { markOnboarded { role } }')).body.data.markOnboarded).toEqual({ role: 'ADMIN' });
    const r = await t.gql('{ team(from: "2026-11-01", to: "2026-11-30", users: ["someone"]) { user } }');
    expect(r.body.errors).toBeUndefined();
  });
});
