import { SESSION_QUERY, SESSION_SUBSCRIPTION, type SessionDetail } from '../api/queries';
import { store, type AppContext } from '../app.context';
import { formatCompact, formatDateTime, formatDuration, formatUsd } from '../core/format';
import { costProjectionText, progressText, timelineColumns } from '../core/session.shape';
import { TimelineChart } from '../ui/chart';
import { unpricedNote } from '../ui/cost';
import { csvRowsButton } from '../ui/csv-download';
import { h, paintScheduler, RenderMemo, setText } from '../ui/dom';
import { pathLabel } from '../ui/path';
import { definitions, efficiencyParts, missingPanel, MODEL_CSV, modelsTable, summaryStats, TOOL_CSV, toolsTable } from './session.sections';

const SESSION_BUDGET_KEY = 'ccpulse.sessionBudget';

/**
 * One session: its numbers, the token timeline, models, tools, efficiency, todo progress, cost
 * projection and summary — refreshed in place whenever the aggregator commits to it.
 */
export function sessionView(id: string) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => {
    let budgetUsd = Number(store.get(SESSION_BUDGET_KEY)) > 0 ? Number(store.get(SESSION_BUDGET_KEY)) : 10;
    let pending: SessionDetail | null = null;
    /** The session as last painted: what the tables' CSV buttons save. */
    let shown: SessionDetail | null = null;
    const memo = new RenderMemo();

    const title = h('h2', { id: 'session-h', tabindex: -1 }, 'Session');
    const meta = h('p', { class: 'muted' });
    const stats = h('dl', { class: 'stats', 'data-testid': 'session-stats' });
    const chartHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Token timeline', 'data-testid': 'timeline' });
    const chart = new TimelineChart(chartHost, formatCompact, formatUsd, ctx.timeZone);
    const bucketNote = h('p', { class: 'muted' });
    const models = h('div', { 'data-testid': 'session-models' });
    const tools = h('div', { 'data-testid': 'session-tools' });
    const efficiency = h('div', { 'data-testid': 'efficiency' });
    const progress = h('p', { 'data-testid': 'progress' });
    const costLine = h('p', { class: 'projection', 'data-testid': 'cost-projection' });
    const summary = h('p', { class: 'summary', 'data-testid': 'summary-text' });
    const budgetInput = h('input', { id: 'session-budget', type: 'number', min: '0.01', step: '0.5', value: String(budgetUsd), inputmode: 'decimal' });
    budgetInput.addEventListener('change', () => {
      const v = Number(budgetInput.value);
      if (Number.isFinite(v) && v > 0) {
        budgetUsd = v;
        store.set(SESSION_BUDGET_KEY, String(v));
        void load();
        listen();
      }
    });
    const notFound = missingPanel(id);
    const head = h('section', { class: 'panel', 'aria-labelledby': 'session-h' }, title, meta, stats, summary, definitions());
    const costNote = h('div');

    const details = h(
      'div',
      { class: 'session-details' },
      h('section', { class: 'panel', 'aria-labelledby': 'timeline-h' }, h('h2', { id: 'timeline-h' }, 'Token timeline'), bucketNote, chartHost),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'sm-h' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'sm-h' }, 'Models'), csvRowsButton('session-models', () => `session-${id}-models`, MODEL_CSV, () => shown?.models ?? [])),
        models,
        costNote,
      ),
      h(
        'div',
        { class: 'two' },
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 'st-h' },
          h('div', { class: 'panel-head' }, h('h2', { id: 'st-h' }, 'Tools'), csvRowsButton('session-tools', () => `session-${id}-tools`, TOOL_CSV, () => shown?.tools ?? [])),
          tools,
        ),
        h('section', { class: 'panel', 'aria-labelledby': 'eff-h' }, h('h2', { id: 'eff-h' }, 'Efficiency'), efficiency),
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 'proj-h' },
          h('h2', { id: 'proj-h' }, 'Progress and cost'),
          progress,
          h('div', { class: 'controls' }, h('label', { for: 'session-budget' }, 'Session budget (USD)'), budgetInput),
          costLine,
        ),
      ),
    );
    // Nothing but the "not found" panel until the session is known: no shell of empty cards.
    head.hidden = true;
    details.hidden = true;
    const loading = h('p', { class: 'muted', role: 'status', 'data-testid': 'session-loading' }, 'Loading the session…');
    root.replaceChildren(h('p', null, h('a', { href: '#/sessions' }, '← Sessions')), loading, notFound, head, details);

    function paint(): void {
      const s = pending;
      pending = null;
      if (!s) return;
      shown = s;
      const { timeline, models: modelRows, tools: toolRows, efficiency: eff, progress: prog, costProjection, summaryText, timelineBucketSeconds, ...summaryFields } = s;
      if (memo.changed('summary', summaryFields)) paintSummary(s);
      if (memo.changed('timeline', [timeline, timelineBucketSeconds])) paintTimeline(s);
      if (memo.changed('models', modelRows)) paintModels(s);
      if (memo.changed('tools', toolRows)) paintTools(s);
      if (memo.changed('efficiency', eff)) paintEfficiency(s);
      if (memo.changed('progress', [prog, costProjection, summaryText])) paintProgress(s);
    }

    function paintSummary(s: SessionDetail): void {
      setText(title, `Session ${s.id}`);
      const parts: (string | Node)[] = [s.user, pathLabel(s.project, 60)];
      if (s.worktree) parts.push(h('span', { 'data-testid': 'worktree' }, `subagent worktree ${s.worktree}`));
      if (s.gitBranch) parts.push(`branch ${s.gitBranch}`);
      if (s.startedAt) parts.push(`${formatDateTime(s.startedAt, ctx.timeZone)} – ${formatDateTime(s.endedAt, ctx.timeZone)}`);
      meta.replaceChildren(...parts.flatMap((p, i) => (i ? [' · ', p] : [p])));
      stats.replaceChildren(...summaryStats(s));
      stats.querySelector('[data-testid=stat-tokens] dd')?.setAttribute('data-value', String(s.totalTokens));
    }

    function paintTimeline(s: SessionDetail): void {
      const cols = timelineColumns(s.timeline);
      chart.update(cols);
      chartHost.setAttribute('data-points', String(cols.xs.length));
      chartHost.setAttribute('aria-label', `Token timeline in ${formatDuration(s.timelineBucketSeconds)} buckets: ${cols.xs.length} buckets, ${formatUsd(cols.cumulativeCost.at(-1) ?? 0)} in total`);
      setText(bucketNote, `Tokens per ${formatDuration(s.timelineBucketSeconds)} bucket, and the cost so far.`);
    }

    function paintModels(s: SessionDetail): void {
      models.replaceChildren(modelsTable(s));
      costNote.replaceChildren(unpricedNote([s]) ?? '');
    }

    function paintTools(s: SessionDetail): void {
      tools.replaceChildren(toolsTable(s));
    }

    function paintEfficiency(s: SessionDetail): void {
      efficiency.replaceChildren(...efficiencyParts(s.efficiency));
    }

    function paintProgress(s: SessionDetail): void {
      setText(progress, s.progress ? progressText(s.progress, ctx.now(), ctx.timeZone) : 'No todo list in this session.');
      setText(costLine, costProjectionText(s.costProjection, ctx.timeZone));
      costLine.classList.toggle('warn', s.costProjection.overBudget);
      setText(summary, s.summaryText);
    }

    // A session page rebuilds tables and a chart: at most four paints a second, newest data wins.
    const painter = paintScheduler(paint, 250);
    function show(s: SessionDetail): void {
      pending = s;
      painter.request();
    }

    async function load(): Promise<void> {
      try {
        const d = await ctx.client.query<{ session: SessionDetail | null }>(SESSION_QUERY, { id, budgetUsd });
        loading.hidden = true;
        notFound.hidden = d.session !== null;
        head.hidden = details.hidden = d.session === null;
        if (d.session) show(d.session);
      } catch (err) {
        loading.hidden = true;
        ctx.fail(err);
      }
    }

    let close = (): void => undefined;
    function listen(): void {
      close();
      close = ctx.subscribe<{ sessionUpdated: SessionDetail }>(SESSION_SUBSCRIPTION, { id, budgetUsd }, (d) => {
        loading.hidden = notFound.hidden = true;
        head.hidden = details.hidden = false;
        show(d.sessionUpdated);
      });
    }

    void load();
    listen();
    return () => {
      close();
      chart.destroy();
      painter.cancel();
    };
  };
}
