/**
 * The tools page in chromium over the whole stack (see support/dashboard.ts): tool calls, errors
 * and plugin invocations equal the API; the same range presets as the other pages, in the URL;
 * both widths without sideways scrolling and without serious axe-core violations.
 */
import { assertPage, browserSuite, open, startDashboard, WIDTHS, type Dashboard } from './support/dashboard';

jest.setTimeout(240_000);

const TOOL_ROWS = '[data-testid=tools-table] tbody tr[data-tool]';

browserSuite('the tools page')('the tools page in chromium over the real stack', () => {
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

  it('shows tool calls, errors and plugin invocations over the fixture days equal to the API\'s', async () => {
    const page = await d.page(1400);
    await open(page, d.base, `#/tools?from=${from}&to=${today()}`, TOOL_ROWS);
    const api = await d.gql<{ toolDaily: { tool: string; calls: number; errors: number }[]; pluginDaily: { kind: string; name: string; invocations: number }[] }>(
      'query($f: String!, $t: String!) { toolDaily(from: $f, to: $t) { tool calls errors } pluginDaily(from: $f, to: $t) { kind name invocations } }',
      { f: from, t: today() },
    );
    const tools: Record<string, string> = {};
    for (const r of api.toolDaily) {
      const [calls, errors] = (tools[r.tool] ?? '0/0').split('/').map(Number);
      tools[r.tool] = `${calls + r.calls}/${errors + r.errors}`;
    }
    const shownTools = await page.$$eval(TOOL_ROWS, (trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-tool'), `${tr.getAttribute('data-calls')}/${tr.getAttribute('data-errors')}`])));
    expect(Object.keys(shownTools).length).toBeGreaterThan(0);
    expect(shownTools).toEqual(tools);
    const plugins: Record<string, string> = {};
    for (const r of api.pluginDaily) plugins[`${r.kind}:${r.name}`] = String(Number(plugins[`${r.kind}:${r.name}`] ?? 0) + r.invocations);
    const shownPlugins = await page.$$eval('[data-testid=plugins-table] tbody tr[data-plugin]', (trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-plugin'), tr.getAttribute('data-invocations')])));
    expect(shownPlugins).toEqual(plugins);
  });

  it('offers the same presets as the usage page, kept in the URL', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/tools', '[data-testid=tools-range]');
    expect(await page.$$eval('[data-testid=tools-range] button', (bs) => bs.map((b) => b.textContent))).toEqual(['7 days', '30 days', '90 days']);
    await page.click('[data-testid=tools-range] button[data-value="90"]');
    await page.waitForFunction(() => location.hash === '#/tools?days=90');
    await page.reload();
    await page.waitForSelector('[data-testid=tools-range] button[data-value="90"][aria-pressed=true]');
    const from90 = await page.inputValue('#tools-from');
    expect(from90).toBe(new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10));
  });

  for (const width of WIDTHS) {
    it(`fits ${width} px with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, `#/tools?from=${from}&to=${today()}`, TOOL_ROWS);
      await assertPage(page, `tools-${width}`);
    });
  }
});
