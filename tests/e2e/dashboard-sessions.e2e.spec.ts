/**
 * The sessions list in chromium over the whole stack (see support/dashboard.ts): most recently
 * active first, equal to the API; filters, presets and custom days in the URL (so a view can be
 * shared and survives a reload); a subagent worktree listed under its parent project; both widths
 * without sideways scrolling of the page and without serious axe-core violations.
 */
import type { Page } from 'playwright-core';
import { assertPage, browserSuite, LONG_PROJECT, open, startDashboard, WIDTHS, type Dashboard } from './support/dashboard';

jest.setTimeout(240_000);

browserSuite('the sessions page')('the sessions page in chromium over the real stack', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await startDashboard();
  });
  afterAll(async () => {
    await d?.teardown();
  });

  const ROWS = '[data-testid=sessions-table] tbody tr[data-id]';
  const listed = (page: Page) => page.$$eval(ROWS, (trs) => trs.map((tr) => tr.getAttribute('data-id')));
  const apiIds = async (filter: Record<string, string> = {}, first = 50) =>
    (await d.gql<{ sessions: { nodes: { id: string }[] } }>('query($f: SessionFilter, $n: Int) { sessions(first: $n, filter: $f) { nodes { id } } }', { f: filter, n: first })).sessions.nodes.map((n) => n.id);
  const waitForRows = (page: Page, n: number) => page.waitForFunction(([sel, want]) => document.querySelectorAll(sel as string).length === want, [ROWS, n] as const);

  it('lists sessions most recently active first, exactly as the API: the one resumed today on top', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/sessions', ROWS);
    const shown = await listed(page);
    expect(shown).toEqual(await apiIds());
    expect(shown[0]).toBe(d.extras.resumed);
    // Its start is months back: a newest-start order would have buried it.
    const started = await page.textContent(`${ROWS}[data-id="${d.extras.resumed}"] td:nth-child(2)`);
    expect(started).not.toBe(await page.textContent(`${ROWS}[data-id="${d.extras.resumed}"] td:first-child`));
    expect(await page.textContent('[data-testid=sessions-table] caption')).toBe('Sessions, most recently active first');
  });

  it('keeps filters in the URL: the model filter, a preset and custom days survive a reload and match the API', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/sessions', ROWS);
    const model = 'claude-sonnet-4-20250514';
    await page.fill('#f-model', model);
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('model='));
    const filtered = await apiIds({ model });
    await waitForRows(page, filtered.length);
    expect(await listed(page)).toEqual(filtered);

    // A preset keeps the model and lands in the URL.
    await page.click('[data-testid=sessions-range] button[data-value="7"]');
    await page.waitForFunction(() => location.hash.includes('days=7'));
    expect(new URL(page.url()).hash).toBe(`#/sessions?model=${encodeURIComponent(model)}&days=7`);
    const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const week = await apiIds({ model, from });
    await waitForRows(page, week.length);
    expect(await listed(page)).toEqual(week);
    await page.reload();
    await page.waitForSelector(ROWS);
    expect(await page.getAttribute('[data-testid=sessions-range] button[data-value="7"]', 'aria-pressed')).toBe('true');
    expect(await page.inputValue('#f-model')).toBe(model);
    expect(await listed(page)).toEqual(week);

    // Custom days (in the picked zone, UTC here) replace the preset.
    const oldest = Object.values(d.oracle).map((s) => s.started_at.slice(0, 10)).sort()[0];
    await page.goto(`${d.base}/#/sessions?from=${oldest}&to=${oldest}`);
    const day = await apiIds({ from: `${oldest}T00:00:00Z`, to: `${oldest}T23:59:59.999Z` });
    expect(day.length).toBeGreaterThan(0);
    await waitForRows(page, day.length);
    expect(await listed(page)).toEqual(day);
    expect(await page.inputValue('#f-from')).toBe(oldest);
    expect(await page.$('[data-testid=sessions-range] button[aria-pressed=true]')).toBeNull();
  });

  it('lists a subagent worktree\'s session under its parent project, with the full path on hover', async () => {
    const page = await d.page(1400);
    await open(page, d.base, `#/sessions?project=${encodeURIComponent(LONG_PROJECT)}`, ROWS);
    await waitForRows(page, 2);
    expect((await listed(page)).sort()).toEqual([d.extras.parent, d.extras.worktree].sort());
    expect(await page.$$eval(`${ROWS} .path`, (els) => els.map((e) => e.getAttribute('title')))).toEqual([LONG_PROJECT, LONG_PROJECT]);
  });

  it('says what to do when nothing matches', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/sessions?model=no-such-model', '[data-testid=sessions-table] td.empty');
    expect(await page.textContent('[data-testid=sessions-table] td.empty')).toMatch(/Widen the range or press Clear/);
  });

  it('says what went wrong and what to do when the API refuses a filter', async () => {
    const page = await d.page(1400, { token: d.memberToken });
    await open(page, d.base, `#/sessions?user=${d.user}`, '[data-testid=error]:not([hidden])');
    expect(await page.textContent('[data-testid=error]')).toMatch(/Check the filters and the date range, or reload the page/);
    // A mistyped day in a shared link is dropped rather than failing the page.
    await page.goto(`${d.base}/#/sessions?from=2026-99-99`);
    await page.waitForSelector('[data-testid=sessions-table] td.empty, [data-testid=sessions-table] tbody tr');
    expect(await page.isVisible('[data-testid=error]')).toBe(false);
  });

  for (const width of WIDTHS) {
    it(`fits ${width} px with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, '#/sessions', ROWS);
      await assertPage(page, `sessions-${width}`);
    });
  }
});
