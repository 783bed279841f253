/**
 * The home page in chromium over the whole stack (see support/dashboard.ts): the cards equal the
 * API, the window toggle lives in the URL and works by keyboard, the list shows the recently
 * active sessions (a session resumed today first) with long paths shortened in the middle and
 * unpriced cost marked, an admin sees the budgets' spend (or a link to set one), and the page
 * fits both widths with no serious axe-core violation.
 */
import { assertPage, browserSuite, LONG_PROJECT, open, startDashboard, WIDTHS, type Dashboard } from './support/dashboard';

jest.setTimeout(240_000);

browserSuite('the home page')('the home page in chromium over the real stack', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  });
  afterAll(async () => {
    await d?.teardown();
  });

  const homeStats = (window: 'H24' | 'D7') =>
    d.gql<{ homeStats: { sessions: number; prompts: number; tokens: number | string; projects: number } }>('query($w: HomeWindow!) { homeStats(window: $w) { sessions prompts tokens projects } }', { w: window }).then((r) => r.homeStats);

  it('shows the API\'s numbers, keeps the window in the URL and toggles it by keyboard', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/', '[data-testid=card-tokens] .card-value[data-value]');
    const cards = () => page.$$eval('[data-testid^=card-] .card-value', (els) => Object.fromEntries(els.map((e) => [e.closest('[data-testid]')!.getAttribute('data-testid'), e.getAttribute('data-value')])));
    const api24 = await homeStats('H24');
    expect(await cards()).toMatchObject({ 'card-sessions': String(api24.sessions), 'card-prompts': String(api24.prompts), 'card-tokens': String(api24.tokens), 'card-projects': String(api24.projects) });
    await page.click('[data-testid=window-toggle] button[data-value=D7]');
    await page.waitForSelector('[data-testid=status-frame][data-window=D7]');
    expect(new URL(page.url()).hash).toBe('#/?window=D7');
    const api7 = await homeStats('D7');
    expect(await cards()).toMatchObject({ 'card-sessions': String(api7.sessions), 'card-tokens': String(api7.tokens) });
    // A shared link opens on the same window.
    await page.reload();
    await page.waitForSelector('[data-testid=status-frame][data-window=D7]');
    expect(await page.getAttribute('[data-testid=window-toggle] button[data-value=D7]', 'aria-pressed')).toBe('true');
    // The first Tab offers the skip link, shown when focused.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    expect(await page.isVisible('a.skip')).toBe(true);
    // Back by keyboard: plain buttons, reached with Tab, pressed with Enter, with a visible focus ring.
    await page.focus('[data-testid=window-toggle] button[data-value=D7]');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-value'))).toBe('H24');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=status-frame][data-window=H24]');
    expect(new URL(page.url()).hash).toBe('#/');
  });

  it('counts a subagent worktree as its parent project', async () => {
    // The extras touch three projects in the last 24 hours: the long one (with its worktree), lab and legacy.
    const recentFixtures = Object.values(d.oracle).filter((s) => Date.parse(s.started_at) > Date.now() - 86_400_000).length;
    if (recentFixtures === 0) expect((await homeStats('H24')).projects).toBe(3);
    const p = await d.gql<{ sessions: { nodes: { id: string; project: string; worktree: string | null }[] } }>('query($p: String!) { sessions(filter: { project: $p }) { nodes { id project worktree } } }', { p: LONG_PROJECT });
    expect(p.sessions.nodes.map((n) => n.id).sort()).toEqual([d.extras.parent, d.extras.worktree].sort());
    expect(p.sessions.nodes.find((n) => n.id === d.extras.worktree)?.worktree).toBe('agent-7f3a9c');
  });

  it('lists the recently active sessions: a resumed one first, long paths shortened with the full path on hover, unpriced cost marked', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/', '[data-testid=recent-sessions] tbody tr[data-id]');
    expect(await page.textContent('#recent-h')).toBe('Recently active sessions');
    const shown = await page.$$eval('[data-testid=recent-sessions] tbody tr[data-id]', (trs) => trs.map((tr) => tr.getAttribute('data-id')));
    const api = (await d.gql<{ sessions: { nodes: { id: string }[] } }>('{ sessions(first: 5) { nodes { id } } }')).sessions.nodes.map((n) => n.id);
    expect(shown).toEqual(api);
    expect(shown[0]).toBe(d.extras.resumed);

    const path = await page.$eval(`[data-testid=recent-sessions] tr[data-id="${d.extras.parent}"] .path`, (el) => ({ title: el.getAttribute('title'), shown: el.querySelector('[aria-hidden]')?.textContent ?? el.textContent }));
    expect(path.title).toBe(LONG_PROJECT);
    expect(path.shown!.length).toBeLessThanOrEqual(36);
    expect(path.shown).toContain('…');
    expect(path.shown!.endsWith('checkout-service-backend-api')).toBe(true);

    const cost = await page.$eval(`[data-testid=recent-sessions] tr[data-id="${d.extras.unpriced}"] td:last-child`, (td) => ({ text: td.textContent, badge: td.querySelector('.badge-unpriced')?.getAttribute('title') }));
    expect(cost.text).toContain('—');
    expect(cost.text).toContain('unpriced');
    expect(cost.text).not.toContain('$0.00');
    expect(cost.badge).toMatch(/pricing table/);
    expect(await page.textContent('[data-testid=unpriced-note]')).toMatch(/To add one/);
  });

  it('shows an admin the budgets on Home: a link to the Budgets page while there is none, then each one\'s spend against its limit, most used first', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/', '[data-testid=home-budgets-empty]');
    expect(await page.getAttribute('[data-testid=home-budgets-empty] a', 'href')).toBe('#/budgets');
    const set = (input: Record<string, unknown>) => d.gql('mutation($i: SetBudgetInput!) { setBudget(input: $i) { id } }', { i: input });
    await set({ scope: 'TEAM', period: 'MONTH', limitUsd: 500 });
    await set({ scope: 'USER', subject: d.user, period: 'WEEK', limitUsd: 0.05 });
    await page.reload();
    await page.waitForSelector('[data-testid=home-budgets] li[data-budget]');
    type Api = { scope: string; subject: string; period: string; spendUsd: number; limitUsd: number; ratio: number };
    const api = (await d.gql<{ budgets: Api[] }>('{ budgets { scope subject period spendUsd limitUsd ratio } }')).budgets;
    const shown = await page.$$eval('[data-testid=home-budgets] li[data-budget]', (lis) =>
      lis.map((li) => ({ key: li.getAttribute('data-budget'), spend: Number(li.getAttribute('data-spend')), limit: Number(li.getAttribute('data-limit')), ratio: li.getAttribute('data-ratio'), text: li.textContent ?? '' })),
    );
    const want = [...api].sort((a, b) => b.ratio - a.ratio);
    expect(shown.map(({ text: _t, ...rest }) => rest)).toEqual(want.map((b) => ({ key: `${b.scope}:${b.subject}:${b.period}`, spend: b.spendUsd, limit: b.limitUsd, ratio: b.ratio.toFixed(4) })));
    expect(shown.find((b) => b.key === 'TEAM::MONTH')!.text).toMatch(/^Team monthly.+ of \$500\.00\s+[\d.]+%$/);
    expect(await page.isVisible('[data-testid=home-budgets-empty]')).toBe(false);
  });

  for (const width of WIDTHS) {
    it(`fits ${width} px (the recent list whole at ${WIDTHS[0]} px) with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, '#/', '[data-testid=recent-sessions] tbody tr[data-id]');
      await page.waitForSelector('[data-testid=card-tokens] .card-value[data-value]');
      await assertPage(page, `home-${width}`, width === WIDTHS[0] ? ['recent-sessions'] : []);
    });
  }
});
