/**
 * Budgets in the browser over the real stack: an admin adds a budget on the Budgets page; a new
 * transcript line pushes it over a threshold, and without a reload the alert banner appears,
 * the table shows the API's ratio, and the webhook (a test server on loopback, allowed by
 * CCPULSE_WEBHOOK_ALLOW) receives exactly one Slack-style POST; a member sees the budget without
 * the form and with the webhook cut to scheme and host; the admin deletes it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { graphqlClient, type GraphqlClient } from './support/graphql';
import { writeSmallTranscripts } from './support/small-transcript';
import { ccpulse, createStack, outputOf, tokenIn, type Stack } from '../support/stack';
import { browserSuite, launchChromium } from './support/dashboard';
import { until } from '../support/until';

const suite = browserSuite('the budgets browser test');

jest.setTimeout(240_000);

suite('budgets in the dashboard (chromium, real stack)', () => {
  let stack: Stack;
  let browser: Browser;
  let api: GraphqlClient;
  let adminToken: string;
  let memberToken: string;
  let hook: http.Server;
  let hookUrl: string;
  const posts: any[] = [];

  async function signIn(token: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${stack.apiUrl}/#/budgets`);
    await page.waitForSelector('#token');
    await page.fill('#token', token);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('body[data-ready=true]');
    await page.waitForSelector('[data-testid=budgets-table] table');
    return page;
  }

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/T0/SECRET`;

    stack = await createStack((projects) => void writeSmallTranscripts(projects, { sessions: 1 }));
    stack.env.CCPULSE_WEBHOOK_ALLOW = 'loopback';
    const admin = await ccpulse(['user', 'add', 'erin', '--admin'], stack.env);
    const member = await ccpulse(['user', 'add', 'mia'], stack.env);
    adminToken = tokenIn(admin.stdout);
    memberToken = tokenIn(member.stdout);
    stack.aggregator.start();
    stack.api.start();
    await until('the API', async () => ((await fetch(`${stack.apiUrl}/readyz`)).ok ? true : undefined), 60_000, { explain: outputOf(stack.api, stack.aggregator) });
    expect((await ccpulse(['ingest', '--once', '--dir', stack.configDir], stack.env)).code).toBe(0);
    api = graphqlClient(stack.apiUrl, adminToken);
    await until('the session in the API', async () => ((await api.query('{ sessions(first: 10) { edges { cursor } } }')).sessions.edges.length === 1 ? true : undefined), 60_000, { explain: outputOf(stack.api, stack.aggregator) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.teardown();
    hook?.closeAllConnections();
    await new Promise((r) => hook?.close(r));
  });

  it('an admin adds a budget; a fresh line crosses it: banner, table and one webhook, live', async () => {
    const page = await signIn(adminToken);
    const day = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 10);
    const usage = await api.query('query($f: String!, $t: String!) { usage(from: $f, to: $t, groupBy: []) { costUsd } }', { f: day(-86_400_000), t: day(86_400_000) });
    const spend = usage.usage[0].costUsd as number;
    expect(spend).toBeGreaterThan(0);
    await page.selectOption('#budget-scope', 'USER');
    await page.fill('#budget-subject', 'erin');
    await page.selectOption('#budget-period', 'MONTH');
    await page.fill('#budget-limit', (spend * 1.6).toFixed(2)); // one session ≈ 62 %: crosses only 50
    await page.fill('#budget-thresholds', '50, 100');
    await page.fill('#budget-webhook', hookUrl);
    await page.click('[data-testid=budget-form] button[type=submit]');
    await page.waitForSelector('[data-budget="USER:erin:MONTH"]');
    await until('the 50 % webhook', async () => (posts.length === 1 ? true : undefined), 30_000, { explain: outputOf(stack.aggregator) });
    await page.waitForSelector('[data-testid=budget-banner]:not([hidden])');

    writeSmallTranscripts(path.join(stack.configDir, 'projects'), { sessions: 1 }); // a second session: ≈ 125 %
    expect((await ccpulse(['ingest', '--once', '--dir', stack.configDir], stack.env)).code).toBe(0);
    await until('the 100 % webhook', async () => (posts.length >= 2 ? true : undefined), 60_000, { explain: outputOf(stack.aggregator) });
    const [budget] = (await api.query('{ budgets { id ratio webhookUrl alerts { threshold } } }')).budgets;
    expect(budget.alerts.map((a: { threshold: number }) => a.threshold)).toEqual([0.5, 1]);
    await page.waitForSelector(`[data-budget="USER:erin:MONTH"][data-ratio="${budget.ratio.toFixed(4)}"]`, { timeout: 30_000 });
    await page.waitForFunction(() => /erin is over its monthly budget/.test(document.querySelector('[data-testid=budget-banner]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(posts.map((p) => p.threshold)).toEqual([0.5, 1]);
    expect(posts[1].text).toMatch(/^ccpulse: User erin is over its monthly budget: \$/);
    expect(budget.webhookUrl).toBe(hookUrl);
    await page.close();
  });

  it('a member sees the budget without the form and with the webhook cut to scheme and host', async () => {
    const page = await signIn(memberToken);
    expect(await page.isVisible('[data-testid=budget-form]')).toBe(false);
    expect(await page.$('[data-budget="USER:erin:MONTH"]')).toBeNull(); // another user's budget: not shown to a member
    await api.query(`mutation($u: String) { setBudget(input: { scope: TEAM, period: MONTH, limitUsd: 1000, webhookUrl: $u }) { id } }`, { u: hookUrl });
    await page.reload();
    await page.waitForSelector('[data-budget="TEAM::MONTH"]');
    const team = (await page.textContent('[data-budget="TEAM::MONTH"]')) ?? '';
    expect(team).toContain(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/…`);
    expect(team).not.toContain('SECRET');
    await page.close();
  });

  it('an admin deletes a budget from the page', async () => {
    const page = await signIn(adminToken);
    await page.click('[data-budget="TEAM::MONTH"] button');
    await page.waitForSelector('[data-budget="TEAM::MONTH"]', { state: 'detached' });
    expect((await api.query('{ budgets { scope } }')).budgets.map((b: { scope: string }) => b.scope)).toEqual(['USER']);
    await page.close();
  });

  it('a rejected token and the next sign-in leave one banner, with only what the new user may see', async () => {
    const page = await signIn(adminToken);
    await page.waitForFunction(() => /erin is over/.test(document.querySelector('[data-testid=budget-banner]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    // The token stops being accepted mid-session: the next query sends the page back to sign-in.
    await page.evaluate(() => localStorage.setItem('ccpulse.token', 'revoked'));
    await page.evaluate(() => (location.hash = '#/usage'));
    await page.waitForSelector('#token');
    await page.fill('#token', memberToken);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('[data-testid=who]:has-text("mia")');
    expect(await page.$$eval('[data-testid=budget-banner]', (els) => els.length)).toBe(1);
    expect(await page.textContent('[data-testid=budget-banner]')).not.toContain('erin');
    await page.close();
  });
});
