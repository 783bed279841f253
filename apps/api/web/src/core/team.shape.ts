import { addOutcomeTotals, zeroOutcomeTotals } from '@ccpulse/domain';
import type { TeamRow } from '../api/team.queries';
import { toNumber, type BigIntValue } from './format';

/** A sortable leaderboard column: the row field it shows. */
export type TeamColumn = Exclude<keyof TeamRow, 'acceptanceRate'> | 'acceptanceRate';
export type SortDirection = 'asc' | 'desc';

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : v === null || v === undefined ? -1 : Number(v));

/**
 * Rows sorted by a column: names alphabetically, numbers numerically (BigInt strings too; a
 * missing rate sorts below every rate), ties by user so the order is stable across updates.
 */
export function sortTeam(rows: readonly TeamRow[], column: TeamColumn, direction: SortDirection): TeamRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const c = column === 'user' ? a.user.localeCompare(b.user) : num(a[column]) - num(b[column]);
    return c !== 0 ? sign * c : a.user.localeCompare(b.user);
  });
}

/** Sums of the rows; the acceptance rate of the sums (not the mean of the rates). */
export function teamTotals(rows: readonly TeamRow[]): TeamRow {
  const t: TeamRow = { user: 'Total', sessions: 0, prompts: 0, activeSeconds: 0, totalTokens: 0, costUsd: 0, ...zeroOutcomeTotals(), acceptanceRate: null };
  let tokens = 0;
  for (const r of rows) {
    t.sessions += r.sessions;
    t.prompts += r.prompts;
    t.activeSeconds += r.activeSeconds;
    tokens += num(r.totalTokens);
    t.costUsd += r.costUsd;
    addOutcomeTotals(t, r);
  }
  t.totalTokens = tokens;
  t.acceptanceRate = acceptanceRate(t.editsAccepted, t.editsRejected);
  return t;
}

export function acceptanceRate(accepted: number, rejected: number): number | null {
  return accepted + rejected > 0 ? accepted / (accepted + rejected) : null;
}

/** Decisions per tool over the days, tools with any decision, most decided first. */
export function decisionsByTool(days: readonly { tool: string; accepted: number; rejected: number }[]): { tool: string; accepted: number; rejected: number; rate: number | null }[] {
  const sums = new Map<string, { accepted: number; rejected: number }>();
  for (const d of days) {
    const s = sums.get(d.tool) ?? { accepted: 0, rejected: 0 };
    s.accepted += d.accepted;
    s.rejected += d.rejected;
    sums.set(d.tool, s);
  }
  return [...sums.entries()]
    .filter(([, s]) => s.accepted + s.rejected > 0)
    .map(([tool, s]) => ({ tool, ...s, rate: acceptanceRate(s.accepted, s.rejected) }))
    .sort((a, b) => b.accepted + b.rejected - (a.accepted + a.rejected) || a.tool.localeCompare(b.tool));
}

/**
 * Tokens without a price per user, from usage rows by day, user and model (only `model`'s rows
 * when the page filters by one): the leaderboard marks those users' cost as a lower bound.
 */
export function unpricedByUser(rows: readonly { user: string; model: string; unpricedTokens: BigIntValue }[], model?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    if (model && r.model !== model) continue;
    const n = toNumber(r.unpricedTokens);
    if (n > 0) out.set(r.user, (out.get(r.user) ?? 0) + n);
  }
  return out;
}
