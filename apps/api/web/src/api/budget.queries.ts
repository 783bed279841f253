/** The budget operations of the dashboard (fields follow apps/api/src/budgets/budgets.sdl.ts). */

export type BudgetScope = 'TEAM' | 'USER' | 'PROJECT';
export type BudgetPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface BudgetAlert {
  id: string;
  budgetId: string;
  scope: BudgetScope;
  subject: string;
  period: BudgetPeriod;
  periodStart: string;
  threshold: number;
  spendUsd: number;
  limitUsd: number;
  createdAt: string;
  delivery: 'NONE' | 'PENDING' | 'DELIVERED' | 'FAILED';
  text: string;
}

export interface Budget {
  id: string;
  scope: BudgetScope;
  subject: string;
  period: BudgetPeriod;
  limitUsd: number;
  thresholds: number[];
  webhookUrl: string | null;
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
