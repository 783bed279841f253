/**
 * The team view over the whole stack, in Debian's chromium: two people's generated transcripts
 * (`ccpulse ingest --once` as alice, then as bob) → `ccpulse aggregate` → `ccpulse api` serving
 * the built dashboard, on real PostgreSQL and NATS with throwaway names.
 *
 * Given both are ingested, the `team` rows add up to `usage` by user and equal what `ccpulse
 * report team` says from each person's files; the Team page shows exactly the API's rows and
 * sorts by any column; an admin's home opens on the team; and a line appended to alice's
 * transcript changes her row on the open page without a reload. Needs no shared fixtures.
 */
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { teamTranscripts } from '../../libs/domain/src/test-support/team-transcript';
import { ccpulse, freePort } from './support/stack';

const ROOT = path.resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const BUILT = ['dist/apps/api/src/main.js', 'dist/apps/aggregator/src/main.js', 'dist/apps/ingestor/src/main.js', 'dist/apps/api/src/auth/user.command.js', 'dist/libs/db/src/cli/migrate.command.js', 'apps/api/web/dist/index.html'];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const USERS = ['alice', 'bob'];
const COLUMNS = ['sessions', 'prompts', 'activeSeconds', 'totalTokens', 'costUsd', 'linesAdded', 'linesRemoved', 'commits', 'pullRequests', 'editsAccepted', 'editsRejected'] as const;

const missing = [
  ...(fs.existsSync(CHROMIUM) ? [] : [`${CHROMIUM} is absent (apt-get install chromium)`]),
  ...BUILT.filter((f) => !fs.existsSync(path.join(ROOT, f))).map((f) => `${f} is not built (npm run build)`),
];
if (missing.length) console.warn(`SKIPPING the team browser tests: ${missing.join('; ')}`);
const suite = missing.length ? describe.skip : describe;

jest.setTimeout(240_000);

interface Daemon {
  name: string;
  child: ChildProcess;
  log: string[];
}

function daemon(name: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/ccpulse.js'), ...args], { env, cwd: ROOT });
  const log: string[] = [];
  const keep = (d: Buffer) => {
    log.push(String(d));
    if (log.length > 200) log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, log };
}

async function stop(d: Daemon | undefined): Promise<void> {
  if (!d || d.child.exitCode !== null || d.child.signalCode !== null) return;
  const exited = new Promise((r) => d.child.once('exit', r));
  d.child.kill('SIGTERM');
  const killer = setTimeout(() => d.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, daemons: Daemon[] = []): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const logs = daemons.map((d) => `--- ${d.name}\n${d.log.join('').slice(-3000)}`).join('\n');
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}\n${logs}`);
}

async function createDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database "${name}"`);
  const u = new URL(ADMIN_DATABASE_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
      await admin(`drop database if exists "${name}"`);
    },
  };
}

type Row = Record<(typeof COLUMNS)[number], number | string> & { user: string };

