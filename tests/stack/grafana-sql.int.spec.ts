/**
 * The Grafana usage panels on a real, migrated PostgreSQL: the read-only role from
 * ops/postgres/initdb can read the live projection (and write nothing), and every panel's SQL
 * runs and adds up to what was stored.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import type { Kysely } from 'kysely';
import { createDatabase, ensureLiveProjection, migrateToLatest, type Database } from '@ccpulse/db';
import { adminQuery, createScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { expandGrafanaSql } from './support/grafana-macros';
import { repoPath } from './support/repo-paths';

interface Target {
  rawSql?: string;
  format?: string;
}
const dashboard = JSON.parse(fs.readFileSync(repoPath('ops/grafana/dashboards/ccpulse-overview.json'), 'utf8')) as {
  panels: Array<{ title: string; targets?: Target[] }>;
  templating: { list: Array<{ name: string; query: string }> };
};
const variable = (name: string) => dashboard.templating.list.find((v) => v.name === name)!.query;

const hasPsql = spawnSync('psql', ['--version']).status === 0;
if (!hasPsql) console.warn('psql not found: skipping the Grafana SQL test (it runs ops/postgres/initdb with psql)');
const maybe = hasPsql ? describe : describe.skip;

maybe('Grafana usage panels on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let tdb: { url: string; db: Kysely<Database> };
  let reader: Client;
  const role = `ccpulse_reader_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    scratch = await createScratchDatabase('ccpulse_grafana');
    tdb = { url: scratch.url, db: createDatabase({ url: scratch.url, poolSize: 2, statementTimeoutMs: 0 }) };
    await migrateToLatest(tdb.db);
    await ensureLiveProjection(tdb.db, 1);
    const row = (hour: string, user: string, model: string, tokens: number, cost: string) => ({
      hour, user_name: user, project: 'p', model,
      input_tokens: tokens / 2, output_tokens: tokens / 2, cache_read_tokens: 0, cache_creation_tokens: 0,
      cache_creation_5m_tokens: 0, cache_creation_1h_tokens: 0, total_tokens: tokens, cost_usd: cost, messages: 1,
    });
    await tdb.db.withSchema('usage_v1').insertInto('usage_model_hourly').values([
      row('2026-11-20T10:00:00Z', 'alice', 'claude-sonnet-4-5', 1000, '0.5'),
      row('2026-11-20T11:00:00Z', 'alice', 'claude-opus-4-5', 200, '1.25'),
      row('2026-11-21T09:00:00Z', 'bob', 'claude-sonnet-4-5', 3000, '1.5'),
      row('2026-10-01T09:00:00Z', 'bob', 'claude-sonnet-4-5', 100000, '99'), // outside the time range
    ] as never).execute();
    await tdb.db.insertInto('ingestor_heartbeats').values([
      { user_name: 'alice', host: 'alice-laptop', version: '0.1.0', files_tracked: 12, lag_bytes: 0, at: new Date(Date.now() - 10_000) },
      { user_name: 'bob', host: 'bob-desktop', version: '0.1.0', files_tracked: 3, lag_bytes: 2048, at: new Date(Date.now() - 7_200_000) },
    ] as never).execute();

    const url = new URL(tdb.url);
    const run = spawnSync('sh', [repoPath('ops/postgres/initdb/10-grafana-reader.sh')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        PGHOST: url.hostname, PGPORT: url.port || '5432', PGPASSWORD: decodeURIComponent(url.password),
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres', POSTGRES_DB: url.pathname.slice(1),
        GRAFANA_PG_USER: role, GRAFANA_PG_PASSWORD: 'reader-secret',
      },
    });
    if (run.status !== 0) throw new Error(`initdb script failed: ${run.stderr}`);
    url.username = role;
    url.password = 'reader-secret';
    reader = new Client({ connectionString: url.toString() });
    await reader.connect();
  });

  afterAll(async () => {
    await reader?.end();
    await tdb?.db.destroy();
    await scratch?.drop();
    await adminQuery(`drop role if exists "${role}"`);
  });

  const ctx = (vars: Record<string, string | string[]>) => ({
    from: new Date('2026-11-15T00:00:00Z'), to: new Date('2026-11-26T00:00:00Z'), intervalSeconds: 86400, vars,
  });

  it('given the reader role, when it reads the dashboard variables, then it finds the live schema, users and models', async () => {
    const schema = (await reader.query(variable('schema'))).rows.map((r) => r.live_schema);
    expect(schema).toEqual(['usage_v1']);
    const users = await reader.query(expandGrafanaSql(variable('user'), ctx({ schema: 'usage_v1' })));
    expect(users.rows.map((r) => r.user_name)).toEqual(['alice', 'bob']);
    const models = await reader.query(expandGrafanaSql(variable('model'), ctx({ schema: 'usage_v1' })));
    expect(models.rows.map((r) => r.model)).toEqual(['claude-opus-4-5', 'claude-sonnet-4-5']);
  });

  it('given every panel query, when run as the reader, then the sums match what was stored in the range', async () => {
    const vars = { schema: 'usage_v1', user: ['alice', 'bob'], model: ['claude-opus-4-5', 'claude-sonnet-4-5'] };
    const results = new Map<string, Array<Record<string, unknown>>>();
    for (const p of dashboard.panels) {
      for (const t of p.targets ?? []) {
        if (!t.rawSql) continue;
        results.set(p.title, (await reader.query(expandGrafanaSql(t.rawSql, ctx(vars)))).rows);
      }
    }
    expect(results.size).toBe(6);
    /** Sum of `col` over the series named `metric` (Grafana's series column). */
    const sum = (panel: string, col: string, metric: string) =>
      results.get(panel)!.filter((r) => r.metric === metric).reduce((a, r) => a + Number(r[col]), 0);
    expect(sum('Tokens by model', 'tokens', 'claude-sonnet-4-5')).toBe(4000);
    expect(sum('Cost by model (USD)', 'cost_usd', 'claude-opus-4-5')).toBeCloseTo(1.25);
    expect(sum('Tokens by user', 'tokens', 'bob')).toBe(3000);
    expect(sum('Cost by user (USD)', 'cost_usd', 'alice')).toBeCloseTo(1.75);
    const table = results.get('Tokens and cost by user and model')!;
    expect(table.map((r) => [r.user_name, r.model, Number(r.tokens), Number(r.cost_usd)])).toEqual([
      ['bob', 'claude-sonnet-4-5', 3000, 1.5],
      ['alice', 'claude-opus-4-5', 200, 1.25],
      ['alice', 'claude-sonnet-4-5', 1000, 0.5],
    ]);
    const beats = results.get('Ingestors — last heartbeat')!;
    expect(beats.map((r) => [r.user_name, r.host])).toEqual([['bob', 'bob-desktop'], ['alice', 'alice-laptop']]);
    expect(Number(beats[0].silent_seconds)).toBeGreaterThanOrEqual(7200);
    // time-series panels bucket by $__interval into a "time" column Grafana can plot
    expect(results.get('Tokens by model')!.every((r) => r.time instanceof Date)).toBe(true);
  });

  it('given one selected user, when the panels run, then only that user is summed', async () => {
    const q = dashboard.panels.find((p) => p.title === 'Tokens by user')!.targets![0].rawSql!;
    const rows = (await reader.query(expandGrafanaSql(q, ctx({ schema: 'usage_v1', user: ['alice'], model: ['claude-opus-4-5', 'claude-sonnet-4-5'] })))).rows;
    expect(new Set(rows.map((r) => r.metric))).toEqual(new Set(['alice']));
  });

  it('given the reader role, when it tries to write, then PostgreSQL refuses', async () => {
    await expect(reader.query(`delete from usage_v1.usage_model_hourly`)).rejects.toThrow(/read-only|permission denied/);
    await expect(reader.query(`insert into public.users (name, role) values ('mallory', 'admin')`)).rejects.toThrow(/read-only|permission denied/);
  });
});
