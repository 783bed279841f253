/** The Usage page's per-model table and its budget and burn-rate sentences. */
import type { UsageData } from '../api/queries';
import { budgetText } from '../core/budget.projection';
import { formatCompact, formatDateTime, formatDay, formatInteger, formatUsd } from '../core/format';
import { grandTotal, totalsBy } from '../core/usage.shape';
import { costCell, unpricedNote } from '../ui/cost';
import { h, table } from '../ui/dom';

/** Tokens and cost per model over the range, with a total row when there are several. */
export function modelTotals(usage: UsageData['usage'], from: string, to: string): (HTMLElement | string)[] {
  const totals = totalsBy(usage, 'model');
  const sum = grandTotal(totals);
  return [
    table(
      `Tokens and cost per model, ${formatDay(from)} to ${formatDay(to)}`,
      [
        { label: 'Model', cell: (t) => t.key },
        { label: 'Input', numeric: true, cell: (t) => formatInteger(t.inputTokens) },
        { label: 'Output', numeric: true, cell: (t) => formatInteger(t.outputTokens) },
        { label: 'Cache read', numeric: true, cell: (t) => formatInteger(t.cacheReadTokens) },
        { label: 'Cache write', numeric: true, cell: (t) => formatInteger(t.cacheCreationTokens) },
        { label: 'Total', numeric: true, cell: (t) => h('span', { 'data-value': t.totalTokens }, formatInteger(t.totalTokens)) },
        { label: 'Cost', numeric: true, cell: (t) => costCell(t.costUsd, t.unpricedTokens) },
      ],
      totals,
      {
        empty: 'No usage in this range. Pick a longer range above, or check that `ccpulse ingest` runs on the machines you expect.',
        rowAttrs: (t) => ({ 'data-model': t.key }),
        footer: totals.length > 1 ? ['Total', formatInteger(sum.inputTokens), formatInteger(sum.outputTokens), formatInteger(sum.cacheReadTokens), formatInteger(sum.cacheCreationTokens), formatInteger(sum.totalTokens), costCell(sum.costUsd, sum.unpricedTokens)] : undefined,
      },
    ),
    unpricedNote(totals) ?? '',
  ];
}

/** What was spent in the budget period and where spending is heading. */
export function budgetSentence(b: UsageData['budgetProjection'], timeZone: string): string {
  const exhausted = b.spentUsd >= b.budgetUsd;
  return (
    `${formatUsd(b.spentUsd)} spent since ${formatDateTime(b.periodStart, timeZone)}. ` +
    budgetText(
      { budgetUsd: b.budgetUsd, period: b.period, spentUsd: b.spentUsd, projectedUsd: b.projectedUsd, runsOutAtMs: b.exhaustsAt ? Date.parse(b.exhaustsAt) : null, exhausted },
      timeZone,
    )
  );
}

/** The active 5-hour block's burn rate, if a block is active. */
export function burnSentence(r: UsageData['burnRate'], timeZone: string): string {
  return r
    ? `Active 5-hour block since ${formatDateTime(r.blockStart, timeZone)}: ${formatUsd(r.costUsdPerHour)} per hour, ${formatCompact(r.tokensPerMinute)} tokens per minute, ${formatUsd(r.costUsd)} so far, about ${formatUsd(r.projectedBlockCostUsd)} by the block's end.`
    : 'No 5-hour block is active right now.';
}
