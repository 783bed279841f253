import type { BudgetSpec } from '@ccpulse/domain';
import {
  budgetSpend,
  deleteBudget,
  listBudgetAlerts,
  listBudgets,
  liveSchema,
  upsertBudget,
  type BudgetAlertRecord,
  type BudgetRecord,
  type Database,
} from '@ccpulse/db';
import type { Kysely } from 'kysely';

/** What the budget resolvers read and write. */
export interface BudgetStore {
  list(): Promise<BudgetRecord[]>;
  set(spec: BudgetSpec, by: string): Promise<BudgetRecord>;
  delete(id: number): Promise<boolean>;
  /** USD spent by the budget's scope in [from, to); 0 before the aggregator built anything. */
  spend(budget: BudgetSpec, from: Date, to: Date): Promise<number>;
  /** The alerts of these budgets in these periods. */
  alertsIn(periods: readonly { budgetId: number; periodStart: Date }[]): Promise<BudgetAlertRecord[]>;
  close(): Promise<void>;
}

export function createPgBudgetStore(db: Kysely<Database>): BudgetStore {
  return {
    list: () => listBudgets(db),
    set: (spec, by) => upsertBudget(db, spec, by),
    delete: (id) => deleteBudget(db, id),
    async spend(budget, from, to) {
      let schema: string;
      try {
        schema = await liveSchema(db);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'DB_NO_LIVE_PROJECTION') return 0;
        throw err;
      }
      return budgetSpend(db, schema, budget, from, to);
    },
    alertsIn: (periods) => listBudgetAlerts(db, periods),
    close: () => db.destroy(),
  };
}
