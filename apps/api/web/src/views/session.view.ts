import { SESSION_QUERY, SESSION_SUBSCRIPTION, type SessionDetail } from '../api/queries';
import { store, type AppContext } from '../app.context';
import { formatCompact, formatDateTime, formatDuration, formatInteger, formatMillis, formatPercent, formatUsd } from '../core/format';
import { costProjectionText, efficiencyHeadline, progressText, timelineColumns } from '../core/session.shape';
import { TimelineChart } from '../ui/chart';
import { costCell, unpricedNote } from '../ui/cost';
import { h, paintScheduler, RenderMemo, setText, table } from '../ui/dom';
import { pathLabel } from '../ui/path';

const SESSION_BUDGET_KEY = 'ccpulse.sessionBudget';

function stat(label: string, value: string | Node, testId?: string): HTMLElement {
  return h('div', { class: 'stat', 'data-testid': testId }, h('dt', null, label), h('dd', null, value));
}

/** How each number on this page is counted: one definition, the same in the summary text. */
function definitions(): HTMLElement {
  return h(
    'details',
    { class: 'help', 'data-testid': 'definitions' },
    h('summary', null, 'How these numbers are counted'),
    h(
      'dl',
      null,
      h('dt', null, 'Active / Span'),
      h('dd', null, 'Active is the time with activity: lines less than 10 minutes apart form one block, longer pauses are not counted. Span is first to last line, so a session resumed after weeks has a long span but a short active time. Both read the same everywhere (2d 4h from 48 hours on).'),
      h('dt', null, 'Tool calls'),
      h('dd', null, 'Every tool_use of the session (Skill included), without subagent dispatches (Task/Agent) and MCP calls, which are counted on their own.'),
      h('dt', null, 'Tokens per changed line'),
      h('dd', null, 'All tokens divided by the lines the successful edits changed (each edit at least 1). Shown only when line counts were recorded; lower is better.'),
      h('dt', null, 'Todo estimate'),
      h('dd', null, 'The pace is todos done per ACTIVE hour since the todo list appeared; no estimate once the session has been idle for an hour.'),
      h('dt', null, 'Cost'),
      h('dd', null, 'Priced per response from the model price table. "—" with an "unpriced" badge means the model has no price; hover the badge for how to add one.'),
    ),
  );
}

/**
 * One session: its numbers, the token timeline, models, tools, efficiency, todo progress, cost
 * projection and summary — refreshed in place whenever the aggregator commits to it.
 */
