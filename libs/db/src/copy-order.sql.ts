import type { CopyKeyKind, CopyOrder } from '@ccpulse/domain';

/**
 * SQL forms of the domain's copy rules (USAGE_COPY_ORDER, ENTRY_COPY_ORDER, EVENT_COPY_ORDER), so
 * the upserts and the bulk load compare exactly as the report does: text in code-unit order
 * (`collate "C"`), a missing timestamp last (`'infinity'`), timestamps at PostgreSQL's microsecond
 * precision. `column` maps a rule's field to a SQL expression (a column of some alias).
 */

function keyExpr(kind: CopyKeyKind, expr: string): string {
  if (kind === 'timestamp') return `coalesce(${expr}, 'infinity')`;
  if (kind === 'text') return `${expr} collate "C"`;
  return expr;
}

/** `a, b desc, …`: the ORDER BY after a DISTINCT ON key (or inside a window) that puts the kept copy first. */
export function copyOrderBy<F extends string>(order: CopyOrder<F>, column: (field: F) => string): string {
  return order.map((k) => `${keyExpr(k.kind, column(k.field))}${k.direction === 'desc' ? ' desc' : ''}`).join(', ');
}

/**
 * `(a, -b, …)`: a row value that is smaller for the kept copy, for `where (new) < (old)` in an
 * upsert. Descending keys are negated, which only numbers and booleans allow.
 */
export function copyRow<F extends string>(order: CopyOrder<F>, column: (field: F) => string): string {
  const parts = order.map((k) => {
    const e = keyExpr(k.kind, column(k.field));
    if (k.direction === 'asc') return e;
    if (k.kind === 'number') return `-(${e})`;
    if (k.kind === 'boolean') return `not (${e})`;
    throw new Error(`copy rule key ${k.field}: a descending ${k.kind} cannot be compared as a row`);
  });
  return `(${parts.join(', ')})`;
}
