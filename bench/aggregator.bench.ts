/**
 * Aggregator throughput on the real NATS JetStream and PostgreSQL (throwaway stream and database):
 *  - steady-state apply: the fixture corpus (× --copies users, each copy with its own ids, so every
 *    copy is new work as in the suite's corpus) published, the aggregator folds it;
 *  - replay: an ops rebuild of the same, now pre-filled, stream into a shadow schema until the swap;
 *  - RSS of the process (max, sampled every 100 ms) at each stream size, to show it stays flat;
 *  - baseline: a bare JetStream pull consumer reading and acking the same stream (no Postgres),
 *    measured in the same run;
 *  - CPU µs per entry of each phase: the aggregator runs in this process and nothing else works
 *    while a phase is timed (publishing is done before), so the process's CPU time is its cost;
 *    and the CPU of the PostgreSQL backends serving the bench database over the same phase (read
 *    from /proc, so only when the server runs on this machine), the other half of a batch.
 * Target: replay ≥ 50,000 entries/s, RSS < 300 MB and flat as the stream grows.
 *
 *   npm run build && node dist/bench/aggregator.bench.js [--copies 4] [--batch 1000]
 */
import './ingest-dist-aliases';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ensureEntriesStream } from '@ccpulse/runtime';
import { createDatabase, readProjectionState, type Database } from '@ccpulse/db';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import type { Bench, BenchRow } from './bench';
import { retag } from './full/corpus.generator';
import { until } from '../tests/support/until';
import { loadAggregatorConfig } from '../apps/aggregator/src/config/aggregator.config';
import { startAggregator, type RunningAggregator } from '../apps/aggregator/src/main';
import { messagesOfFile } from '../apps/aggregator/src/test-support/fixture-messages';

const TARGET_REPLAY_PER_S = 50_000;
const RSS_LIMIT_MB = 300;
/** USER_HZ of Linux /proc stat fields (100 on every common platform). */
const CLOCK_TICKS_PER_S = 100;

function fixturesRoot(): string | undefined {
  const dir = process.env.CCPULSE_FIXTURES ?? resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
  const alt = resolve(__dirname, '..', '..', 'shared', 'fixtures');
  for (const d of [dir, alt]) if (existsSync(join(d, 'claude', 'projects'))) return join(d, 'claude', 'projects');
  return undefined;
}

function jsonl(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.jsonl')) out.push(relative(root, join(d, e.name)));
    }
  };
  walk(root);
  return out.sort();
}

interface CorpusMessages {
  messages: { subject: string; msgId: string; data: Uint8Array }[];
  /** Transcript lines they carry (non-blank), the unit of every rate. */
  lines: number;
}

/** The corpus as one user's stream messages, its ids tagged with `user`: runs of lines (v2, as published), or one message per line (v1). */
function corpus(root: string, user: string, prefix: string, envelope: 1 | 2 = 2): CorpusMessages {
  const messages: CorpusMessages['messages'] = [];
  let lines = 0;
  for (const file of jsonl(root)) {
    const bytes = Buffer.from(retag(readFileSync(join(root, file), 'utf8'), user, 0));
    const v1 = messagesOfFile(bytes, file, user, prefix, { envelope: 1 });
    lines += v1.length;
    messages.push(...(envelope === 1 ? v1 : messagesOfFile(bytes, file, user, prefix)));
  }
  return { messages, lines };
}

function rssSampler() {
  let max = 0;
  const timer = setInterval(() => (max = Math.max(max, process.memoryUsage().rss)), 100);
  return { stop: () => (clearInterval(timer), Math.round(Math.max(max, process.memoryUsage().rss) / 1024 / 1024)) };
}

/**
 * CPU ticks (user + system) of each PostgreSQL backend connected to `dbName`, from /proc. Empty
 * when the server is not local (no such pids here): the figure is then left out.
 */
