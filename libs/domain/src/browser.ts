/**
 * The part of the domain the dashboard (apps/api/web) bundles for the browser: the contract's
 * field lists with their helpers, and the budget types it shows. Only modules without Node
 * globals belong here; apps/api/web/tsconfig.json and build.mjs resolve `@ccpulse/domain` to it.
 */
export * from './fields/field-spec';
export * from './usage/token-fields';
export * from './session/session-counts';
export * from './outcomes/outcome-fields';
export type { BudgetPeriod, BudgetScope, BudgetSpec } from './budgets/budget';
export type { BudgetAlert } from './budgets/budget-alert';
