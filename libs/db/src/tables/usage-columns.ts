import { TOKEN_FIELDS, TOTALLED_TOKEN_FIELDS, type TokenField } from '@ccpulse/domain';
import { columnName, columnsOf, type ColumnName } from './column-names';
import type { Int8, Money } from './column-types';

/** The columns of the six token counters (the domain's `TOKEN_FIELDS`), in their column order in every usage table. */
export const TOKEN_COUNTER_COLUMNS: readonly ColumnName<TokenField>[] = columnsOf(TOKEN_FIELDS);

/** The token counters and cost every usage table stores, from a single response up to a session. */
export interface UsageColumns extends Record<ColumnName<TokenField>, Int8> {
  /** input + output + cache read + cache creation; the keep-max rule compares it */
  total_tokens: Int8;
  cost_usd: Money;
}

/**
 * The domain's token total (`totalTokens`: the `TOTALLED_TOKEN_FIELDS` added) in SQL, over the
 * counter columns of `alias` (none: unqualified), for a row whose `total_tokens` is not stored yet.
 */
export function totalTokensSql(alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return `(${TOTALLED_TOKEN_FIELDS.map((f) => `${prefix}${columnName(f)}`).join(' + ')})`;
}
