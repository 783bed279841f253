/**
 * The usage page in chromium over the whole stack (see support/dashboard.ts): per-model totals
 * equal the API; a model without a price shows "—" with an "unpriced" badge and how to add a price;
 * range, measure, stacking and time zone live in the URL; the zone defaults to the browser's; the
 * chart's legend shows the hovered bucket's values; both widths (and the dark scheme) without
 * sideways scrolling and without serious axe-core violations.
 */
import { assertAxe, assertPage, browserSuite, open, startDashboard, UNPRICED_MODEL, WIDTHS, type Dashboard } from './support/dashboard';

jest.setTimeout(240_000);

const MODEL_ROWS = '[data-testid=model-table] tbody tr[data-model]';

browserSuite('the usage page')('the usage page in chromium over the real stack', () => {
  let d: Dashboard;
  let from: string;
  const today = () => new Date().toISOString().slice(0, 10);
  beforeAll(async () => {
    d = await startDashboard();
    from = Object.values(d.oracle).map((s) => s.started_at.slice(0, 10)).sort()[0];
  });
  afterAll(async () => {
    await d?.teardown();
  });

  it('shows per-model totals over the fixture days equal to the API\'s, an unpriced model as — with a badge', async () => {
    const page = await d.page(1400);
    await open(page, d.base, `#/usage?from=${from}&to=${today()}`, MODEL_ROWS);
    const rows = (await d.gql<{ usage: { model: string; totalTokens: number; unpricedTokens: number }[] }>(
      'query($f: String!, $t: String!) { usage(from: $f, to: $t, timezone: "UTC", groupBy: [MODEL]) { model totalTokens unpricedTokens } }',
      { f: from, t: today() },
    )).usage;
    const shown = await page.$$eval(MODEL_ROWS, (trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-model'), tr.querySelector('[data-value]')?.getAttribute('data-value')])));
    expect(shown).toEqual(Object.fromEntries(rows.map((r) => [r.model, String(r.totalTokens)])));
    expect(rows.find((r) => r.model === UNPRICED_MODEL)).toMatchObject({ unpricedTokens: 5700, totalTokens: 5700 });
    const cost = (await page.textContent(`${MODEL_ROWS}[data-model="${UNPRICED_MODEL}"] td:last-child`))!;
    expect(cost).toContain('—');
    expect(cost).toContain('unpriced');
    expect(cost).not.toContain('$0.00');
    expect(await page.textContent('[data-testid=unpriced-note]')).toMatch(/To add one, put the model .* in the pricing table/);
    // The total is then a lower bound and says so.
    expect(await page.textContent('[data-testid=model-table] tfoot td:last-child')).toMatch(/^≥ \$[\d,.]+ unpriced$/);
    expect(await page.textContent('[data-testid=budget-text]')).toMatch(/budget of \$100\.00/);
  });

  it('keeps range, measure and stacking in the URL, and offers the same presets as every page', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/usage', MODEL_ROWS);
    expect(await page.$$eval('[data-testid=usage-range] button', (bs) => bs.map((b) => b.textContent))).toEqual(['7 days', '30 days', '90 days']);
    expect(await page.getAttribute('[data-testid=usage-range] button[data-value="30"]', 'aria-pressed')).toBe('true');
    await page.click('[data-testid=usage-range] button[data-value="90"]');
    await page.waitForFunction(() => location.hash === '#/usage?days=90');
    await page.waitForSelector('[data-testid=metric-toggle]');
    await page.click('[data-testid=metric-toggle] button[data-value=costUsd]');
    await page.click('[data-testid=by-toggle] button[data-value=project]');
    expect(new URL(page.url()).hash).toBe('#/usage?days=90&metric=cost&by=project');
    await page.reload();
    await page.waitForSelector('[data-testid=chart-note]:not(:empty)');
    expect(await page.getAttribute('[data-testid=usage-range] button[data-value="90"]', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('[data-testid=metric-toggle] button[data-value=costUsd]', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('[data-testid=by-toggle] button[data-value=project]', 'aria-pressed')).toBe('true');
    expect(await page.textContent('[data-testid=chart-note]')).toMatch(/^Cost \(USD\) per day, stacked by project, \d{1,2} [A-Z][a-z]{2,3} \d{4} to \d{1,2} [A-Z][a-z]{2,3} \d{4} \(days in UTC\)/);
    // A custom range from the form.
    await page.fill('#usage-from', from);
    await page.fill('#usage-to', today());
    await page.click('[data-testid=usage-custom] button[type=submit]');
    await page.waitForFunction((f) => location.hash.includes(`from=${f}`), from);
    expect(new URL(page.url()).hash).toBe(`#/usage?from=${from}&to=${today()}&metric=cost&by=project`);
  });

  it('shows dates in the browser\'s zone by default and in the picked one, kept in the URL', async () => {
    const page = await d.page(1400, { timeZone: 'Europe/Berlin' });
    await open(page, d.base, '#/usage', '[data-testid=chart-note]:not(:empty)');
    expect(await page.inputValue('[data-testid=tz]')).toBe('Europe/Berlin');
    expect(await page.textContent('[data-testid=chart-note]')).toContain('(days in Europe/Berlin)');
    await page.selectOption('[data-testid=tz]', 'Asia/Tokyo');
    await page.waitForFunction(() => location.hash.includes('tz=Asia%2FTokyo'));
    await page.waitForFunction(() => document.querySelector('[data-testid=chart-note]')?.textContent?.includes('(days in Asia/Tokyo)'));
    // Other pages keep it, and a shared link opens in it.
    await page.click('nav a[data-page=sessions]');
    await page.waitForFunction(() => location.hash.startsWith('#/sessions') && location.hash.includes('tz=Asia%2FTokyo'));
    const shared = await d.page(1400, { timeZone: 'America/New_York' });
    await open(shared, d.base, '#/usage?tz=Asia%2FTokyo', '[data-testid=chart-note]:not(:empty)');
    expect(await shared.inputValue('[data-testid=tz]')).toBe('Asia/Tokyo');
  });

  it('shows the hovered bucket\'s date and values in the legend, and only the labels otherwise', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/usage?days=7', '.legend li[data-series]');
    const values = () => page.$$eval('.legend li[data-series] .legend-value', (els) => els.map((e) => e.textContent));
    const before = await values();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((t) => t === '')).toBe(true);
    const b = (await (await page.$('.chart .u-over'))!.boundingBox())!;
    // Across the plot, as a pointer moves: uPlot follows mouse moves over its overlay.
    for (let x = 0.5; x <= 0.95; x += 0.15) await page.mouse.move(b.x + b.width * x, b.y + b.height / 2, { steps: 3 });
    await page.waitForSelector('[data-testid=legend-date]:not([hidden])');
    expect(await page.textContent('[data-testid=legend-date]')).toMatch(/^\d{1,2} [A-Z][a-z]{2,3}$/);
    expect((await values()).every((t) => /^[\d.,]+[kMBT]?$/.test(t!))).toBe(true);
    await page.mouse.move(b.x + b.width / 2, b.y - 150, { steps: 3 });
    await page.waitForSelector('[data-testid=legend-date][hidden]', { state: 'attached' });
    expect((await values()).every((t) => t === '')).toBe(true);
  });

  for (const width of WIDTHS) {
    it(`fits ${width} px with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, `#/usage?from=${from}&to=${today()}`, MODEL_ROWS);
      await assertPage(page, `usage-${width}`);
    });
  }

  it('fits the phone width stacked by project, long paths shortened in the legend', async () => {
    const page = await d.page(WIDTHS[1]);
    await open(page, d.base, '#/usage?days=7&by=project', '.legend li[data-series]');
    const long = await page.$$eval('.legend li[data-series]', (lis) => lis.map((li) => ({ title: li.getAttribute('title'), text: li.textContent })).filter((l) => l.title!.length > 40));
    expect(long.length).toBeGreaterThan(0);
    for (const l of long) expect(l.text!.length).toBeLessThanOrEqual(40);
    await assertPage(page, 'usage-by-project-390');
  });

  it('follows the dark colour scheme with AA contrast at the phone width', async () => {
    const page = await d.page(WIDTHS[1], { colorScheme: 'dark' });
    await open(page, d.base, `#/usage?from=${from}&to=${today()}`, MODEL_ROWS);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 18, 22)');
    await assertAxe(page, 'usage-dark');
  });
});