suite('the team view in chromium over the real stack', () => {
  const suffix = randomBytes(4).toString('hex');
  const stream = `TEAM_${suffix}`;
  const bucket = `team-offsets-${suffix}`;
  let db: { url: string; drop(): Promise<void> } | undefined;
  const dirs: Record<string, string> = {};
  let env: NodeJS.ProcessEnv;
  let api: Daemon;
  let aggregator: Daemon;
  let base: string;
  let token: string;
  let browser: Browser;
  let page: Page;
  let from: string;
  let to: string;

  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  const team = () =>
    gql<{ team: Row[] }>(`query($f: String!, $t: String!) { team(from: $f, to: $t, timezone: "UTC") { user ${COLUMNS.join(' ')} } }`, { f: from, t: to }).then((d) => d.team);

  async function ingestAs(user: string): Promise<void> {
    const r = await ccpulse(['ingest', '--once', '--dir', dirs[user]], { ...env, CCPULSE_USER: user, CLAUDE_CONFIG_DIR: dirs[user] });
    expect(r).toMatchObject({ code: 0 });
  }

  /** The page's leaderboard: per user, each column's data-value. */
  async function shownRows(p: Page): Promise<Record<string, Record<string, string>>> {
    return p.$$eval(
      '[data-testid=team-table] tbody tr[data-user]',
      (trs, cols) =>
        Object.fromEntries(
          trs.map((tr) => [tr.getAttribute('data-user'), Object.fromEntries(cols.map((c) => [c, tr.querySelector(`td[data-col=${c}]`)?.getAttribute('data-value') ?? '']))]),
        ),
      [...COLUMNS] as string[],
    );
  }
  const asShown = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.user, Object.fromEntries(COLUMNS.map((c) => [c, String(r[c])]))]));

  beforeAll(async () => {
    db = await createDatabase(`ccpulse_team_${suffix}`);
    const now = Date.now();
    to = new Date(now).toISOString().slice(0, 10);
    from = new Date(now - 29 * 86_400_000).toISOString().slice(0, 10);
    for (const f of teamTranscripts({ seed: 5, users: USERS, sessionsPerUser: 3, turnsPerSession: 6, startMs: now - 5 * 86_400_000 })) {
      dirs[f.user] ??= fs.mkdtempSync(path.join(os.tmpdir(), `ccpulse-team-${f.user}-`));
      const file = path.join(dirs[f.user], 'projects', f.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.lines.join('\n') + '\n');
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: db.url,
      NATS_URL,
      CCPULSE_SUBJECT_PREFIX: `team${suffix}`,
      CCPULSE_STREAM: stream,
      CCPULSE_OFFSETS_BUCKET: bucket,
      CCPULSE_HOST: 'e2e-host',
      INGEST_METRICS_PORT: '0',
      AGGREGATOR_METRICS_PORT: '0',
      AGGREGATOR_BATCH_MS: '50',
      PORT: String(port),
      HOST: '127.0.0.1',
    };
    expect(await ccpulse(['migrate'], env)).toMatchObject({ code: 0 });
    const added = await ccpulse(['user', 'add', 'lead', '--admin'], env);
    expect(added.code).toBe(0);
    token = (added.stdout.match(/[A-Za-z0-9_-]{32,}/g) ?? []).at(-1) ?? '';
    aggregator = daemon('aggregate', ['aggregate'], env);
    api = daemon('api', ['api'], env);
    await until('the API to be ready', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 60_000, [api, aggregator]);
    for (const user of USERS) await ingestAs(user);
    await until('both users with three sessions each', async () => {
      const rows = await team();
      return rows.length === 2 && rows.every((r) => r.sessions === 3) ? true : undefined;
    }, 120_000, [api, aggregator]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'UTC', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => console.warn(`page error: ${e.message}`));
    await context.addInitScript((t) => localStorage.setItem('ccpulse.token', t), token);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stop(api);
    await stop(aggregator);
    const nc = await connect({ servers: NATS_URL }).catch(() => undefined);
    if (nc) {
      const jsm = await jetstreamManager(nc);
      for (const name of [stream, `KV_${bucket}`]) await jsm.streams.delete(name).catch(() => undefined);
      await nc.close();
    }
    await db?.drop();
    for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('gives team rows that add up to usage by user and equal each person\'s ccpulse report team', async () => {
    const rows = await team();
    const usage = (await gql<{ usage: Record<string, number | string>[] }>(
      `query($f: String!, $t: String!) { usage(from: $f, to: $t, timezone: "UTC", groupBy: [USER]) { user totalTokens costUsd linesAdded linesRemoved commits pullRequests editsAccepted editsRejected } }`,
      { f: from, t: to },
    )).usage;
    expect(usage.map((u) => u.user).sort()).toEqual(USERS);
    for (const u of usage) {
      const row = rows.find((r) => r.user === u.user)!;
      expect({ user: u.user, ...Object.fromEntries(Object.keys(u).filter((k) => k !== 'user').map((k) => [k, row[k as keyof Row]])) }).toEqual(u);
    }
    expect(rows.reduce((a, r) => a + Number(r.linesAdded), 0)).toBeGreaterThan(0);
    for (const user of USERS) {
      const local = await ccpulse(['report', 'team', '--json', '-z', 'UTC', '--mode', 'calculate', '--since', from, '--until', to, '--dir', dirs[user]], { ...env, CCPULSE_USER: user, CCPULSE_REPORT_THREADS: '1' });
      expect(local.code).toBe(0);
      const [mine] = JSON.parse(local.stdout).team;
      const server = rows.find((r) => r.user === user)!;
      // Cost: the server stores each response's cost to 1e-9 USD and sums those; the report sums floats.
      expect({ ...mine, costUsd: 0 }).toEqual({ ...server, costUsd: 0 });
      expect(mine.costUsd).toBeCloseTo(Number(server.costUsd), 6);
    }
  });

  it('shows the API\'s rows on the Team page, sortable by any column', async () => {
    await page.goto(`${base}/#/team`);
    await page.waitForSelector('[data-testid=team-table] tbody tr[data-user=bob]');
    expect(await shownRows(page)).toEqual(asShown(await team()));
    const order = () => page.$$eval('[data-testid=team-table] tbody tr[data-user]', (trs) => trs.map((tr) => tr.getAttribute('data-user')));
    const api = await team();
    for (const column of ['prompts', 'linesAdded', 'user'] as const) {
      await page.click(`[data-testid=team-table] th button[data-sort=${column}]`);
      const dir = await page.getAttribute(`[data-testid=team-table] th:has(button[data-sort=${column}])`, 'aria-sort');
      const want = [...api].sort((a, b) => {
        const c = column === 'user' ? a.user.localeCompare(b.user) : Number(a[column]) - Number(b[column]);
        return (dir === 'ascending' ? c : -c) || a.user.localeCompare(b.user);
      });
      expect(await order()).toEqual(want.map((r) => r.user));
    }
    const days = (await gql<{ toolDaily: { tool: string; accepted: number; rejected: number }[] }>('query($f: String!, $t: String!) { toolDaily(from: $f, to: $t) { tool accepted rejected } }', { f: from, t: to })).toolDaily;
    const decisions: Record<string, string> = {};
    for (const d of days) {
      const [a, r] = (decisions[d.tool] ?? '0/0').split('/').map(Number);
      decisions[d.tool] = `${a + d.accepted}/${r + d.rejected}`;
    }
    for (const k of Object.keys(decisions)) if (decisions[k] === '0/0') delete decisions[k];
    const shownDecisions = await page.$$eval('[data-testid=team-decisions] tbody tr[data-tool]', (trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-tool'), `${tr.getAttribute('data-accepted')}/${tr.getAttribute('data-rejected')}`])));
    expect(Object.keys(shownDecisions).length).toBeGreaterThan(0);
    expect(shownDecisions).toEqual(decisions);
    // The leaderboard's Download CSV saves the API's export of the same range.
    const [saved] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-team]')]);
    const csv = fs.readFileSync((await saved.path())!, 'utf8');
    const exported = await (await fetch(`${base}/export/team.csv?from=${from}&to=${to}&timezone=UTC`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(saved.suggestedFilename()).toBe(`ccpulse-team-${from}-${to}.csv`);
    expect(csv).toBe(exported);
    expect(csv.trim().split('\r\n')).toHaveLength(3);
    const cards = await page.getAttribute('[data-testid=team-card-users] .card-value', 'data-value');
    expect(cards).toBe('2');
    await page.screenshot({ path: path.join(ARTIFACTS, 'team-page.png'), fullPage: true });
  });

  it('opens an admin\'s home on the team with their own activity beside it', async () => {
    await page.goto(`${base}/#/`);
    await page.waitForSelector('[data-testid=home-team-top] tbody tr[data-user]');
    const top = await page.$$eval('[data-testid=home-team-top] tbody tr[data-user]', (trs) => trs.map((tr) => tr.getAttribute('data-user')));
    expect(top.sort()).toEqual(USERS);
    expect(await page.textContent('#status-h')).toBe('My activity');
    await page.screenshot({ path: path.join(ARTIFACTS, 'team-home.png'), fullPage: true });
  });

  it('shows the team to alice with CCPULSE_AUTH=disabled, although the ingest made her a member', async () => {
    const c = new pg.Client({ connectionString: db!.url });
    await c.connect();
    const role = await c.query(`select role from users where name = 'alice'`).finally(() => c.end());
    expect(role.rows).toEqual([{ role: 'member' }]);
    const port = await freePort();
    const local = daemon('api-local', ['api'], { ...env, PORT: String(port), CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'alice' });
    const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'UTC' });
    try {
      await until('the local-mode API to be ready', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined), 60_000, [local]);
      const p = await fresh.newPage();
      await p.goto(`http://127.0.0.1:${port}/`);
      await p.waitForSelector('[data-testid=home-team-top] tbody tr[data-user]');
      expect(await p.textContent('[data-testid=who]')).toBe('alice (admin)');
      const top = await p.$$eval('[data-testid=home-team-top] tbody tr[data-user]', (trs) => trs.map((tr) => tr.getAttribute('data-user')));
      expect(top.sort()).toEqual(USERS);
    } finally {
      await fresh.close();
      await stop(local);
    }
  });

  it('updates alice\'s row live after a line is appended to her transcript', async () => {
    await page.goto(`${base}/#/team`);
    await page.waitForSelector('[data-testid=team-table] tbody tr[data-user=alice]');
    await page.waitForSelector('[data-testid=live][data-state=live]');
    const before = (await shownRows(page)).alice;
    const file = (function find(dir: string): string {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) return find(p);
        if (d.name.endsWith('.jsonl')) return p;
      }
      throw new Error('no transcript');
    })(dirs.alice);
    const last = JSON.parse(fs.readFileSync(file, 'utf8').trim().split('\n').at(-1)!);
    const id = `toolu_01${randomBytes(11).toString('hex')}`;
    const at = new Date().toISOString();
    const base0 = { isSidechain: false, userType: 'external', cwd: last.cwd, sessionId: last.sessionId, version: '2.0.42', gitBranch: 'main' };
    const use = { ...base0, type: 'assistant', uuid: randomUUID(), timestamp: at, requestId: `req_${id}`, message: { id: `msg_${id}`, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'tool_use', id, name: 'Write', input: { file_path: '/src/live.ts', content: 'a\nb\nc\nd\n' } }], usage: { input_tokens: 3, output_tokens: 40, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } } };
    const result = { ...base0, type: 'user', uuid: randomUUID(), timestamp: at, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'File created successfully at: /src/live.ts' }] }, toolUseResult: { type: 'create', filePath: '/src/live.ts', content: 'a\nb\nc\nd\n', structuredPatch: [] } };
    fs.appendFileSync(file, `${JSON.stringify(use)}\n${JSON.stringify(result)}\n`);
    await ingestAs('alice');
    const want = await until('alice to gain the 4 lines in the API', async () => {
      const rows = await team();
      const a = rows.find((r) => r.user === 'alice')!;
      return Number(a.linesAdded) === Number(before.linesAdded) + 4 ? rows : undefined;
    }, 60_000, [api, aggregator]);
    // No reload: the open page follows the live tick.
    await until('the page to show the new row', async () => (JSON.stringify(await shownRows(page)) === JSON.stringify(asShown(want)) ? true : undefined), 30_000);
    expect(Number((await shownRows(page)).alice.editsAccepted)).toBe(Number(before.editsAccepted) + 1);
  });
});
