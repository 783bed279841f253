/**
 * API query latency under bounded concurrent load, against a database holding ≥ 1M usage rows.
 *
 * A throwaway database gets `usage_messages` generated with `generate_series` (20 users × 90 days
 * × 24 h × ~30 responses ≈ 1.3M rows, 4 models, 10 projects), `usage_model_hourly` rolled up from
 * them, `usage_team_hourly` from that, and ~9k session summaries. The API runs as its own process
 * (`ccpulse api`, built) so the load loop does not share its event loop. N concurrent fetch loops
 * hit one query for T seconds; p50/p99 are reported next to the same SQL called directly (in this
 * process, same concurrency), first with the API's usage cache off (every request reaches
 * PostgreSQL), then as deployed (cache on, 5 commit notices a second invalidating it); the 30-day
 * daily-by-model p99 is held to 50 ms.
 *
 *   npm run build && node dist/bench/api.bench.js [--concurrency 16] [--seconds 10] [--rows 1300000]
 *
 * Exports `apiBench` in the shape of bench/bench.ts's `Bench` for the `npm run bench` registry.
 */
import './ingest-dist-aliases';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Kysely, sql } from 'kysely';
import {
  createDatabase,
  createUser,
  type Database,
  DEFAULT_DATABASE_URL,
  ensureLiveProjection,
  issueToken,
  migrateToLatest,
} from '@ccpulse/db';
import { PROCESSOR_VERSION } from '@ccpulse/domain';
import type { BenchRow as Row } from './bench';


const TARGET_P99_MS = 50;
const USERS = 20;
const DAYS = 90;
const MODELS = ['claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-20250514'];
const ROOT = join(__dirname, '..', '..');

interface Options {
  concurrency: number;
  seconds: number;
  rows: number;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Fills the live projection: messages by generate_series, the hourly rollup and session rows from them. */
async function fill(db: Kysely<Database>, schema: string, rows: number, log: (l: string) => void): Promise<void> {
  const perHour = Math.max(1, Math.round(rows / (USERS * DAYS * 24)));
  const t0 = Date.now();
  const s = (t: string) => sql.table(`${schema}.${t}`);
  // Each user works on one project a day and one or two models an hour: a realistic rollup shape.
  await sql`
    insert into ${s('usage_messages')}
      (message_key, entry_key, user_name, session_id, project, model, ts, is_sidechain, input_tokens, output_tokens,
       cache_read_tokens, cache_creation_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, unpriced, stream_seq)
    select 'm' || g, 'e' || g, 'user' || u, 'sess-' || u || '-' || d || '-' || (h / 5), '/home/dev/project-' || ((u + d) % 10),
      (${MODELS}::text[])[1 + ((h + (i % 2)) % 4)],
      timestamptz '2026-08-01T00:00:00Z' + make_interval(days => d, hours => h, secs => i * (3600.0 / ${perHour})),
      false, 10 + i, 200 + i * 3, 20000 + i * 11, 1500, 1500, 0, 21710 + i * 15, 0.012345678, false, g
    from generate_series(0, ${USERS - 1}) u, generate_series(0, ${DAYS - 1}) d, generate_series(0, 23) h,
      generate_series(0, ${perHour - 1}) i,
      lateral (select ((u * ${DAYS} + d) * 24 + h) * ${perHour} + i as g) k`.execute(db);
  await sql`
    insert into ${s('usage_model_hourly')}
    select date_trunc('hour', ts), user_name, coalesce(project, ''), model, sum(input_tokens), sum(output_tokens),
      sum(cache_read_tokens), sum(cache_creation_tokens), sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens),
      sum(total_tokens), sum(cost_usd), count(*)
    from ${s('usage_messages')} group by 1, 2, 3, 4`.execute(db);
  await sql`
    insert into ${s('usage_team_hourly')}
    select hour, model, sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens),
      sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens), sum(total_tokens), sum(cost_usd), sum(messages)
    from ${s('usage_model_hourly')} group by 1, 2`.execute(db);
  await sql`
    insert into ${s('usage_session_summary')}
      (session_id, user_name, project, started_at, ended_at, active_seconds, wall_seconds, user_messages, assistant_messages,
       prompts, primary_model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cache_creation_5m_tokens,
       total_tokens, cost_usd, processor_version, state, last_seq)
    select session_id, min(user_name), min(project), min(ts), max(ts), 3600, 18000, count(*), count(*), count(*) / 4, min(model),
      sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens), sum(cache_creation_5m_tokens),
      sum(total_tokens), sum(cost_usd), ${PROCESSOR_VERSION}, '{}'::jsonb, max(stream_seq)
    from ${s('usage_messages')} group by session_id`.execute(db);
  await sql`analyze`.execute(db);
  const counts = await sql<{ m: number; h: number; s: number }>`
    select (select count(*) from ${s('usage_messages')})::int as m, (select count(*) from ${s('usage_model_hourly')})::int as h,
      (select count(*) from ${s('usage_session_summary')})::int as s`.execute(db);
  const c = counts.rows[0];
  log(`api bench: ${c.m.toLocaleString('en-US')} usage_messages, ${c.h.toLocaleString('en-US')} hourly rows, ${c.s.toLocaleString('en-US')} sessions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Runs `ccpulse api` as a child and resolves its port from the `listening` log line. */
function startApi(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/ccpulse.js'), 'api'], { env, cwd: ROOT });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`api did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"port":(\d+),"msg":"listening"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`api exited ${code}:\n${out}`)));
  });
}

