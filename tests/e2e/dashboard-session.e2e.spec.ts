/**
 * One session's page in chromium over the whole stack (see support/dashboard.ts): its numbers
 * equal the API and the oracle; every number has one definition, the same in the header and the
 * summary text (tool calls without subagent dispatches, active time over the span); unpriced cost
 * is marked; a subagent worktree shows as a detail of its parent project; a session the caller
 * may not see says so instead of showing empty cards; both widths without sideways scrolling and
 * without serious axe-core violations.
 */
import { assertPage, browserSuite, LONG_PROJECT, open, oracleTotal, startDashboard, WIDTHS, type Dashboard } from './support/dashboard';

jest.setTimeout(240_000);

const STATS = '[data-testid=stat-tokens] dd[data-value]';

browserSuite('the session page')('the session page in chromium over the real stack', () => {
  let d: Dashboard;
  let heaviest: string;
  beforeAll(async () => {
    d = await startDashboard();
    [heaviest] = Object.entries(d.oracle).sort((a, b) => oracleTotal(b[1]) - oracleTotal(a[1]))[0];
  });
  afterAll(async () => {
    await d?.teardown();
  });

  it('opens from the list and shows the API\'s and the oracle\'s numbers, with a timeline', async () => {
    const page = await d.page(1400);
    await open(page, d.base, '#/sessions', `[data-testid=sessions-table] tr[data-id="${heaviest}"]`);
    await page.click(`[data-testid=sessions-table] tr[data-id="${heaviest}"] a`);
    await page.waitForSelector(STATS);
    type Api = { totalTokens: number; timeline: unknown[]; summaryText: string; efficiency: { linesAdded: number; linesRemoved: number; changes: number } };
    const api = (await d.gql<{ session: Api }>('query($id: ID!) { session(id: $id) { totalTokens timeline { at } summaryText efficiency { linesAdded linesRemoved changes } } }', { id: heaviest })).session;
    expect(await page.getAttribute('[data-testid=stat-tokens] dd', 'data-value')).toBe(String(api.totalTokens));
    expect(api.totalTokens).toBe(oracleTotal(d.oracle[heaviest]));
    expect(await page.textContent('[data-testid=stat-prompts] dd')).toBe(String(d.oracle[heaviest].prompts));
    expect(await page.getAttribute('[data-testid=timeline]', 'data-points')).toBe(String(api.timeline.length));
    expect(await page.$('[data-testid=timeline] canvas')).not.toBeNull();
    expect(await page.textContent('[data-testid=summary-text]')).toBe(api.summaryText);
    // The changed lines are the outcome metrics' lines added + removed, as on the Team page.
    const { linesAdded, linesRemoved, changes } = api.efficiency;
    expect(changes).toBe(linesAdded + linesRemoved);
    expect(await page.textContent('[data-testid=stat-edits] dd')).toContain(`+${linesAdded.toLocaleString('en-US')} −${linesRemoved.toLocaleString('en-US')} lines`);

    // The timeline's legend shows the hovered bucket's time and values, and hides them otherwise.
    const valuesShown = () => page.$$eval('[data-testid=timeline] .u-legend .u-value', (els) => els.map((e) => getComputedStyle(e).visibility === 'visible' && e.textContent));
    expect((await valuesShown()).every((v) => v === false)).toBe(true);
    const b = (await (await page.$('[data-testid=timeline] .u-over'))!.boundingBox())!;
    for (let x = 0.3; x <= 0.9; x += 0.2) await page.mouse.move(b.x + b.width * x, b.y + b.height / 2, { steps: 3 });
    await page.waitForSelector('[data-testid=timeline][data-hover]');
    const shown = await valuesShown();
    expect(shown[0]).toMatch(/^\d{1,2} [A-Z][a-z]{2,3} \d{2}:\d{2}$/);
    expect(shown.every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
  });

  it('gives each number one definition: header and summary agree on tool calls and durations, stated in the help text', async () => {
    const page = await d.page(1400);
    await open(page, d.base, `#/sessions/${d.extras.resumed}`, STATS);
    const text = async (sel: string) => (await page.textContent(sel))!.trim();
    const summary = await text('[data-testid=summary-text]');
    const toolCalls = await text('[data-testid=stat-tool-calls] dd');
    // One Bash call; the Task dispatch is counted on its own, in both places.
    expect(toolCalls).toBe('1');
    expect(summary).toContain(`${toolCalls} tool calls`);
    expect(summary).toContain('1 subagent dispatches');
    const active = await text('[data-testid=stat-active] dd');
    const span = await text('[data-testid=stat-span] dd');
    // Resumed after 120 days: days in the span, the same text in both places.
    expect(span).toMatch(/^1[12]\dd( \d+h)?$/);
    expect(summary).toContain(`${active} active over a ${span} span`);
    await page.click('[data-testid=definitions] summary');
    expect(await text('[data-testid=definitions]')).toMatch(/without subagent dispatches/);
    expect(await text('[data-testid=definitions]')).toMatch(/Span is first to last line/);
  });

  it('marks the cost of a model without a price as unpriced, with how to add one', async () => {
    const page = await d.page(1400);
    await open(page, d.base, `#/sessions/${d.extras.unpriced}`, STATS);
    const cost = (await page.textContent('[data-testid=stat-cost] dd'))!;
    expect(cost).toContain('—');
    expect(cost).toContain('unpriced');
    expect(cost).not.toContain('$0.00');
    expect(await page.textContent('[data-testid=session-models] tbody tr td:last-child')).toContain('unpriced');
    expect(await page.textContent('[data-testid=unpriced-note]')).toMatch(/pricing table/);
  });

  it('shows a subagent worktree as a detail of its parent project', async () => {
    const page = await d.page(1400);
    await open(page, d.base, `#/sessions/${d.extras.worktree}`, STATS);
    expect(await page.getAttribute('#session-h + p .path', 'title')).toBe(LONG_PROJECT);
    expect(await page.textContent('[data-testid=worktree]')).toBe('subagent worktree agent-7f3a9c');
  });

  it('tells a member that another\'s session is not found or not theirs, without empty cards', async () => {
    const page = await d.page(1400, { token: d.memberToken });
    await open(page, d.base, `#/sessions/${heaviest}`, '[data-testid=session-missing]:not([hidden])');
    expect(await page.textContent('[data-testid=session-missing] h2')).toBe('Session not found or not yours');
    expect(await page.isVisible('[data-testid=session-stats]')).toBe(false);
    expect(await page.isVisible('[data-testid=timeline]')).toBe(false);
    expect(await page.isVisible('[data-testid=session-loading]')).toBe(false);
    await assertPage(page, 'session-missing');
  });

  for (const width of WIDTHS) {
    it(`fits ${width} px with no serious axe-core violation`, async () => {
      const page = await d.page(width);
      await open(page, d.base, `#/sessions/${heaviest}`, STATS);
      await page.waitForSelector('[data-testid=session-models] tbody tr');
      await assertPage(page, `session-${width}`);
    });
  }
});
