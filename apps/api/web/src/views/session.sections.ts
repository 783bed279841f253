/** The session page's sections, built from one `SessionDetail`: the page keeps the painting. */
import type { SessionDetail } from '../api/queries';
import { formatCompact, formatDuration, formatInteger, formatMillis, formatPercent, formatUsd } from '../core/format';
import { efficiencyHeadline } from '../core/session.shape';
import { costCell } from '../ui/cost';
import type { CsvColumns } from '../ui/csv-download';
import { h, table } from '../ui/dom';

function stat(label: string, value: string | Node, testId?: string): HTMLElement {
  return h('div', { class: 'stat', 'data-testid': testId }, h('dt', null, label), h('dd', null, value));
}

/** How each number on this page is counted: one definition, the same in the summary text. */
export function definitions(): HTMLElement {
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
      h('dd', null, 'All tokens divided by the changed lines: the lines added plus the lines removed by the successful edits (Edit, MultiEdit, Write, NotebookEdit), counted as on the Team page, so a file a Write created counts its lines. Shown only when some line changed; lower is better.'),
      h('dt', null, 'Todo estimate'),
      h('dd', null, 'The pace is todos done per ACTIVE hour since the todo list appeared; no estimate once the session has been idle for an hour.'),
      h('dt', null, 'Cost'),
      h('dd', null, 'Priced per response from the model price table. "—" with an "unpriced" badge means the model has no price; hover the badge for how to add one.'),
    ),
  );
}

/** Shown instead of the page when the session is unknown or another member's. */
export function missingPanel(id: string): HTMLElement {
  return h(
    'section',
    { class: 'panel', hidden: true, 'data-testid': 'session-missing', 'aria-labelledby': 'missing-h' },
    h('h2', { id: 'missing-h' }, 'Session not found or not yours'),
    h('p', null, `There is no session "${id}" that you may see: it may belong to another member, or the link may be mistyped. Find it in `, h('a', { href: '#/sessions' }, 'the sessions list'), '.'),
  );
}

/** The headline numbers of the session. */
export function summaryStats(s: SessionDetail): HTMLElement[] {
  return [
    stat('Tokens', formatInteger(s.totalTokens), 'stat-tokens'),
    stat('Cost', costCell(s.costUsd, s.unpricedTokens), 'stat-cost'),
    stat('Prompts', formatInteger(s.prompts), 'stat-prompts'),
    stat('Active', formatDuration(s.activeSeconds), 'stat-active'),
    stat('Span', formatDuration(s.wallSeconds), 'stat-span'),
    stat('Tool calls', formatInteger(s.toolCalls), 'stat-tool-calls'),
    stat('Tool errors', formatInteger(s.toolErrors)),
    stat('Subagents', formatInteger(s.subagentDispatches)),
    stat('Model', s.primaryModel ?? '–'),
  ];
}

/** The models table as CSV: raw counts, cost in USD (0 for a model without a price). */
export const MODEL_CSV: CsvColumns<SessionDetail['models'][number]> = [
  ['model', (m) => m.model],
  ['responses', (m) => m.messages],
  ['inputTokens', (m) => m.inputTokens],
  ['outputTokens', (m) => m.outputTokens],
  ['cacheReadTokens', (m) => m.cacheReadTokens],
  ['cacheCreationTokens', (m) => m.cacheCreationTokens],
  ['totalTokens', (m) => m.totalTokens],
  ['costUsd', (m) => m.costUsd],
];

export function modelsTable(s: SessionDetail): HTMLElement {
  return table(
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
  );
}

/** The tools table as CSV. */
export const TOOL_CSV: CsvColumns<SessionDetail['tools'][number]> = [
  ['tool', (t) => t.name],
  ['calls', (t) => t.calls],
  ['errors', (t) => t.errors],
  ['failureRate', (t) => t.failureRate],
  ['avgDurationMs', (t) => t.avgDurationMs],
];

export function toolsTable(s: SessionDetail): HTMLElement {
  return table(
    'Tool calls in this session',
    [
      { label: 'Tool', cell: (t) => t.name },
      { label: 'Calls', numeric: true, cell: (t) => formatInteger(t.calls) },
      { label: 'Avg duration', numeric: true, cell: (t) => formatMillis(t.avgDurationMs) },
      { label: 'Failure rate', numeric: true, cell: (t) => h('span', { class: t.errors ? 'warn' : null }, formatPercent(t.failureRate)) },
    ],
    s.tools,
    { empty: 'No tools used.', rowAttrs: (t) => ({ 'data-tool': t.name }) },
  );
}

/** The efficiency headline (tokens per changed line) and the ratios behind it. */
export function efficiencyParts(e: SessionDetail['efficiency']): HTMLElement[] {
  const noLines = e.successfulEdits > 0 && e.changes === 0;
  return [
    h(
      'p',
      { class: 'score' },
      h('span', { class: 'score-value', 'data-testid': 'efficiency-score' }, efficiencyHeadline(e)),
      h('span', { class: 'muted' }, noLines ? ' no changed lines were recorded for these edits, so there is no per-line figure' : ' tokens per changed line (lower is better)'),
    ),
    h(
      'dl',
      { class: 'stats' },
      stat('Successful edits', `${formatInteger(e.successfulEdits)} (+${formatInteger(e.linesAdded)} −${formatInteger(e.linesRemoved)} lines)`, 'stat-edits'),
      stat('Cache hit', formatPercent(e.cacheHitRatio)),
      stat('Tool errors', formatPercent(e.toolErrorRate)),
      stat('Active share', formatPercent(e.activeRatio)),
      stat('Output / prompt', e.outputTokensPerPrompt === null ? '–' : formatCompact(Math.round(e.outputTokensPerPrompt))),
      stat('Cost / prompt', formatUsd(e.costPerPromptUsd)),
      stat('Tokens / active min', e.tokensPerActiveMinute === null ? '–' : formatCompact(Math.round(e.tokensPerActiveMinute))),
    ),
  ];
}
