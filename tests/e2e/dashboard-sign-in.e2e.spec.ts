/**
 * Signing in, in chromium over the whole stack (see support/dashboard.ts): without a token the
 * form shows and nothing claims to be connecting; a wrong token is refused with a message; a new
 * member finishes onboarding and sees the API's numbers; with CCPULSE_AUTH=disabled no form shows.
 * The form fits both widths without serious axe-core violations.
 */
import { freePort } from '../support/free-port';
import { App, outputOf } from '../support/stack';
import { until } from '../support/until';
import { assertPage, browserSuite, startDashboard, WIDTHS, type Dashboard } from './support/dashboard';

jest.setTimeout(240_000);

browserSuite('the sign-in page')('signing in to the dashboard in chromium over the real stack', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  });
  afterAll(async () => {
    await d?.teardown();
  });

  it('shows the form without a token, and no "Connecting…" that never ends', async () => {
    const page = await d.page(1400, { token: null });
    await page.goto(`${d.base}/`);
    await page.waitForSelector('#token');
    await page.waitForTimeout(2000);
    expect(await page.isVisible('[data-testid=live]')).toBe(false);
    expect(await page.isVisible('text=Connecting…')).toBe(false);
    expect(await page.isVisible('[data-testid=tz]')).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
  });

  it('refuses a wrong token, then signs a new member in through onboarding to the API\'s numbers', async () => {
    const page = await d.page(1400, { token: null });
    await page.goto(`${d.base}/`);
    await page.waitForSelector('#token');
    await page.fill('#token', 'not-a-token');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).toMatch(/not accepted/);
    await page.fill('#token', d.memberToken);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('[data-testid=status-hidden]:not([hidden]) [data-testid=onboard]:not([hidden])');
    expect(await page.isVisible('[data-testid=card-sessions]')).toBe(false);
    await page.click('[data-testid=onboard]');
    await page.waitForSelector('[data-testid=card-sessions] .card-value[data-value]');
    expect(await page.textContent('[data-testid=who]')).toBe('mia');
    await page.waitForSelector('[data-testid=live][data-state=live]');
    const api = await d.gql<{ homeStats: { sessions: number } }>('{ homeStats(window: H24) { sessions } }', {}, d.memberToken);
    expect(await page.getAttribute('[data-testid=card-sessions] .card-value', 'data-value')).toBe(String(api.homeStats.sessions));
    // A member with no sessions is told how they get there.
    await page.waitForSelector('[data-testid=recent-sessions] td.empty');
    expect(await page.textContent('[data-testid=recent-sessions] td.empty')).toMatch(/ccpulse ingest/);
  });

  it('needs no sign-in when the API runs with CCPULSE_AUTH=disabled', async () => {
    const port = await freePort();
    const local = new App('api-local', ['api'], { ...d.stack.env, PORT: String(port), CCPULSE_AUTH: 'disabled' }).start();
    try {
      await until('the local-mode API to be ready', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined), 60_000, { explain: outputOf(local) });
      const page = await d.page(1400, { token: null });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('[data-testid=card-tokens] .card-value[data-value]');
      expect(await page.$('#token')).toBeNull();
      expect(await page.isVisible('text=Sign out')).toBe(false);
      const api = await d.gql<{ homeStats: { tokens: number } }>('{ homeStats(window: H24) { tokens } }');
      expect(await page.getAttribute('[data-testid=card-tokens] .card-value', 'data-value')).toBe(String(api.homeStats.tokens));
    } finally {
      await local.stop();
    }
  });

  for (const width of WIDTHS) {
    it(`fits ${width} px with no serious axe-core violation`, async () => {
      const page = await d.page(width, { token: null });
      await page.goto(`${d.base}/`);
      await page.waitForSelector('#token');
      await assertPage(page, `sign-in-${width}`);
    });
  }
});
