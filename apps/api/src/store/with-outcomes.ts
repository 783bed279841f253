import { countsOf, OUTCOME_FIELDS, zeroOutcomeTotals } from '@ccpulse/domain';
import type { OutcomeRowRecord, UsageDimension, UsageRowRecord, UsageTotal } from '@ccpulse/db';

const keyOf = (r: { day: string | null; week: string | null; month: string | null; model: string | null; user: string | null; project: string | null }) =>
  JSON.stringify([r.day, r.week, r.month, r.model, r.user, r.project]);

/**
 * Usage rows with the outcome sums of the same keys; a key with outcomes but no counted response
 * (all its uses made under a model whose lines are elsewhere) becomes a row with zero tokens.
 */
export function withOutcomes(rows: UsageRowRecord[], outcomes: OutcomeRowRecord[], totals: readonly UsageTotal[], dims: readonly UsageDimension[]) {
  const byKey = new Map(outcomes.map((o) => [keyOf(o), o]));
  const zero = zeroOutcomeTotals();
  const out = rows.map((r) => {
    const o = byKey.get(keyOf(r));
    byKey.delete(keyOf(r));
    return { ...zero, ...r, ...(o ? countsOf(OUTCOME_FIELDS, o) : {}) };
  });
  if (byKey.size === 0) return out;
  for (const o of byKey.values()) {
    const empty = Object.fromEntries(totals.map((t) => [t, 0]));
    out.push({ ...empty, day: o.day, week: o.week, month: o.month, model: o.model, user: o.user, project: o.project, ...countsOf(OUTCOME_FIELDS, o) });
  }
  // Same order as the usage query: by each grouping key in turn (nulls last, as PostgreSQL sorts).
  const col = { DAY: 'day', WEEK: 'week', MONTH: 'month', MODEL: 'model', USER: 'user', PROJECT: 'project' } as const;
  return out.sort((a, b) => {
    for (const d of dims) {
      const x = a[col[d]];
      const y = b[col[d]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}