/** N loops calling `once` back to back for `seconds`; latencies in ms. */
async function load(concurrency: number, seconds: number, once: () => Promise<void>): Promise<{ latencies: number[]; errors: number }> {
  const until = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        try {
          await once();
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors };
}

export async function runApiBench(opts: Options, log: (l: string) => void): Promise<Row[]> {
  if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js'))) {
    log('api bench: skipped, dist/apps/api/src/main.js is not built (npm run build)');
    return [];
  }
  const adminUrl = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const name = `ccpulse_apibench_${randomBytes(5).toString('hex')}`;
  const admin = createDatabase({ url: adminUrl, poolSize: 1, statementTimeoutMs: 0 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = createDatabase({ url: u.toString(), poolSize: opts.concurrency, statementTimeoutMs: 0 });
  let api: ChildProcess | undefined;
  let nc: NatsConnection | undefined;
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  try {
    await migrateToLatest(db);
    const schema = await ensureLiveProjection(db, PROCESSOR_VERSION);
    await fill(db, schema, opts.rows, log);
    await createUser(db, 'boss', 'admin');
    await createUser(db, 'user3', 'member');
    const adminToken = await issueToken(db, 'boss');
    const memberToken = await issueToken(db, 'user3');
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    const apiEnv = (cacheMs: number) => ({
      PATH: process.env.PATH,
      DATABASE_URL: u.toString(),
      NATS_URL: natsUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      CCPULSE_SUBJECT_PREFIX: prefix,
      DB_POOL_SIZE: String(opts.concurrency),
      API_USAGE_CACHE_MS: String(cacheMs),
      API_RATE_LIMIT_PER_MINUTE: '0', // one token at full speed is the point here
    });
    // First without the usage cache: every request reaches PostgreSQL.
    let started = await startApi(apiEnv(0));
    api = started.child;
    let url = `http://127.0.0.1:${started.port}/graphql`;
    const gql = (token: string, query: string) => async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    const usage30 = `query Usage30 { usage(from: "2026-09-29", to: "2026-10-28", groupBy: [DAY, MODEL], timezone: "UTC") { day model totalTokens costUsd } }`;
    const usage30Berlin = `query Usage30Berlin { usage(from: "2026-09-29", to: "2026-10-28", groupBy: [DAY, MODEL], timezone: "Europe/Berlin") { day model totalTokens costUsd } }`;
    const usage90 = `query Usage90 { usage(from: "2026-08-01", to: "2026-10-29", groupBy: [WEEK, USER, PROJECT]) { week user project totalTokens } }`;
    const sessions = `query Sessions { sessions(first: 50) { nodes { id user startedAt totalTokens costUsd } pageInfo { endCursor } } }`;
    const scenarios: { metric: string; run: () => Promise<void>; direct?: () => Promise<void>; target?: boolean }[] = [
      {
        metric: 'usage 30d DAY×MODEL team (admin), no cache',
        run: gql(adminToken, usage30),
        direct: async () => void (await sql`select to_char(date_trunc('day', hour at time zone 'UTC'), 'YYYY-MM-DD'), model, sum(total_tokens)::int8, sum(cost_usd)::float8
          from ${sql.table(`${schema}.usage_team_hourly`)} where hour >= '2026-09-29T00:00:00Z' and hour < '2026-10-29T00:00:00Z' group by 1, 2 order by 1, 2`.execute(db)),
        target: true,
      },
      { metric: 'usage 30d DAY×MODEL member, no cache', run: gql(memberToken, usage30), target: true },
      { metric: 'usage 30d DAY×MODEL Europe/Berlin, no cache', run: gql(adminToken, usage30Berlin), target: true },
      { metric: 'usage 90d WEEK×USER×PROJECT, no cache', run: gql(adminToken, usage90) },
      {
        metric: 'sessions first 50 (admin)',
        run: gql(adminToken, sessions),
        direct: async () => void (await sql`select * from ${sql.table(`${schema}.usage_session_summary`)} where started_at is not null order by started_at desc, session_id desc limit 51`.execute(db)),
      },
      { metric: 'sessions first 50 (member)', run: gql(memberToken, sessions) },
    ];
    const rows: Row[] = [];
    const measure = async (s: (typeof scenarios)[number]) => {
      await load(2, 1, s.run); // warm-up: plans, pools, JIT
      const r = await load(opts.concurrency, opts.seconds, s.run);
      const p50 = percentile(r.latencies, 50);
      const p99 = percentile(r.latencies, 99);
      const rps = r.latencies.length / opts.seconds;
      log(`api bench: ${s.metric}: ${r.latencies.length} requests (${rps.toFixed(0)}/s, ${r.errors} errors) at concurrency ${opts.concurrency}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
      if (r.errors > 0) throw new Error(`${s.metric}: ${r.errors} failed requests`);
      let direct: number | undefined;
      if (s.direct) {
        await load(2, 1, s.direct);
        const d = await load(opts.concurrency, Math.min(opts.seconds, 5), s.direct);
        direct = percentile(d.latencies, 99);
        log(`api bench: ${s.metric}: the same SQL direct: p50 ${percentile(d.latencies, 50).toFixed(1)} ms, p99 ${direct.toFixed(1)} ms`);
      }
      rows.push({ bench: 'api', metric: `${s.metric} p50`, value: p50, unit: 'ms' });
      if (s.target) rows.push({ bench: 'api', metric: `${s.metric} p99`, value: p99, unit: 'ms', baseline: TARGET_P99_MS, baselineName: 'target', target: { ratio: 1, better: 'lower' } });
      else rows.push({ bench: 'api', metric: `${s.metric} p99`, value: p99, unit: 'ms' });
      if (direct !== undefined) rows.push({ bench: 'api', metric: `${s.metric} p99 vs direct SQL`, value: p99, unit: 'ms', baseline: direct, baselineName: 'SQL alone' });
      rows.push({ bench: 'api', metric: `${s.metric} throughput`, value: rps, unit: 'req/s' });
    };
    for (const s of scenarios) await measure(s);

    // Then as deployed: the usage cache on, while commit notices for the team arrive 5 times a
    // second (each drops the cached answers it touches, as the aggregator's commits would).
    const gone = new Promise((r) => api!.once('exit', r));
    api.kill('SIGTERM');
    await gone;
    started = await startApi(apiEnv(30_000));
    api = started.child;
    url = `http://127.0.0.1:${started.port}/graphql`;
    nc = await connect({ servers: natsUrl });
    const conn = nc;
    let n = 0;
    const notices = setInterval(() => {
      const user = `user${n % USERS}`;
      conn.publish(`${prefix}.updated.${user}.s`, JSON.stringify({ v: 1, user, users: [user], sessions: ['s'], days: ['2026-10-28'], seq: ++n, committedAt: Date.now() }));
    }, 200);
    try {
      await measure({ metric: 'usage 30d DAY×MODEL team (admin), cache + 5 commits/s', run: gql(adminToken, usage30), target: true });
      await measure({ metric: 'usage 30d DAY×MODEL member, cache + 5 commits/s', run: gql(memberToken, usage30), target: true });
    } finally {
      clearInterval(notices);
    }
    return rows;
  } finally {
    if (api && api.exitCode === null) {
      const gone = new Promise((r) => api!.once('exit', r));
      api.kill('SIGTERM');
      await gone;
    }
    await nc?.close();
    await db.destroy();
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`.execute(admin);
    await sql`drop database if exists ${sql.id(name)}`.execute(admin);
    await admin.destroy();
  }
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** For the `npm run bench` registry (bench/index.ts). */
export const apiBench = {
  name: 'api',
  run: (log: (l: string) => void) => runApiBench({ concurrency: 16, seconds: 10, rows: 1_300_000 }, log),
};

if (require.main === module) {
  runApiBench({ concurrency: option('concurrency', 16), seconds: option('seconds', 10), rows: option('rows', 1_300_000) }, (l) => console.error(l)).then(
    (rows) => {
      for (const r of rows) console.log(`${r.metric}: ${r.value.toFixed(1)} ${r.unit}${r.baseline !== undefined ? ` (${r.baselineName} ${r.baseline.toFixed(1)} ${r.unit})` : ''}`);
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
