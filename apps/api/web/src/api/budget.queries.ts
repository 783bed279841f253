/** The budget operations of the dashboard (fields follow apps/api/src/budgets/budgets.sdl.ts). */
import type { BudgetAlert as RecordedAlert, BudgetPeriod as Period, BudgetScope as Scope, BudgetSpec } from '@ccpulse/domain';

/** The schema's enums are the domain's values in capitals. */
export type BudgetScope = Uppercase<Scope>;
export type BudgetPeriod = Uppercase<Period>;

/** A recorded alert as the schema serves it: ids as `ID`, the enums in capitals, plus its delivery. */
export interface BudgetAlert extends Omit<RecordedAlert, 'id' | 'budgetId' | 'scope' | 'period'> {
  id: string;
  budgetId: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  delivery: 'NONE' | 'PENDING' | 'DELIVERED' | 'FAILED';
  text: string;
}

/** A budget as an admin set it, with its current period's spend and alerts. */
export interface Budget extends Omit<BudgetSpec, 'scope' | 'period'> {
  id: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  periodStart: string;
  periodEnd: string;
  spendUsd: number;
  ratio: number;
  alerts: BudgetAlert[];
}

const ALERT_FIELDS = 'id budgetId scope subject period periodStart threshold spendUsd limitUsd createdAt delivery text';
const BUDGET_FIELDS = `id scope subject period limitUsd thresholds webhookUrl periodStart periodEnd spendUsd ratio alerts { ${ALERT_FIELDS} }`;

export const BUDGETS_QUERY = `query Budgets { budgets { ${BUDGET_FIELDS} } }`;
export interface BudgetsData {
  budgets: Budget[];
}

export const SET_BUDGET = `mutation SetBudget($input: SetBudgetInput!) { setBudget(input: $input) { ${BUDGET_FIELDS} } }`;
export const DELETE_BUDGET = `mutation DeleteBudget($id: ID!) { deleteBudget(id: $id) }`;
export const BUDGET_ALERTS_SUBSCRIPTION = `subscription BudgetAlertsLive { budgetAlerts { ${ALERT_FIELDS} } }`;
