/**
 * The Team page, the admin home's team panel, the Budgets page and the budget alert banner in
 * chromium over the whole stack (see support/dashboard.ts), under the checks every page gets:
 * the same range presets and custom range as the other pages, every filter and the time zone in
 * the URL, long project paths shortened with the full path on hover, an unpriced model's cost
 * marked rather than counted as $0.00, one date format; both widths without sideways scrolling
 * and without serious axe-core violations.
 */
import { assertPage, browserSuite, LONG_PROJECT, open, startDashboard, WIDTHS, type Dashboard } from './support/dashboard';
import { outputOf } from '../support/stack';
import { until } from '../support/until';

jest.setTimeout(240_000);

const TEAM_ROWS = '[data-testid=team-table] tbody tr[data-user]';
const BUDGET_ROWS = '[data-testid=budgets-table] tbody tr[data-budget]';
const DAY_TEXT = /\d{1,2} [A-Z][a-z]{2,3} \d{4} to \d{1,2} [A-Z][a-z]{2,3} \d{4}/;

browserSuite('the team and budgets pages')('the team and budgets pages in chromium over the real stack', () => {
  let d: Dashboard;
  let from: string;
  const today = () => new Date().toISOString().slice(0, 10);
  beforeAll(async () => {
    d = await startDashboard();
    from = Object.values(d.oracle).map((s) => s.started_at.slice(0, 10)).sort()[0];
    // Two budgets already crossed (so the banner shows), one of them on the long project path.
    await d.gql('mutation($p: String!) { a: setBudget(input: { scope: PROJECT, subject: $p, period: MONTH, limitUsd: 0.01 }) { id } b: setBudget(input: { scope: TEAM, period: DAY, limitUsd: 0.01, webhookUrl: "https://hooks.example.com/services/T0/B0/SECRET" }) { id } }', { p: LONG_PROJECT });
    await until('both budgets to have alerted', async () => {
      const { budgets } = await d.gql<{ budgets: { alerts: unknown[] }[] }>('{ budgets { alerts { threshold } } }');
      return budgets.length === 2 && budgets.every((b) => b.alerts.length > 0) ? true : undefined;
    }, 60_000, { explain: outputOf(d.stack.aggregator) });
  });
  afterAll(async () => {
    await d?.teardown();
  });

  it('offers the same presets and custom range as every page, and keeps range, filters and zone in the URL', async () => {
    const page = await d.page(1400, { timeZone: 'Europe/Berlin' });
    await open(page, d.base, '#/team', TEAM_ROWS);
    expect(await page.$$eval('[data-testid=team-range] button', (bs) => bs.map((b) => b.textContent))).toEqual(['7 days', '30 days', '90 days']);
    expect(await page.getAttribute('[data-testid=team-range] button[data-value="30"]', 'aria-pressed')).toBe('true');
    expect(await page.inputValue('[data-testid=tz]')).toBe('Europe/Berlin');
    await page.click('[data-testid=team-range] button[data-value="90"]');
    await page.waitForFunction(() => location.hash === '#/team?days=90');
    await page.waitForSelector(TEAM_ROWS);
    await page.selectOption('[data-testid=team-project]', LONG_PROJECT);
    await page.waitForFunction((p) => new URLSearchParams(location.hash.split('?')[1]).get('project') === p, LONG_PROJECT);
    await page.selectOption('[data-testid=tz]', 'Asia/Tokyo');
    await page.waitForFunction(() => location.hash.includes('tz=Asia%2FTokyo'));
    await page.reload();
    await page.waitForSelector(TEAM_ROWS);
    expect(await page.getAttribute('[data-testid=team-range] button[data-value="90"]', 'aria-pressed')).toBe('true');
    expect(await page.inputValue('[data-testid=team-project]')).toBe(LONG_PROJECT);
    expect(await page.inputValue('[data-testid=tz]')).toBe('Asia/Tokyo');
    // The long path is shortened in the list, the full path on hover.
    const option = await page.$eval(`[data-testid=team-project] option[value="${LONG_PROJECT}"]`, (o) => ({ text: o.textContent!, title: o.getAttribute('title') }));
    expect(option.title).toBe(LONG_PROJECT);
    expect(option.text.length).toBeLessThan(LONG_PROJECT.length);
    expect(option.text).toContain('…');
    // Only the parent's and its worktree's sessions: erin's row counts exactly those two.
    expect(await page.getAttribute(`${TEAM_ROWS}[data-user="${d.user}"] td[data-col=sessions]`, 'data-value')).toBe('2');
    // A custom range from the form, filters kept.
    await page.fill('#team-from', from);
    await page.fill('#team-to', today());
    await page.click('[data-testid=team-custom] button[type=submit]');
    await page.waitForFunction((f) => location.hash.includes(`from=${f}`), from);
    const q = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
    expect(Object.fromEntries(q)).toEqual({ from, to: today(), project: LONG_PROJECT, tz: 'Asia/Tokyo' });
    await page.waitForFunction(() => /\d{4} to \d/.test(document.querySelector('[data-testid=team-table] caption')?.textContent ?? ''));
    expect(await page.textContent('[data-testid=team-table] caption')).toMatch(DAY_TEXT);
  });

  it('marks the cost of a model without a price, on the Team page and the home panel', async () => {
    const page = await d.page(1400);
    await open(page, d.base, `#/team?from=${from}&to=${today()}`, TEAM_ROWS);
    const cost = (await page.textContent(`${TEAM_ROWS}[data-user="${d.user}"] td[data-col=costUsd]`))!;
    expect(cost).toMatch(/^≥ \$[\d,.]+ unpriced$/);
    expect(await page.textContent('[data-testid=unpriced-note]')).toMatch(/To add one, put the model .* in the pricing table/);
    await open(page, d.base, '#/', '[data-testid=home-team-top] tbody tr[data-user]');
    expect(await page.textContent(`[data-testid=home-team-top] tbody tr[data-user="${d.user}"] td:last-child`)).toMatch(/^≥ \$[\d,.]+ unpriced$/);
  });

  it('shows each budget with long paths shortened, and the banner, in the one date style', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/budgets', BUDGET_ROWS);
    await page.waitForSelector('[data-testid=budget-banner]:not([hidden])');
    const subject = await page.$eval(`[data-budget="PROJECT:${LONG_PROJECT}:MONTH"] .path`, (el) => ({ title: el.getAttribute('title'), shown: el.querySelector('[aria-hidden]')?.textContent ?? el.textContent! }));
    expect(subject.title).toBe(LONG_PROJECT);
    expect(subject.shown.length).toBeLessThan(LONG_PROJECT.length);
    expect(await page.textContent('[data-budget="TEAM::DAY"]')).toMatch(/\d{1,2} [A-Z][a-z]{2,3} \d{4}/);
    const banner = await page.$eval('[data-testid=budget-banner] .path', (el) => ({ title: el.getAttribute('title'), shown: el.querySelector('[aria-hidden]')?.textContent ?? '' }));
    expect(banner.title).toBe(LONG_PROJECT);
    expect(banner.shown).toContain('…');
  });

  for (const width of WIDTHS) {
    it(`fits the Team page at ${width} px with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, `#/team?from=${from}&to=${today()}`, TEAM_ROWS);
      await page.waitForSelector('[data-testid=team-decisions] tbody tr');
      await assertPage(page, `team-${width}`);
      await open(page, d.base, `#/team?days=7&project=${encodeURIComponent(LONG_PROJECT)}`, TEAM_ROWS);
      await assertPage(page, `team-project-${width}`);
    });

    it(`fits the admin home's team panel and the budget banner at ${width} px with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, '#/', '[data-testid=home-team-top] tbody tr[data-user]');
      await page.waitForSelector('[data-testid=budget-banner]:not([hidden])');
      await assertPage(page, `home-team-${width}`);
    });

    it(`fits the Budgets page at ${width} px, for an admin and a member, with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, '#/budgets', BUDGET_ROWS);
      await page.waitForSelector('[data-testid=budget-form]');
      await page.waitForSelector('[data-testid=budget-banner]:not([hidden])');
      await assertPage(page, `budgets-${width}`);
      const member = await d.page(width, { token: d.memberToken });
      await open(member, d.base, '#/budgets', BUDGET_ROWS);
      await assertPage(member, `budgets-member-${width}`);
    });
  }
});