async function backendTicks(admin: Kysely<Database>, dbName: string): Promise<Map<number, number>> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${dbName}`.execute(admin);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // fields after the parenthesised command: state is field 3, utime 14, stime 15
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, Number(f[11]) + Number(f[12]));
    } catch {
      // not on this machine, or gone
    }
  }
  return out;
}

/** Backend CPU µs spent since `before` (backends that exited meanwhile are not counted). */
function backendMicrosSince(before: Map<number, number>, after: Map<number, number>): number | undefined {
  if (after.size === 0) return undefined;
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return (ticks * 1e6) / CLOCK_TICKS_PER_S;
}

/**
 * Backend CPU over a phase, sampled every 100 ms so that backends living only inside the phase
 * (a rebuild's COPY connections) count up to their last sample. `stop()` gives µs, or undefined
 * when the server is not local.
 */
async function backendCpuSampler(admin: Kysely<Database>, dbName: string): Promise<{ stop(): Promise<number | undefined> }> {
  const first = await backendTicks(admin, dbName);
  const last = new Map(first);
  const sample = async () => {
    for (const [pid, t] of await backendTicks(admin, dbName)) last.set(pid, t);
  };
  let pending = Promise.resolve();
  const timer = setInterval(() => (pending = pending.then(sample).catch(() => undefined)), 100);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      await sample();
      return backendMicrosSince(first, last);
    },
  };
}

function cpuMicros(u: NodeJS.CpuUsage): number {
  return u.user + u.system;
}

export async function runAggregatorBench(copies: number, log: (l: string) => void, batchSize = 1000): Promise<BenchRow[]> {
  const root = fixturesRoot();
  if (!root) {
    log('aggregator bench: fixtures not found (set CCPULSE_FIXTURES); skipped');
    return [];
  }
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const id = randomBytes(4).toString('hex');
  const stream = `BENCH_AGG_${id}`;
  const prefix = `bagg${id}`;
  const dbName = `ccpulse_bench_agg_${id}`;
  const admin = createDatabase({ url: adminUrl, poolSize: 1, statementTimeoutMs: 0 });
  await sql`create database ${sql.id(dbName)}`.execute(admin);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureEntriesStream(jsm, { stream, subjectPrefix: prefix });
  const rows: BenchRow[] = [];
  const config = loadAggregatorConfig({
    DATABASE_URL: u.toString(),
    NATS_URL: natsUrl,
    CCPULSE_STREAM: stream,
    CCPULSE_SUBJECT_PREFIX: prefix,
    AGGREGATOR_METRICS_PORT: '0',
    AGGREGATOR_BATCH_SIZE: String(batchSize),
  });
  const agg = await startAggregator(config, { logger: pino({ level: 'silent' }) });
  const db = createDatabase({ url: u.toString(), poolSize: 1, statementTimeoutMs: 0 });
  try {
    let head = 0;
    const rssBySize: number[] = [];
    let applySeconds = 0;
    // CPU is counted only while nothing is published, so only over the entries applied then.
    let applyCpuUs = 0;
    let applyPgUs: number | undefined = 0;
    let appliedWhileTimed = 0;
    let entries = 0;
    const publish = async (to: CorpusMessages['messages']) => {
      let last = 0;
      const window: Promise<unknown>[] = [];
      for (const m of to) {
        window.push(js.publish(m.subject, m.data, { msgID: m.msgId }).then((a) => (last = Math.max(last, a.seq))));
        if (window.length >= 512) await Promise.all(window.splice(0));
      }
      await Promise.all(window);
      return last;
    };
    for (let c = 0; c < copies; c++) {
      const { messages, lines } = corpus(root, `bench${c}`, prefix);
      const before = head;
      head = await publish(messages);
      entries += lines;
      if (c === 0) {
        // The envelope's cost on the stream: the same lines as one message each (v1) in a stream of their own.
        const v1Prefix = `${prefix}v1`;
        await ensureEntriesStream(jsm, { stream: `${stream}_V1`, subjectPrefix: v1Prefix });
        const v1 = corpus(root, `bench${c}`, v1Prefix, 1);
        await publish(v1.messages);
        const [v2Bytes, v1Bytes] = [(await jsm.streams.info(stream)).state.bytes, (await jsm.streams.info(`${stream}_V1`)).state.bytes];
        await jsm.streams.delete(`${stream}_V1`);
        rows.push({ bench: 'aggregator', metric: `stream bytes per line (${messages.length} runs, ${v1.messages.length} lines)`, value: v2Bytes / lines, unit: 'B', baseline: v1Bytes / lines, baselineName: 'v1: one message per line', target: { ratio: 0.7, better: 'lower' } });
      }
      const rss = rssSampler();
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const pg0 = await backendTicks(admin, dbName);
      // Messages still to apply, in lines (this copy's lines per message).
      const pending = head - Math.max(before, (await agg.runtime.coordinator!.replayStatus()).live?.checkpoint ?? 0);
      appliedWhileTimed += (pending * lines) / (head - before);
      await until('the replay to reach the stream head', async () => ((await agg.runtime.coordinator!.replayStatus()).live?.checkpoint ?? 0) >= head, 30 * 60_000, { everyMs: 50 });
      applySeconds += (performance.now() - t0) / 1000;
      applyCpuUs += cpuMicros(process.cpuUsage(cpu0));
      const pgUs = backendMicrosSince(pg0, await backendTicks(admin, dbName));
      applyPgUs = applyPgUs === undefined || pgUs === undefined ? undefined : applyPgUs + pgUs;
      rssBySize.push(rss.stop());
      log(`aggregator bench: applied copy ${c + 1}/${copies} (stream head ${head}), RSS ${rssBySize.at(-1)} MB`);
    }

    // Baseline: a bare pull consumer reading and acking the whole stream, no Postgres.
    await jsm.consumers.add(stream, { durable_name: 'bench-baseline', ack_policy: AckPolicy.Explicit, max_ack_pending: 2000 });
    const consumer = await js.consumers.get(stream, 'bench-baseline');
    const tb = performance.now();
    let read = 0;
    while (read < head) {
      // Asks for no more than is left: a fetch for more waits out its expiry at the head.
      const batch = await consumer.fetch({ max_messages: Math.min(1000, head - read), expires: 2000 });
      for await (const m of batch) {
        m.ack();
        read++;
      }
    }
    // In lines: a message read carries its run's lines.
    const baselinePerS = entries / ((performance.now() - tb) / 1000);

    // Replay as deployed (bulk load, then the batch fold from the head), then the same rebuild
    // through the batch fold alone (AGGREGATOR_BULK_REBUILD=off) as its same-run baseline.
    const replay = async (aggregator: RunningAggregator) => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const pg = await backendCpuSampler(admin, dbName);
      const started = await aggregator.runtime.coordinator!.startRebuild();
      await until('the rebuilt projection to go live', async () => (await readProjectionState(db)).liveSchema === started.schema, 60 * 60_000, { everyMs: 50 });
      return { perS: entries / ((performance.now() - t) / 1000), cpuUs: cpuMicros(process.cpuUsage(cpu)), pgUs: await pg.stop() };
    };
    const rss = rssSampler();
    const { perS: replayPerS, cpuUs: replayCpuUs, pgUs: replayPgUs } = await replay(agg);
    const replayRss = rss.stop();
    await agg.close();
    const batchAgg = await startAggregator({ ...config, bulkRebuild: false }, { logger: pino({ level: 'silent' }) });
    let batchReplay: Awaited<ReturnType<typeof replay>>;
    try {
      await batchAgg.runtime.coordinator!.whenLeading();
      batchReplay = await replay(batchAgg);
    } finally {
      await batchAgg.close();
    }
    // undefined when there is nothing to divide: no local backends, or all applied while publishing
    const perEntry = (us: number | undefined, entries: number) => (us === undefined || entries === 0 ? undefined : us / entries);
    const cpuRows = (metric: string, us: number | undefined, entries: number): BenchRow[] => {
      const value = perEntry(us, entries);
      return value === undefined ? [] : [{ bench: 'aggregator', metric, value, unit: 'cpu-µs/entry' }];
    };
    const applyPerS = entries / applySeconds;
    rows.push(
      { bench: 'aggregator', metric: 'steady apply', value: applyPerS, unit: 'entries/s', baseline: baselinePerS, baselineName: 'bare JetStream read+ack' },
      {
        bench: 'aggregator',
        metric: 'replay (shadow build + swap)',
        value: replayPerS,
        unit: 'entries/s',
        baseline: TARGET_REPLAY_PER_S,
        baselineName: 'target',
        target: { ratio: 1, better: 'higher' },
      },
      { bench: 'aggregator', metric: 'replay: bulk load vs batch fold', value: replayPerS, unit: 'entries/s', baseline: batchReplay.perS, baselineName: 'batch fold replay' },
      ...cpuRows('steady apply CPU', applyCpuUs, appliedWhileTimed),
      ...cpuRows('replay CPU', replayCpuUs, entries),
      ...cpuRows('replay CPU, batch fold', batchReplay.cpuUs, entries),
      ...cpuRows('steady apply PostgreSQL backend CPU', applyPgUs, appliedWhileTimed),
      ...cpuRows('replay PostgreSQL backend CPU', replayPgUs, entries),
      ...cpuRows('replay PostgreSQL backend CPU, batch fold', batchReplay.pgUs, entries),
      { bench: 'aggregator', metric: `RSS by stream size (${rssBySize.join(' → ')} MB)`, value: Math.max(...rssBySize, replayRss), unit: 'MB', baseline: RSS_LIMIT_MB, baselineName: 'limit', target: { ratio: 1, better: 'lower' } },
    );
    log(`aggregator bench: ${entries} entries in ${head} messages; apply ${applyPerS.toFixed(0)}/s (${perEntry(applyCpuUs, appliedWhileTimed)?.toFixed(1) ?? '?'} cpu-µs/entry, PostgreSQL ${perEntry(applyPgUs, appliedWhileTimed)?.toFixed(1) ?? '?'}), replay ${replayPerS.toFixed(0)}/s (${perEntry(replayCpuUs, entries)?.toFixed(1) ?? '?'} cpu-µs/entry, PostgreSQL ${perEntry(replayPgUs, entries)?.toFixed(1) ?? '?'}), batch-fold replay ${batchReplay.perS.toFixed(0)}/s (${perEntry(batchReplay.cpuUs, entries)?.toFixed(1) ?? '?'}, PostgreSQL ${perEntry(batchReplay.pgUs, entries)?.toFixed(1) ?? '?'}), bare read ${baselinePerS.toFixed(0)}/s, RSS ${rssBySize.join(', ')} MB (replay ${replayRss} MB)`);
    return rows;
  } finally {
    await agg.close().catch(() => undefined);
    await db.destroy();
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.drain().catch(() => undefined);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`.execute(admin);
    await sql`drop database if exists ${sql.id(dbName)}`.execute(admin);
    await admin.destroy();
  }
}

export const aggregatorBench: Bench = {
  name: 'aggregator',
  run: (log) => runAggregatorBench(2, log),
};

if (require.main === module) {
  const i = process.argv.indexOf('--copies');
  const copies = i > 0 ? Number(process.argv[i + 1]) : 2;
  const b = process.argv.indexOf('--batch');
  runAggregatorBench(copies, (l) => console.error(l), b > 0 ? Number(process.argv[b + 1]) : 1000).then(
    (rows) => {
      for (const r of rows) console.log(`${r.metric}: ${r.value.toFixed(0)} ${r.unit}${r.baseline ? ` (${r.baselineName} ${r.baseline.toFixed(0)})` : ''}`);
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
