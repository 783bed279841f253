/** The Team page's leaderboard, totals and tool decisions, built from the page's data. */
import type { TeamPageData, TeamRow } from '../api/team.queries';
import { formatCompact, formatDay, formatDuration, formatInteger, formatPercent } from '../core/format';
import { decisionsByTool, sortTeam, type SortDirection, type TeamColumn } from '../core/team.shape';
import { costCell, unpricedNote } from '../ui/cost';
import { h, table, tableBox, type Child } from '../ui/dom';

export interface TeamSort {
  key: TeamColumn;
  dir: SortDirection;
}

interface Column {
  key: TeamColumn;
  label: string;
  numeric: boolean;
  cell: (r: TeamRow, unpriced: number) => Child;
}

const COLUMNS: Column[] = [
  { key: 'user', label: 'User', numeric: false, cell: (r) => r.user },
  { key: 'sessions', label: 'Sessions', numeric: true, cell: (r) => formatInteger(r.sessions) },
  { key: 'prompts', label: 'Prompts', numeric: true, cell: (r) => formatInteger(r.prompts) },
  { key: 'activeSeconds', label: 'Active', numeric: true, cell: (r) => formatDuration(r.activeSeconds) },
  { key: 'totalTokens', label: 'Tokens', numeric: true, cell: (r) => formatCompact(r.totalTokens) },
  { key: 'costUsd', label: 'Cost', numeric: true, cell: (r, unpriced) => costCell(r.costUsd, unpriced) },
  { key: 'linesAdded', label: 'Lines +', numeric: true, cell: (r) => formatInteger(r.linesAdded) },
  { key: 'linesRemoved', label: 'Lines −', numeric: true, cell: (r) => formatInteger(r.linesRemoved) },
  { key: 'commits', label: 'Commits', numeric: true, cell: (r) => formatInteger(r.commits) },
  { key: 'pullRequests', label: 'PRs', numeric: true, cell: (r) => formatInteger(r.pullRequests) },
  { key: 'editsAccepted', label: 'Accepted', numeric: true, cell: (r) => formatInteger(r.editsAccepted) },
  { key: 'editsRejected', label: 'Rejected', numeric: true, cell: (r) => formatInteger(r.editsRejected) },
  { key: 'acceptanceRate', label: 'Acceptance', numeric: true, cell: (r) => (r.acceptanceRate === null ? '–' : formatPercent(r.acceptanceRate)) },
];

/**
 * The leaderboard sorted by `sort`, with a sort button in each header; a click hands the next
 * sort to `onSort` (which paints again).
 */
export function leaderboard(rows: TeamRow[], unpriced: Map<string, number>, sort: TeamSort, caption: string, onSort: (next: TeamSort) => void): (HTMLElement | string)[] {
  const sorted = sortTeam(rows, sort.key, sort.dir);
  const head = COLUMNS.map((c) => {
    const active = sort.key === c.key;
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': c.key }, c.label, active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '');
    button.addEventListener('click', () => {
      onSort({ key: c.key, dir: active && sort.dir === 'desc' ? 'asc' : active ? 'desc' : c.numeric ? 'desc' : 'asc' });
    });
    return h('th', { scope: 'col', class: c.numeric ? 'num' : null, 'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : null }, button);
  });
  const body = sorted.length
    ? sorted.map((r) => h('tr', { 'data-user': r.user }, COLUMNS.map((c) => h('td', { class: c.numeric ? 'num' : null, 'data-col': c.key, 'data-value': String(r[c.key] ?? '') }, c.cell(r, unpriced.get(r.user) ?? 0)))))
    : [h('tr', null, h('td', { colspan: COLUMNS.length, class: 'empty' }, 'No activity in this range. Pick a longer range or another project or model above.'))];
  const tokens = [...unpriced.values()].reduce((a, n) => a + n, 0);
  return [
    tableBox(h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, h('table', null, h('caption', null, caption), h('thead', null, h('tr', null, head)), h('tbody', null, body)))),
    unpricedNote([{ unpricedTokens: tokens }]) ?? '',
  ];
}

function totalCard(id: string, label: string, value: Child, raw: string | number): HTMLElement {
  return h('li', { class: 'card', 'data-testid': `team-card-${id}` }, h('span', { class: 'card-label' }, label), h('span', { class: 'card-value', 'data-value': String(raw) }, value));
}

/** The team's totals (`t` from teamTotals) as cards. */
export function totalCards(t: TeamRow, activeUsers: number, unpricedTotal: number): HTMLElement[] {
  return [
    totalCard('users', 'Active users', formatInteger(activeUsers), activeUsers),
    totalCard('sessions', 'Sessions', formatInteger(t.sessions), t.sessions),
    totalCard('prompts', 'Prompts', formatInteger(t.prompts), t.prompts),
    totalCard('cost', 'Cost', costCell(t.costUsd, unpricedTotal), t.costUsd),
    totalCard('lines', 'Lines + / −', `${formatInteger(t.linesAdded)} / ${formatInteger(t.linesRemoved)}`, `${t.linesAdded}/${t.linesRemoved}`),
    totalCard('commits', 'Commits / PRs', `${formatInteger(t.commits)} / ${formatInteger(t.pullRequests)}`, `${t.commits}/${t.pullRequests}`),
    totalCard('acceptance', 'Acceptance rate', t.acceptanceRate === null ? '–' : formatPercent(t.acceptanceRate), t.acceptanceRate ?? ''),
  ];
}

/** Accepted and rejected uses per tool over the range. */
export function decisionsTable(toolDaily: TeamPageData['toolDaily'], from: string, to: string): HTMLElement {
  return table(
    `Accepted and rejected uses per tool, ${formatDay(from)} to ${formatDay(to)}`,
    [
      { label: 'Tool', cell: (r) => r.tool },
      { label: 'Accepted', numeric: true, cell: (r) => formatInteger(r.accepted) },
      { label: 'Rejected', numeric: true, cell: (r) => formatInteger(r.rejected) },
      { label: 'Acceptance', numeric: true, cell: (r) => (r.rate === null ? '–' : formatPercent(r.rate)) },
    ],
    decisionsByTool(toolDaily),
    { empty: 'No tool decisions in this range. Pick a longer range above.', rowAttrs: (r) => ({ 'data-tool': r.tool, 'data-accepted': r.accepted, 'data-rejected': r.rejected }) },
  );
}
