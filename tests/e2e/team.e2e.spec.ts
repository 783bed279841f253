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
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import pg from 'pg';
import { teamTranscripts } from '../../libs/domain/src/test-support/team-transcript';
import { freePort } from '../support/free-port';
import { App, ccpulse, createStack, outputOf, tokenIn, type Stack } from '../support/stack';
import { until } from '../support/until';
import { ARTIFACTS, browserSuite, launchChromium } from './support/dashboard';

const USERS = ['alice', 'bob'];
const COLUMNS = ['sessions', 'prompts', 'activeSeconds', 'totalTokens', 'costUsd', 'linesAdded', 'linesRemoved', 'commits', 'pullRequests', 'editsAccepted', 'editsRejected'] as const;

const suite = browserSuite('the team browser tests');

/** RFC 4180 text as rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[i++];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

jest.setTimeout(240_000);

type Row = Record<(typeof COLUMNS)[number], number | string> & { user: string };

suite('the team view in chromium over the real stack', () => {
  let stack: Stack;
  // Each person's own transcript root (`CLAUDE_CONFIG_DIR`), inside the stack's so teardown removes it.
  const dirs: Record<string, string> = {};
  let env: NodeJS.ProcessEnv;
  let api: App;
  let aggregator: App;
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
    stack = await createStack(() => undefined);
    ({ env, api, aggregator, apiUrl: base } = stack);
    env.HOST = '127.0.0.1';
    const now = Date.now();
    to = new Date(now).toISOString().slice(0, 10);
    from = new Date(now - 29 * 86_400_000).toISOString().slice(0, 10);
    for (const f of teamTranscripts({ seed: 5, users: USERS, sessionsPerUser: 3, turnsPerSession: 6, startMs: now - 5 * 86_400_000 })) {
      dirs[f.user] ??= path.join(stack.configDir, f.user);
      const file = path.join(dirs[f.user], 'projects', f.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.lines.join('\n') + '\n');
    }
    const added = await ccpulse(['user', 'add', 'lead', '--admin'], env);
    expect(added.code).toBe(0);
    token = tokenIn(added.stdout);
    aggregator.start();
    api.start();
    await until('the API to be ready', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 60_000, { explain: outputOf(api, aggregator) });
    for (const user of USERS) await ingestAs(user);
    await until('both users with three sessions each', async () => {
      const rows = await team();
      return rows.length === 2 && rows.every((r) => r.sessions === 3) ? true : undefined;
    }, 120_000, { explain: outputOf(api, aggregator) });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'UTC', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => console.warn(`page error: ${e.message}`));
    await context.addInitScript((t) => localStorage.setItem('ccpulse.token', t), token);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.teardown();
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

  it('downloads Home\'s tables: the team panel as the API\'s export of its 7 days, the recent sessions as the rows on screen', async () => {
    await page.goto(`${base}/#/`);
    await page.waitForSelector('[data-testid=home-team-top] tbody tr[data-user]');
    await page.waitForSelector('[data-testid=recent-sessions] tbody tr[data-id]');
    const download = async (testId: string) => {
      const [saved] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testId}]`)]);
      return { name: saved.suggestedFilename(), csv: fs.readFileSync((await saved.path())!, 'utf8') };
    };
    const exported = async (view: string, f: string, t: string) =>
      (await fetch(`${base}/export/${view}.csv?from=${f}&to=${t}&timezone=UTC`, { headers: { authorization: `Bearer ${token}` } })).text();

    // Server-linked: the panel's window (the last 7 days, the page's zone), every user.
    const week = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const team = await download('download-team');
    expect(team.name).toBe(`ccpulse-team-${week}-${to}.csv`);
    expect(team.csv).toBe(await exported('team', week, to));
    expect(team.csv.trim().split('\r\n')).toHaveLength(1 + USERS.length);

    // Written in the browser: the five rows on screen, in the sessions export's columns and format.
    const recent = await download('download-recent-sessions');
    expect(recent.name).toBe(`ccpulse-recent-sessions-${to}.csv`);
    const [head, ...rows] = parseCsv(recent.csv);
    expect(head).toEqual(['id', 'user', 'project', 'gitBranch', 'startedAt', 'endedAt', 'activeSeconds', 'wallSeconds', 'prompts', 'toolCalls', 'toolErrors', 'primaryModel', 'totalTokens', 'costUsd']);
    const shown = await page.$$eval('[data-testid=recent-sessions] tbody tr[data-id]', (trs) => trs.map((tr) => tr.getAttribute('data-id')));
    expect(rows.map((r) => r[0])).toEqual(shown);
    expect(rows).toHaveLength(5);
    const [serverHead, ...serverRows] = parseCsv(await exported('sessions', from, to));
    const byId = new Map(serverRows.map((r) => [r[0], Object.fromEntries(serverHead.map((c, i) => [c, r[i]]))]));
    for (const r of rows) expect(Object.fromEntries(head.map((c, i) => [c, r[i]]))).toEqual(Object.fromEntries(head.map((c) => [c, byId.get(r[0])?.[c]])));
  });

  it('shows the team to alice with CCPULSE_AUTH=disabled, although the ingest made her a member', async () => {
    const c = new pg.Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    const role = await c.query(`select role from users where name = 'alice'`).finally(() => c.end());
    expect(role.rows).toEqual([{ role: 'member' }]);
    const port = await freePort();
    const local = new App('api-local', ['api'], { ...env, PORT: String(port), CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'alice' }).start();
    const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'UTC' });
    try {
      await until('the local-mode API to be ready', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined), 60_000, { explain: outputOf(local) });
      const p = await fresh.newPage();
      await p.goto(`http://127.0.0.1:${port}/`);
      await p.waitForSelector('[data-testid=home-team-top] tbody tr[data-user]');
      expect(await p.textContent('[data-testid=who]')).toBe('alice (admin)');
      const top = await p.$$eval('[data-testid=home-team-top] tbody tr[data-user]', (trs) => trs.map((tr) => tr.getAttribute('data-user')));
      expect(top.sort()).toEqual(USERS);
    } finally {
      await fresh.close();
      await local.stop();
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
    }, 60_000, { explain: outputOf(api, aggregator) });
    // No reload: the open page follows the live tick.
    await until('the page to show the new row', async () => (JSON.stringify(await shownRows(page)) === JSON.stringify(asShown(want)) ? true : undefined), 30_000);
    expect(Number((await shownRows(page)).alice.editsAccepted)).toBe(Number(before.editsAccepted) + 1);
  });
});
