/**
 * The dashboard's Content-Security-Policy holds on every page: chromium (playwright-core) visits
 * each page of the nav, a session page and the budgets page with its banner, over the real stack
 * (`ccpulse api` serving the built SPA, `ccpulse aggregate`, a small synthetic transcript
 * ingested with `ccpulse ingest --once`), and fails on any `securitypolicyviolation` event or
 * CSP console error. A deliberate inline script first proves the detector sees violations.
 */
import { type Browser, type Page } from 'playwright-core';
import { graphqlClient, type GraphqlClient } from './support/graphql';
import { writeSmallTranscripts } from './support/small-transcript';
import { ccpulse, createStack, outputOf, tokenIn, type Stack } from '../support/stack';
import { browserSuite, launchChromium } from './support/dashboard';
import { until } from '../support/until';

const suite = browserSuite('the CSP browser test');

jest.setTimeout(240_000);

/** What the page reported about CSP: violation events and console errors. */
interface CspReport {
  events: { directive: string; blocked: string; sample: string }[];
  console: string[];
}

suite('the dashboard under its Content-Security-Policy (chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let api: GraphqlClient;
  let token: string;
  let sessionIds: string[];
  const consoleErrors: string[] = [];

  const report = async (): Promise<CspReport> => ({
    events: await page.evaluate(() => (window as unknown as { __csp: CspReport['events'] }).__csp ?? []),
    console: consoleErrors.splice(0),
  });

  beforeAll(async () => {
    stack = await createStack((projects) => {
      sessionIds = writeSmallTranscripts(projects);
    });
    const added = await ccpulse(['user', 'add', 'erin', '--admin'], stack.env);
    expect(added.code).toBe(0);
    token = tokenIn(added.stdout);
    stack.aggregator.start();
    stack.api.start();
    await until('the API', async () => ((await fetch(`${stack.apiUrl}/readyz`)).ok ? true : undefined), 60_000, { explain: outputOf(stack.api, stack.aggregator) });
    expect((await ccpulse(['ingest', '--once', '--dir', stack.configDir], stack.env)).code).toBe(0);
    api = graphqlClient(stack.apiUrl, token);
    await until('the sessions in the API', async () => ((await api.query('{ sessions(first: 10) { edges { cursor } } }')).sessions.edges.length === 2 ? true : undefined), 60_000, { explain: outputOf(stack.api, stack.aggregator) });
    await api.query('mutation { markOnboarded { name } }');
    // A budget already crossed, so the budgets page and the banner render their alert states too.
    await api.query('mutation { setBudget(input: { scope: TEAM, period: MONTH, limitUsd: 0.01 }) { id } }');
    await until('the budget alert', async () => ((await api.query('{ budgets { alerts { threshold } } }')).budgets[0].alerts.length === 3 ? true : undefined), 30_000, { explain: outputOf(stack.aggregator) });

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Installed before any page script: collects every violation the page sees.
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: unknown[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/content.security.policy|refused to (load|execute|apply|connect|frame)/i.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    await page.goto(`${stack.apiUrl}/`);
    await page.waitForSelector('#token');
    await page.fill('#token', token);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('body[data-ready=true]');
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.teardown();
  });

  it('sees a violation when one happens (the detector works)', async () => {
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    });
    await page.waitForFunction(() => (window as unknown as { __csp: unknown[] }).__csp.length > 0);
    await page.waitForTimeout(200); // the console message may trail the event
    const r = await report();
    expect(r.events[0].directive).toMatch(/^script-src/);
    expect(r.console.join('\n')).toMatch(/Content Security Policy/);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  });

  it('has no CSP violation on any page of the dashboard', async () => {
    const nav = await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(nav).toEqual(expect.arrayContaining(['#/', '#/usage', '#/sessions', '#/tools', '#/budgets']));
    const pages = [...new Set([...nav, `#/sessions/${sessionIds[0]}`])];
    const seen: Record<string, CspReport> = {};
    for (const hash of pages) {
      // A full load per page: its first render and its live subscriptions, not only a hash change.
      await page.goto('about:blank');
      await page.goto(`${stack.apiUrl}/${hash}`);
      await page.waitForSelector('body[data-ready=true]');
      await page.waitForFunction(() => !!document.querySelector('#main section, #main .panel'), undefined, { timeout: 30_000 });
      await page.waitForTimeout(750); // charts, tables and the banner render after their queries
      seen[hash] = await report();
    }
    expect(await page.isVisible('[data-testid=budget-banner]')).toBe(true);
    for (const [hash, r] of Object.entries(seen)) expect({ hash, ...r }).toEqual({ hash, events: [], console: [] });
  });
});
