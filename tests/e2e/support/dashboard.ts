/**
 * The dashboard's browser suites share this: the whole stack (`ccpulse api` serving the built SPA,
 * `ccpulse aggregate`, `ccpulse ingest --once`) on real PostgreSQL and NATS with throwaway names,
 * fed by a private copy of the fixture transcripts plus a few written here for the cases the
 * fixtures lack (a long project path, a subagent worktree, a model without a price, a session
 * resumed after months); Debian's chromium driven by playwright-core; and the checks every page
 * gets at both widths: no sideways scrolling of the page, every table's columns in view or
 * reachable by scrolling the table (first column sticky, a visible cue), and axe-core without
 * serious or critical violations.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ccpulse, createStack, missingBuild, outputOf, ROOT, tokenIn, type Stack } from '../../support/stack';
import { until } from '../../support/until';
import { fixturesDir } from '../../../libs/domain/src/test-support/fixtures';
import { generatedCorpusDir } from '../../../libs/domain/src/test-support/corpora';

const CHROMIUM = '/usr/bin/chromium';
// The real transcripts when they are there, else the generated corpus: a fresh clone runs every page.
const CORPUS = fixturesDir() ?? generatedCorpusDir();
const PROJECTS = path.join(CORPUS, 'claude/projects');
const ORACLE = path.join(CORPUS, 'expected/oracle.json');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Debian's chromium, headless, quiet on the network: the browser every browser suite drives. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The two widths every page is checked at: a laptop and a phone. */
export const WIDTHS = [1400, 390] as const;

/** Why the browser suites cannot run here (empty when they can). */
export function missingForBrowser(): string[] {
  return [
    ...(fs.existsSync(CHROMIUM) ? [] : [`${CHROMIUM} is absent (apt-get install chromium)`]),
    ...[...missingBuild(), ...(fs.existsSync(path.join(ROOT, 'apps/api/web/dist/index.html')) ? [] : ['apps/api/web/dist/index.html'])].map((f) => `${f} is not built (npm run build)`),
  ];
}

/** `describe`, or `describe.skip` with a visible reason when chromium or the build are missing. */
export function browserSuite(name: string): jest.Describe {
  const missing = missingForBrowser();
  if (missing.length) console.warn(`SKIPPING ${name}: ${missing.join('; ')}`);
  return missing.length ? describe.skip : describe;
}

export interface OracleSession {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  prompts: number;
  started_at: string;
}

export const oracleTotal = (s: OracleSession) => s.input_tokens + s.output_tokens + s.cache_read_tokens + s.cache_creation_tokens;

/** A project path long enough to break a naive table. */
export const LONG_PROJECT = '/home/erin/src/platform-engineering/clients/acme-corporation/monorepo-with-a-rather-long-name/packages/checkout-service-backend-api';
/** A model the pricing table does not know. */
export const UNPRICED_MODEL = 'acme-llm-1';

/** The sessions written by {@link writeExtras}. */
export interface Extras {
  /** Runs in a subagent worktree of LONG_PROJECT. */
  worktree: string;
  /** Runs in LONG_PROJECT itself. */
  parent: string;
  /** Uses only UNPRICED_MODEL. */
  unpriced: string;
  /** Started 120 days ago, resumed a minute ago: the most recently active session. */
  resumed: string;
}

