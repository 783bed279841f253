/** Home's status cards and its recent sessions table. */
import type { HomeStats, SessionsData, Window } from '../api/queries';
import { formatCompact, formatDateTime, formatInteger, formatRelative } from '../core/format';
import { routeHash } from '../core/route';
import { costCell } from '../ui/cost';
import type { CsvColumns } from '../ui/csv-download';
import { h, setAttr, setText, table } from '../ui/dom';
import { pathLabel } from '../ui/path';

const WINDOW_WORDS: Record<Window, string> = { H24: 'in the last 24 hours', D7: 'in the last 7 days' };

interface Card {
  root: HTMLElement;
  value: HTMLElement;
  hint: HTMLElement;
}

function card(id: string, label: string): Card {
  const value = h('span', { class: 'card-value' });
  const hint = h('span', { class: 'card-hint' });
  const root = h('li', { class: 'card', 'data-testid': `card-${id}` }, h('span', { class: 'card-label', id: `card-${id}-label` }, label), value, hint);
  value.setAttribute('aria-describedby', `card-${id}-label`);
  return { root, value, hint };
}

type StatusCards = ReturnType<typeof statusCards>;

/** The five status cards, empty until {@link paintCards}. */
export function statusCards() {
  return {
    lastSync: card('last-sync', 'Last sync'),
    sessions: card('sessions', 'Sessions'),
    prompts: card('prompts', 'Prompts'),
    tokens: card('tokens', 'Tokens'),
    projects: card('projects', 'Projects'),
  };
}

/** Writes `stats` into the cards, in place (times in `timeZone`, "ago" against `nowMs`). */
export function paintCards(cards: StatusCards, stats: HomeStats, nowMs: number, timeZone: string): void {
  const words = WINDOW_WORDS[stats.window];
  setText(cards.lastSync.value, formatRelative(stats.lastSyncAt, nowMs));
  setAttr(cards.lastSync.value, 'data-value', stats.lastSyncAt ?? '');
  setText(cards.lastSync.hint, stats.lastSyncAt ? formatDateTime(stats.lastSyncAt, timeZone) : 'nothing received yet');
  for (const [c, v] of [
    [cards.sessions, stats.sessions],
    [cards.prompts, stats.prompts],
    [cards.projects, stats.projects],
  ] as const) {
    setText(c.value, formatInteger(v));
    setAttr(c.value, 'data-value', String(v));
    setText(c.hint, words);
  }
  setText(cards.tokens.value, formatCompact(stats.tokens));
  setAttr(cards.tokens.value, 'data-value', String(stats.tokens));
  setAttr(cards.tokens.value, 'title', `${formatInteger(stats.tokens)} tokens`);
  setText(cards.tokens.hint, `${formatInteger(stats.tokens)} ${words}`);
}

type SessionRow = SessionsData['sessions']['edges'][number]['node'];

/**
 * The recent sessions as CSV: the sessions export's columns that the list has. The export serves
 * the sessions started in a range, not these five, so the browser writes them.
 */
export const RECENT_SESSIONS_CSV: CsvColumns<SessionRow> = [
  ['id', (s) => s.id],
  ['user', (s) => s.user],
  ['project', (s) => s.project],
  ['gitBranch', (s) => s.gitBranch],
  ['startedAt', (s) => s.startedAt],
  ['endedAt', (s) => s.endedAt],
  ['activeSeconds', (s) => s.activeSeconds],
  ['wallSeconds', (s) => s.wallSeconds],
  ['prompts', (s) => s.prompts],
  ['toolCalls', (s) => s.toolCalls],
  ['toolErrors', (s) => s.toolErrors],
  ['primaryModel', (s) => s.primaryModel],
  ['totalTokens', (s) => s.totalTokens],
  ['costUsd', (s) => s.costUsd],
];

export function recentSessionsTable(rows: SessionRow[], timeZone: string): HTMLElement {
  return table(
    'The five most recently active sessions',
    [
      { label: 'Last active', cell: (s) => h('a', { href: routeHash({ page: 'session', id: s.id }) }, formatDateTime(s.endedAt, timeZone)) },
      { label: 'Project', cell: (s) => pathLabel(s.project) },
      { label: 'Model', cell: (s) => s.primaryModel ?? '–' },
      { label: 'Tokens', numeric: true, cell: (s) => formatCompact(s.totalTokens) },
      { label: 'Cost', numeric: true, cell: (s) => costCell(s.costUsd, s.unpricedTokens) },
    ],
    rows,
    { empty: 'No sessions yet. Run `ccpulse ingest` on a machine with Claude Code transcripts; sessions appear here within seconds.', rowAttrs: (s) => ({ 'data-id': s.id }) },
  );
}
