/**
 * Usage upsert throughput: `upsertUsageMessages` (unnest + ON CONFLICT keep-max) at batch sizes
 * 100 / 1,000 / 5,000, next to a plain multi-row INSERT of the same rows into an unindexed table
 * in the same database and run. A throwaway database is created and dropped.
 * Target: ≥ 50,000 usage rows/s at batch 1,000.
 *
 *   npm run build && node dist/bench/db-upsert.bench.js [--rows 60000]
 *
 * Exports `dbUpsertBench` in the shape of bench/bench.ts's `Bench` for the bench registry.
 */
import './ingest-dist-aliases';
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import {
  createDatabase,
  createProjectionSchema,
  type Database,
  DEFAULT_DATABASE_URL,
  migrateToLatest,
  recomputeModelHourly,
  type UsageMessageRow,
  upsertUsageMessages,
} from '@ccpulse/db';
import type { BenchRow as Row } from './bench';


const TARGET_ROWS_PER_S = 50_000;
const SIZES = [100, 1_000, 5_000];
const COLUMNS = [
  'message_key', 'entry_key', 'user_name', 'session_id', 'project', 'model', 'ts', 'is_sidechain', 'input_tokens',
  'output_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'cache_creation_5m_tokens', 'cache_creation_1h_tokens',
  'total_tokens', 'cost_usd', 'unpriced', 'stream_seq',
] as const;

/** Realistic rows: ~1 in 5 repeats an earlier key with a larger output (a streaming snapshot). */
function makeRows(n: number, tag: string): UsageMessageRow[] {
  const base = Date.UTC(2026, 0, 1);
  const rows: UsageMessageRow[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 5 === 4 ? i - 1 : i;
    rows.push({
      messageKey: `msg_${tag}_${k}:req_${k}`,
      entryKey: `${tag}-${i}`,
      userName: `user${i % 7}`,
      sessionId: `session-${tag}-${Math.floor(i / 40)}`,
      project: `/home/dev/project-${i % 5}`,
      model: i % 3 ? 'claude-sonnet-4-20250514' : 'claude-opus-4-20250514',
      ts: new Date(base + i * 37_000),
      isSidechain: false,
      messageId: null,
      inputTokens: 10 + (i % 50),
      outputTokens: 100 + i,
      cacheReadTokens: 20_000 + i,
      cacheCreationTokens: 1_000,
      cacheCreation5mTokens: 1_000,
      cacheCreation1hTokens: 0,
      costUsd: 0.0123,
      unpriced: false,
      streamSeq: i + 1,
    });
  }
  return rows;
}

async function plainInsert(db: Kysely<Database>, rows: readonly UsageMessageRow[]): Promise<void> {
  // 18 parameters a row; Postgres allows 65,535 a statement, so big batches go in chunks.
  for (let i = 0; i < rows.length; i += 3_000) {
    const chunk = rows.slice(i, i + 3_000);
    const values = chunk.map(
      (r) => sql`(${r.messageKey}, ${r.entryKey}, ${r.userName}, ${r.sessionId}, ${r.project}, ${r.model}, ${(r.ts as Date).toISOString()}::timestamptz,
        ${r.isSidechain}, ${r.inputTokens}, ${r.outputTokens}, ${r.cacheReadTokens}, ${r.cacheCreationTokens}, ${r.cacheCreation5mTokens},
        ${r.cacheCreation1hTokens}, ${r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheCreationTokens}, ${r.costUsd}, ${r.unpriced}, ${r.streamSeq})`,
    );
    await sql`insert into bench_plain (${sql.join(COLUMNS.map((c) => sql.id(c)))}) values ${sql.join(values)}`.execute(db);
  }
}

async function timeBatches(total: number, size: number, apply: (rows: UsageMessageRow[]) => Promise<void>, tag: string): Promise<number> {
  const rows = makeRows(total, tag);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += size) await apply(rows.slice(i, i + size));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return total / s;
}

async function runBench(log: (line: string) => void, total = 60_000): Promise<Row[]> {
  const adminUrl = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const name = `ccpulse_bench_${randomBytes(5).toString('hex')}`;
  const admin = createDatabase({ url: adminUrl, poolSize: 1, statementTimeoutMs: 0 });
  try {
    await sql`create database ${sql.id(name)}`.execute(admin);
  } catch (err) {
    await admin.destroy();
    log(`db-upsert: PostgreSQL unavailable (${(err as Error).message}); skipped`);
    return [];
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = createDatabase({ url: u.toString(), poolSize: 2, statementTimeoutMs: 0 });
  const rows: Row[] = [];
  try {
    await migrateToLatest(db);
    const schema = await createProjectionSchema(db, 1);
    await sql`create table bench_plain (like ${sql.id(schema, 'usage_messages')})`.execute(db);
    // warm-up (plans, caches), then truncate
    await timeBatches(5_000, 1_000, (r) => upsertUsageMessages(db, schema, r).then(() => undefined), 'warm');
    await timeBatches(5_000, 1_000, (r) => plainInsert(db, r), 'warm');
    for (const size of SIZES) {
      await sql`truncate ${sql.id(schema, 'usage_messages')}, bench_plain`.execute(db);
      const upsert = await timeBatches(total, size, (r) => upsertUsageMessages(db, schema, r).then(() => undefined), `u${size}`);
      const plain = await timeBatches(total, size, (r) => plainInsert(db, r), `p${size}`);
      log(`db-upsert: batch ${size}: upsert ${upsert.toFixed(0)} rows/s, plain INSERT ${plain.toFixed(0)} rows/s`);
      rows.push({ bench: 'db-upsert', metric: `usage upsert, batch ${size}`, value: upsert, unit: 'rows/s', baseline: plain, baselineName: 'plain multi-row INSERT, unindexed' });
      if (size === 1_000) {
        rows.push({ bench: 'db-upsert', metric: 'usage upsert, batch 1000 vs target', value: upsert, unit: 'rows/s', baseline: TARGET_ROWS_PER_S, baselineName: 'target', target: { ratio: 1, better: 'higher' } });
      }
    }
    // what the aggregator really pays per batch: upsert + hourly recompute of the touched keys
    await sql`truncate ${sql.id(schema, 'usage_messages')}, ${sql.id(schema, 'usage_model_hourly')}`.execute(db);
    const withRollup = await timeBatches(total, 1_000, async (r) => {
      await db.transaction().execute(async (trx) => {
        const res = await upsertUsageMessages(trx, schema, r);
        await recomputeModelHourly(trx, schema, res.touchedHours);
      });
    }, 'r');
    log(`db-upsert: batch 1000 upsert + hourly recompute in one transaction: ${withRollup.toFixed(0)} rows/s`);
    rows.push({ bench: 'db-upsert', metric: 'upsert + hourly recompute, batch 1000', value: withRollup, unit: 'rows/s', baseline: TARGET_ROWS_PER_S, baselineName: 'target' });
  } finally {
    await db.destroy();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
  return rows;
}

/** The registry entry (same shape as `Bench` in bench/bench.ts). */
export const dbUpsertBench = { name: 'db-upsert', run: (log: (line: string) => void) => runBench(log) };

if (require.main === module) {
  const i = process.argv.indexOf('--rows');
  const total = i > 0 ? Number(process.argv[i + 1]) : 60_000;
  runBench((l) => console.error(l), total).then(
    (rows) => {
      for (const r of rows) {
        const ratio = r.baseline ? ` (${(r.value / r.baseline).toFixed(2)}× ${r.baselineName})` : '';
        console.log(`${r.metric}: ${r.value.toFixed(0)} ${r.unit}${ratio}`);
      }
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
