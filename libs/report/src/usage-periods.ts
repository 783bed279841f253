import { addToTokenFields, recordCost, totalTokens, type CostMode, type PricingTable, type TokenCounts, type TokenFields, type UsageRecord } from '@ccpulse/domain';
import type { ZonedCalendar } from './zoned-calendar';

export type Period = 'daily' | 'weekly' | 'monthly';

/** Token counters and cost as the report prints them (camelCase JSON). */
export interface UsageTotals extends TokenFields {
  totalTokens: number;
  costUsd: number;
}

export interface ModelRow extends UsageTotals {
  model: string;
}

export interface PeriodRow extends UsageTotals {
  /** `date` (daily), `week` (its Monday) or `month` (`YYYY-MM`), in the report's time zone. */
  key: string;
  models: ModelRow[];
}

export interface PeriodReport {
  rows: PeriodRow[];
  totals: UsageTotals;
  /** model → tokens of models without a price (counted as $0, never silently). */
  unpriced: Map<string, number>;
  /** Responses without a timestamp: they have no day and are left out of the periods. */
  untimed: number;
}

/** Zero sums, keys in the order the JSON output has always had (cache creation before cache read). */
export function emptyTotals(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, cacheCreation5mTokens: 0, cacheCreation1hTokens: 0, totalTokens: 0, costUsd: 0 };
}

export function addUsage(into: UsageTotals, t: TokenCounts, costUsd: number): void {
  addToTokenFields(into, t);
  into.totalTokens += totalTokens(t);
  into.costUsd += costUsd;
}

export interface PeriodOptions {
  period: Period;
  calendar: ZonedCalendar;
  since?: string;
  until?: string;
  mode: CostMode;
  pricing?: PricingTable;
}

/** Kept responses summed per local day/week/month × model; `since`/`until` bound the local day. */
export function usageByPeriod(records: Iterable<UsageRecord>, opts: PeriodOptions): PeriodReport {
  const rows = new Map<string, { row: PeriodRow; models: Map<string, ModelRow> }>();
  const totals = emptyTotals();
  const unpriced = new Map<string, number>();
  let untimed = 0;
  for (const r of records) {
    if (r.ts === undefined) {
      untimed++;
      continue;
    }
    const day = opts.calendar.dayOf(r.ts);
    if ((opts.since && day < opts.since) || (opts.until && day > opts.until)) continue;
    const key = opts.period === 'daily' ? day : opts.period === 'weekly' ? opts.calendar.weekOf(r.ts) : day.slice(0, 7);
    const cost = recordCost(r, opts.mode, opts.pricing);
    if (cost.unpriced) unpriced.set(r.model, (unpriced.get(r.model) ?? 0) + r.total);
    let slot = rows.get(key);
    if (!slot) rows.set(key, (slot = { row: { key, ...emptyTotals(), models: [] }, models: new Map() }));
    let m = slot.models.get(r.model);
    if (!m) slot.models.set(r.model, (m = { model: r.model, ...emptyTotals() }));
    addUsage(slot.row, r.tokens, cost.costUsd);
    addUsage(m, r.tokens, cost.costUsd);
    addUsage(totals, r.tokens, cost.costUsd);
  }
  const sorted = [...rows.values()].sort((a, b) => (a.row.key < b.row.key ? -1 : 1));
  for (const s of sorted) s.row.models = [...s.models.values()].sort((a, b) => b.costUsd - a.costUsd || (a.model < b.model ? -1 : 1));
  return { rows: sorted.map((s) => s.row), totals, unpriced, untimed };
}
