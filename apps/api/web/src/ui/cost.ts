import { formatCompact, formatInteger, formatUsd, toNumber, type BigIntValue } from '../core/format';
import { h } from './dom';

/** Where a price is added, said wherever an unpriced model shows. */
export const ADD_PRICE_HELP =
  'No price is known for this model, so its cost is left out rather than shown as $0.00. To add one, put the model with its USD per million tokens in the pricing table (libs/domain/src/pricing/pricing.table.ts), bump PRICING_VERSION and PROCESSOR_VERSION and redeploy: the aggregator replays the stream and recomputes every stored cost.';

/**
 * A cost cell: the amount, or "—" with an "unpriced" badge when the tokens behind it have no price
 * (a partly unpriced amount keeps its value and gets the badge: it is a lower bound).
 */
export function costCell(costUsd: number, unpricedTokens: BigIntValue | null | undefined): HTMLElement {
  const unpriced = toNumber(unpricedTokens);
  if (unpriced <= 0) return h('span', { 'data-cost': costUsd }, formatUsd(costUsd));
  const badge = h('span', { class: 'badge badge-unpriced', title: `${formatInteger(unpricedTokens)} tokens without a price. ${ADD_PRICE_HELP}` }, 'unpriced');
  if (costUsd > 0) return h('span', { 'data-cost': costUsd, 'data-unpriced': unpriced }, `≥ ${formatUsd(costUsd)} `, badge);
  return h('span', { 'data-cost': '', 'data-unpriced': unpriced }, h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'sr-only' }, 'no price'), ' ', badge);
}

/** The note under a table that shows unpriced costs: what it means and how to add a price. */
export function unpricedNote(rows: readonly { unpricedTokens?: BigIntValue | null }[]): HTMLElement | null {
  const tokens = rows.reduce((sum, r) => sum + toNumber(r.unpricedTokens), 0);
  if (tokens <= 0) return null;
  return h('p', { class: 'note', 'data-testid': 'unpriced-note' }, h('span', { class: 'badge badge-unpriced' }, 'unpriced'), ` ${formatCompact(tokens)} tokens. ${ADD_PRICE_HELP}`);
}
