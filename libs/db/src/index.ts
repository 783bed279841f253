/**
 * @ccpulse/db — the PostgreSQL read model.
 *
 * Convention: control-table functions take `db` (a Kysely or a transaction) and always address
 * the main schema. Projection functions take `(db, schema, …)`: `schema` is the `usage_v<N>`
 * schema to read or write — the aggregator passes the (possibly shadow) schema it builds, the
 * API passes `await liveSchema(db)`. The schema is an explicit argument rather than a
 * `db.withSchema()` binding because several statements are raw SQL (unnest upserts,
 * time-zone grouping) that Kysely's schema plugin would not rewrite.
 */
export * from './database';
export * from './errors';
export * from './day-range';
export * from './tables/column-types';
export * from './tables/column-names';
export * from './tables/usage-columns';
export * from './tables/users.table';
export * from './tables/api-tokens.table';
export * from './tables/ingestor-heartbeats.table';
export * from './tables/usage-attribution.table';
export * from './tables/projection-state.table';
export * from './tables/projection-checkpoints.table';
export * from './tables/usage-entries.table';
export * from './tables/usage-messages.table';
export * from './tables/usage-events.table';
export * from './tables/usage-tool-results.table';
export * from './tables/usage-session-summary.table';
export * from './tables/usage-session-hourly.table';
export * from './tables/usage-tool-daily.table';
export * from './tables/usage-plugin-daily.table';
export * from './tables/usage-model-hourly.table';
export * from './tables/usage-team-hourly.table';
export * from './tables/rejected-entries.table';
export * from './tables/budgets.table';
export * from './tables/budget-alerts.table';
export * from './connection/database-config';
export * from './connection/create-database';
export * from './connection/create-missing-database';
export { parseInt8 } from './connection/pg-types';
export * from './migrations/migrate-to-latest';
export * from './projection/projection-schema';
export { projectionDdl, projectionIndexDdl, projectionTableDdl } from './projection/projection-ddl';
export * from './bulk/bulk-staging';
export * from './bulk/finish-bulk-load';
export * from './entries/insert-entries';
export * from './entries/load-session-entries';
export * from './entries/session-users';
export * from './messages/upsert-usage-messages';
export * from './messages/usage-sums';
export * from './messages/query-messages';
export * from './model-hourly/model-hour-key';
export * from './model-hourly/recompute-model-hourly';
export * from './model-hourly/recompute-team-hourly';
export type { LocalDays } from './model-hourly/usage-source';
export type { UsageDimension, UsageGroupKeys } from './model-hourly/usage-groups';
export * from './model-hourly/query-usage';
export * from './events/event-keys';
export { mergeTouches } from './events/touches';
export * from './events/upsert-usage-events';
export * from './events/upsert-tool-results';
export * from './events/join-tool-results';
export * from './events/tool-use-owners';
export * from './tool-daily/recompute-tool-daily';
export * from './tool-daily/query-tool-daily';
export * from './plugin-daily/recompute-plugin-daily';
export * from './plugin-daily/query-plugin-daily';
export * from './session-summary/upsert-session-summaries';
export * from './session-hourly/replace-session-hours';
export type { TeamScope } from './session-hourly/team-scope';
export * from './session-hourly/outcome-sums';
export * from './session-hourly/query-team';
export * from './session-hourly/query-activity';
export * from './session-hourly/query-outcomes';
export * from './session-hourly/query-tool-decisions';
export * from './session-summary/session-tokens';
export * from './session-summary/stored-sessions';
export * from './session-summary/query-sessions';
export * from './home-stats/query-home-stats';
export * from './checkpoints/checkpoints';
export * from './checkpoints/guard-checkpoint';
export * from './checkpoints/rejected-entries';
export * from './heartbeats/record-heartbeat';
export * from './users/users';
export * from './users/user-tokens';
export * from './attribution/attribution-catalog';
export * from './attribution/load-attribution';
export * from './budgets/budgets';
export * from './budgets/budget-alerts';