export function sessionView(id: string) {
  return (ctx: AppContext, root: HTMLElement): (() => void) => {
    let budgetUsd = Number(store.get(SESSION_BUDGET_KEY)) > 0 ? Number(store.get(SESSION_BUDGET_KEY)) : 10;
    let pending: SessionDetail | null = null;
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
    const notFound = h(
      'section',
      { class: 'panel', hidden: true, 'data-testid': 'session-missing', 'aria-labelledby': 'missing-h' },
      h('h2', { id: 'missing-h' }, 'Session not found or not yours'),
      h('p', null, `There is no session "${id}" that you may see: it may belong to another member, or the link may be mistyped. Find it in `, h('a', { href: '#/sessions' }, 'the sessions list'), '.'),
    );
    const head = h('section', { class: 'panel', 'aria-labelledby': 'session-h' }, title, meta, stats, summary, definitions());
    const costNote = h('div');

    const details = h(
      'div',
      { class: 'session-details' },
      h('section', { class: 'panel', 'aria-labelledby': 'timeline-h' }, h('h2', { id: 'timeline-h' }, 'Token timeline'), bucketNote, chartHost),
      h('section', { class: 'panel', 'aria-labelledby': 'sm-h' }, h('h2', { id: 'sm-h' }, 'Models'), models, costNote),
      h(
        'div',
        { class: 'two' },
        h('section', { class: 'panel', 'aria-labelledby': 'st-h' }, h('h2', { id: 'st-h' }, 'Tools'), tools),
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
      stats.replaceChildren(
        stat('Tokens', formatInteger(s.totalTokens), 'stat-tokens'),
        stat('Cost', costCell(s.costUsd, s.unpricedTokens), 'stat-cost'),
        stat('Prompts', formatInteger(s.prompts), 'stat-prompts'),
        stat('Active', formatDuration(s.activeSeconds), 'stat-active'),
        stat('Span', formatDuration(s.wallSeconds), 'stat-span'),
        stat('Tool calls', formatInteger(s.toolCalls), 'stat-tool-calls'),
        stat('Tool errors', formatInteger(s.toolErrors)),
        stat('Subagents', formatInteger(s.subagentDispatches)),
        stat('Model', s.primaryModel ?? '–'),
      );
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
      models.replaceChildren(
        table(
          'Tokens and cost per model in this session',
          [
            { label: 'Model', cell: (m) => m.model },
            { label: 'Responses', numeric: true, cell: (m) => formatInteger(m.messages) },
            { label: 'Input', numeric: true, cell: (m) => formatInteger(m.inputTokens) },
            { label: 'Output', numeric: true, cell: (m) => formatInteger(m.outputTokens) },
            { label: 'Cache read', numeric: true, cell: (m) => formatInteger(m.cacheReadTokens) },
            { label: 'Cache write', numeric: true, cell: (m) => formatInteger(m.cacheCreationTokens) },
            { label: 'Total', numeric: true, cell: (m) => h('span', { 'data-value': String(m.totalTokens) }, formatInteger(m.totalTokens)) },
            // A model's responses cost 0 only when it has no price (every price is positive).
            { label: 'Cost', numeric: true, cell: (m) => costCell(m.costUsd, m.costUsd === 0 ? m.totalTokens : 0) },
          ],
          s.models,
          { empty: 'No counted responses yet.' },
        ),
      );
      costNote.replaceChildren(unpricedNote([s]) ?? '');
    }

    function paintTools(s: SessionDetail): void {
      tools.replaceChildren(
        table(
          'Tool calls in this session',
          [
            { label: 'Tool', cell: (t) => t.name },
            { label: 'Calls', numeric: true, cell: (t) => formatInteger(t.calls) },
            { label: 'Avg duration', numeric: true, cell: (t) => formatMillis(t.avgDurationMs) },
            { label: 'Failure rate', numeric: true, cell: (t) => h('span', { class: t.errors ? 'warn' : null }, formatPercent(t.failureRate)) },
          ],
          s.tools,
          { empty: 'No tools used.', rowAttrs: (t) => ({ 'data-tool': t.name }) },
        ),
      );
    }

    function paintEfficiency(s: SessionDetail): void {
      const e = s.efficiency;
      const noLines = e.successfulEdits > 0 && e.patchLines === 0;
      efficiency.replaceChildren(
        h(
          'p',
          { class: 'score' },
          h('span', { class: 'score-value', 'data-testid': 'efficiency-score' }, efficiencyHeadline(e)),
          h('span', { class: 'muted' }, noLines ? ' no changed lines were recorded for these edits, so there is no per-line figure' : ' tokens per changed line (lower is better)'),
        ),
        h(
          'dl',
          { class: 'stats' },
          stat('Successful edits', `${formatInteger(e.successfulEdits)} (${formatInteger(e.patchLines)} lines)`),
          stat('Cache hit', formatPercent(e.cacheHitRatio)),
          stat('Tool errors', formatPercent(e.toolErrorRate)),
          stat('Active share', formatPercent(e.activeRatio)),
          stat('Output / prompt', e.outputTokensPerPrompt === null ? '–' : formatCompact(Math.round(e.outputTokensPerPrompt))),
          stat('Cost / prompt', formatUsd(e.costPerPromptUsd)),
          stat('Tokens / active min', e.tokensPerActiveMinute === null ? '–' : formatCompact(Math.round(e.tokensPerActiveMinute))),
        ),
      );
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