/** Transcripts for what the fixtures lack, stamped relative to `now`. */
export function writeExtras(projectsDir: string, now: number): Extras {
  const ids: Extras = { worktree: randomUUID(), parent: randomUUID(), unpriced: randomUUID(), resumed: randomUUID() };
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const min = 60_000;
  const user = (sessionId: string, cwd: string, ts: string, text: string) => ({ type: 'user', uuid: randomUUID(), sessionId, timestamp: ts, cwd, message: { role: 'user', content: text } });
  const answer = (sessionId: string, cwd: string, ts: string, model: string, input: number, output: number, content: unknown[] = [{ type: 'text', text: 'Done.' }]) => {
    const id = randomUUID();
    return { type: 'assistant', uuid: id, sessionId, timestamp: ts, cwd, requestId: `req_${id}`, message: { id: `msg_${id}`, model, role: 'assistant', content, usage: { input_tokens: input, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } } };
  };
  const toolResult = (sessionId: string, cwd: string, ts: string, toolUseId: string) => ({
    type: 'user', uuid: randomUUID(), sessionId, timestamp: ts, cwd, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: 'ok' }] },
  });
  const write = (dir: string, id: string, lines: object[]) => {
    fs.mkdirSync(path.join(projectsDir, dir), { recursive: true });
    fs.writeFileSync(path.join(projectsDir, dir, `${id}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  };
  const sonnet = 'claude-sonnet-4-20250514';
  const wt = `${LONG_PROJECT}/.claude/worktrees/agent-7f3a9c`;
  write('-home-erin-src-checkout-worktree', ids.worktree, [user(ids.worktree, wt, at(12 * min), 'Refactor the cart.'), answer(ids.worktree, wt, at(11 * min), sonnet, 900, 300)]);
  write('-home-erin-src-checkout', ids.parent, [user(ids.parent, LONG_PROJECT, at(20 * min), 'Add a test.'), answer(ids.parent, LONG_PROJECT, at(19 * min), sonnet, 1200, 400)]);
  const lab = '/home/erin/src/lab';
  write('-home-erin-src-lab', ids.unpriced, [user(ids.unpriced, lab, at(6 * min), 'Try the new model.'), answer(ids.unpriced, lab, at(5 * min), UNPRICED_MODEL, 5000, 700)]);
  const legacy = '/home/erin/src/legacy';
  const r = ids.resumed;
  const day = 24 * 60 * min;
  write('-home-erin-src-legacy', r, [
    user(r, legacy, at(120 * day), 'Fix the build.'),
    answer(r, legacy, at(120 * day - min), sonnet, 2000, 100, [{ type: 'tool_use', id: 'toolu_r1', name: 'Bash', input: { command: 'make' } }]),
    toolResult(r, legacy, at(120 * day - 2 * min), 'toolu_r1'),
    answer(r, legacy, at(120 * day - 3 * min), sonnet, 2100, 120, [{ type: 'tool_use', id: 'toolu_r2', name: 'Task', input: { description: 'look around', prompt: 'x', subagent_type: 'general-purpose' } }]),
    toolResult(r, legacy, at(120 * day - 4 * min), 'toolu_r2'),
    user(r, legacy, at(2 * min), 'Where were we?'),
    answer(r, legacy, at(1 * min), sonnet, 2500, 150),
  ]);
  return ids;
}

export interface Dashboard {
  stack: Stack;
  base: string;
  /** The admin whose transcripts were ingested (`erin`, the stack's CCPULSE_USER), onboarded. */
  token: string;
  /** A member with no sessions. */
  memberToken: string;
  user: string;
  oracle: Record<string, OracleSession>;
  extras: Extras;
  browser: Browser;
  gql<T = any>(query: string, variables?: Record<string, unknown>, as?: string): Promise<T>;
  /** A signed-in page at `width` (UTC unless a zone is given); closed by teardown. */
  page(width: number, opts?: { timeZone?: string; token?: string | null; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** `ccpulse ingest --once` over the stack's transcripts. */
  ingest(): Promise<void>;
  teardown(): Promise<void>;
}

/** Starts everything, ingests fixtures and extras, and waits until the API counts every session. */
export async function startDashboard(): Promise<Dashboard> {
  const oracle = JSON.parse(fs.readFileSync(ORACLE, 'utf8')).sessions as Record<string, OracleSession>;
  let extras!: Extras;
  const stack = await createStack((projectsDir) => {
    // A private copy: tests append to transcripts and must never touch the fixtures.
    fs.cpSync(PROJECTS, projectsDir, { recursive: true });
    extras = writeExtras(projectsDir, Date.now());
  });
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  try {
    const user = String(stack.env.CCPULSE_USER);
    const added = await ccpulse(['user', 'add', user, '--admin'], stack.env);
    if (added.code !== 0) throw new Error(`ccpulse user add failed: ${added.stderr}`);
    const token = tokenIn(added.stdout);
    const member = await ccpulse(['user', 'add', 'mia'], stack.env);
    const memberToken = tokenIn(member.stdout);
    if (!token || !memberToken) throw new Error('no token printed by ccpulse user add');
    const base = stack.apiUrl;
    const gql = async <T>(query: string, variables: Record<string, unknown> = {}, as = token): Promise<T> => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    stack.aggregator.start();
    stack.api.start();
    const apps = [stack.api, stack.aggregator];
    await until('the API to be ready', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 60_000, { explain: outputOf(...apps) });
    const ingest = async () => {
      const r = await ccpulse(['ingest', '--once', '--dir', stack.configDir], stack.env);
      if (r.code !== 0) throw new Error(`ccpulse ingest failed (${r.code}): ${r.stderr.slice(-2000)}`);
    };
    const t0 = Date.now();
    await ingest();
    const expected = Object.keys(oracle).length + Object.keys(extras).length;
    await until(
      `${expected} sessions in the API`,
      async () => ((await gql<{ sessions: { edges: unknown[] } }>('{ sessions(first: 200) { edges { cursor } } }')).sessions.edges.length >= expected ? true : undefined),
      120_000,
      { explain: outputOf(...apps) },
    );
    console.log(`fixtures ingested and aggregated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await gql('mutation { markOnboarded { name } }');
    browser = await launchChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const b = browser;
    return {
      stack,
      base,
      token,
      memberToken,
      user,
      oracle,
      extras,
      browser: b,
      gql,
      ingest,
      async page(width, opts = {}) {
        const context = await b.newContext({ viewport: { width, height: 900 }, timezoneId: opts.timeZone ?? 'UTC', colorScheme: opts.colorScheme ?? 'light' });
        contexts.push(context);
        const signedIn = opts.token === undefined ? token : opts.token;
        if (signedIn) await context.addInitScript((t) => localStorage.setItem('ccpulse.token', t), signedIn);
        const page = await context.newPage();
        page.on('pageerror', (e) => console.warn(`page error: ${e.message}`));
        return page;
      },
      async teardown() {
        for (const c of contexts) await c.close().catch(() => undefined);
        await b.close().catch(() => undefined);
        await stack.teardown();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await stack.teardown();
    throw err;
  }
}

/** Opens `hash` and waits for `ready` (a selector). */
export async function open(page: Page, base: string, hash: string, ready: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector(ready);
}

export interface TableLayout {
  caption: string;
  testId: string | null;
  overflow: number;
  firstSticky: boolean;
  cueVisible: boolean;
  lastReachable: boolean;
}

/**
 * The page does not scroll sideways, and every visible table either fits or keeps its first
 * column in view (sticky) while its last column is reachable by scrolling the table, with the
 * scroll cue shown. `fit` names tables (by their host's data-testid) that must fit entirely.
 */
export async function assertLayout(page: Page, label: string, fit: string[] = []): Promise<TableLayout[]> {
  // Layout settles after the ResizeObserver that shows the cue has run.
  await page.waitForTimeout(150);
  const r = await page.evaluate(() => {
    const doc = document.documentElement;
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null;
    const tables = [...document.querySelectorAll<HTMLElement>('.table-wrap')].filter(visible).map((wrap) => {
      const host = wrap.closest('[data-testid]:not(.table-wrap)');
      const cue = wrap.parentElement?.querySelector<HTMLElement>('.scroll-cue');
      const first = wrap.querySelector('thead th');
      const last = wrap.querySelector('thead th:last-child');
      const before = wrap.scrollLeft;
      wrap.scrollLeft = wrap.scrollWidth;
      const lastReachable = !!last && last.getBoundingClientRect().right <= wrap.getBoundingClientRect().right + 1;
      wrap.scrollLeft = before;
      return {
        caption: wrap.querySelector('caption')?.textContent ?? '',
        testId: host?.getAttribute('data-testid') ?? null,
        overflow: wrap.scrollWidth - wrap.clientWidth,
        firstSticky: !!first && getComputedStyle(first).position === 'sticky',
        cueVisible: !!cue && !cue.hidden && visible(cue),
        lastReachable,
      };
    });
    return { pageOverflow: doc.scrollWidth - doc.clientWidth, tables };
  });
  expect({ label, pageOverflow: r.pageOverflow }).toEqual({ label, pageOverflow: 0 });
  for (const t of r.tables) {
    if (t.testId && fit.includes(t.testId)) expect({ label, table: t.caption, overflow: t.overflow }).toEqual({ label, table: t.caption, overflow: 0 });
    else if (t.overflow > 1) expect({ label, table: t.caption, firstSticky: t.firstSticky, cueVisible: t.cueVisible, lastReachable: t.lastReachable }).toEqual({ label, table: t.caption, firstSticky: true, cueVisible: true, lastReachable: true });
    else expect({ label, table: t.caption, cueVisible: t.cueVisible }).toEqual({ label, table: t.caption, cueVisible: false });
  }
  return r.tables;
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core over the page: no serious or critical violation (the summary names each one). */
export async function assertAxe(page: Page, label: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ label, serious }).toEqual({ label, serious: [] });
}

/** Both checks, and a screenshot in test-artifacts/. */
export async function assertPage(page: Page, label: string, fit: string[] = []): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${label}.png`), fullPage: true });
  await assertLayout(page, label, fit);
  await assertAxe(page, label);
}
