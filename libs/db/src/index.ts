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
export * from './tables/column-types';
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
export * from './tables/usage-tool-daily.table';
export * from './tables/usage-plugin-daily.table';
export * from './tables/usage-model-hourly.table';
export * from './tables/rejected-entries.table';
export * from './connection/database-config';
export * from './connection/create-database';
export { parseInt8 } from './connection/pg-types';
export * from './migrations/migrate-to-latest';
export * from './projection/projection-schema';
