/**
 * What a following `ccpulse ingest` costs while nothing happens, and how soon it sees an append:
 * at 200, 4,000 and 10,000 generated transcript files (mtimes a day old), the built ingestor is
 * started as a child, backfills, and is then measured from outside (/proc): the restart time to
 * following over the unchanged history (every checkpoint in place), several times; CPU over an
 * idle window that begins IDLE_SETTLE_SECONDS after it follows, and RSS at its end; append → the
 * line on the stream subject for a file that is being written (p50/p99) and for files untouched
 * for a day.
 *
 * "Following" is the moment the ingestor logs `backfill acknowledged; following`: the start-up
 * pass over the tree and the checkpoints is done and every line found is acknowledged and
 * checkpointed, so from then on only new writes are read. Restart to following is timed from
 * the spawn (process start and module loading included) to that line on stderr; the CPU the
 * child used by then is recorded too, as it means something on a loaded machine where the wall
 * time does not.
 *
 *   npm run build && npm run bench -- ingest-idle
 *   IDLE_SECONDS=60 IDLE_SETTLE_SECONDS=30 IDLE_RESTARTS=5 IDLE_SIZES=200,4000,10000 npm run bench -- ingest-idle
 *
 * Uses NATS_URL (default the local server) with a throwaway stream, bucket and subject prefix;
 * the results are written to bench/results/ingest-idle.{json,md}.
 */
import './ingest-dist-aliases';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Bench, BenchRow } from './bench';
import { REPO } from './domain-corpus';
import { until } from '../tests/support/until';
import { percentile, stopChild, watch, type Watched } from './full/child-process';

const LINES_PER_FILE = 4;
const FILES_PER_PROJECT = 50;

const lineOf = (session: string, uuid: string) =>
  JSON.stringify({ type: 'user', uuid, sessionId: session, timestamp: new Date().toISOString(), message: { role: 'user', content: `probe ${uuid}` } }) + '\n';

function generate(root: string, files: number): string[] {
  const dayAgo = new Date(Date.now() - 86_400_000);
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const dir = join(root, 'projects', `-home-dev-project-${Math.floor(i / FILES_PER_PROJECT)}`);
    if (i % FILES_PER_PROJECT === 0) mkdirSync(dir, { recursive: true });
    const session = `s${i}`;
    const path = join(dir, `${session}.jsonl`);
    writeFileSync(path, Array.from({ length: LINES_PER_FILE }, (_, k) => lineOf(session, `${session}-${k}`)).join(''));
    utimesSync(path, dayAgo, dayAgo);
    paths.push(path);
  }
  return paths;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds of every thread of the process, in nanoseconds' precision (/proc/<pid>/task/<tid>/schedstat). */
function threadCpuSeconds(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e9;
}

/** Resolves with the time the child first wrote `text` on stderr (no polling delay). */
function whenLogged(w: Watched, text: string, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`ingest-idle: timed out waiting for '${text}': ${w.tail().slice(-1500)}`)), ms);
    const onData = (d: Buffer) => {
      seen = (seen + d.toString()).slice(-(text.length + 8192));
      if (!seen.includes(text)) return;
      const at = performance.now();
      clearTimeout(timer);
      w.child.stderr!.off('data', onData);
      resolve(at);
    };
    w.child.stderr!.on('data', onData);
    void w.exited.then((code) => reject(new Error(`ingest-idle: the ingestor exited (${code}) before '${text}': ${w.tail().slice(-1500)}`)));
  });
}

const median = (xs: number[]) => percentile(xs, 50);

function vmRssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface SizeResult {
  files: number;
  idleCpuPct: number;
  rssMb: number;
  activeP50: number;
  activeP99: number;
  dayOldMax: number;
  dayOldP50: number;
  /** Restart to following, wall seconds: best and median of `restarts` runs. */
  startupBestS: number;
  startupMedianS: number;
  /** CPU seconds the child had used when it was following (median of the runs). */
  startupCpuS: number;
  restarts: number;
  sweepS: number;
  /** One-minute load average of the machine during the start-up runs and at the end of the idle window. */
  loadStartup: number;
  loadIdle: number;
}

interface Plan {
  idleSeconds: number;
  settleSeconds: number;
  restarts: number;
}

const FOLLOWING = 'backfill acknowledged; following';

async function measureSize(nc: NatsConnection, files: number, plan: Plan, log: (l: string) => void): Promise<SizeResult> {
  const { idleSeconds, settleSeconds, restarts } = plan;
  const root = mkdtempSync(join(tmpdir(), 'ccpulse-bench-idle-'));
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const names = { CCPULSE_STREAM: `B_IDLE_${suffix}`, CCPULSE_OFFSETS_BUCKET: `b-idle-${suffix}`, CCPULSE_SUBJECT_PREFIX: `bidle${suffix}` };
  const sweepMs = 300_000;
  const env = { ...process.env, ...names, CCPULSE_USER: 'bench', CCPULSE_HOST: 'benchhost', INGEST_METRICS_PORT: '0', LOG_LEVEL: 'info', INGEST_SWEEP_MS: String(sweepMs) };
  const jsm = await jetstreamManager(nc);
  let child: Watched | undefined;
  const arrivals = new Map<string, number>();
  const sub = nc.subscribe(`${names.CCPULSE_SUBJECT_PREFIX}.entries.>`, {
    callback: (_err, msg) => {
      const id = msg.headers?.get('Nats-Msg-Id');
      if (id) arrivals.set(id, performance.now());
    },
  });
  const spawnIngest = () => watch('ingest', process.execPath, [join(REPO, 'bin', 'ccpulse.js'), 'ingest', '--dir', root], env);
  try {
    const paths = generate(root, files);
    log(`ingest-idle: ${files} files generated; backfilling`);
    child = spawnIngest();
    await whenLogged(child, FOLLOWING, 600_000);
    await until('every line on the stream', async () => (await jsm.streams.info(names.CCPULSE_STREAM)).state.messages >= files * LINES_PER_FILE, 120_000, { everyMs: 50 });

    // Restarts over the unchanged history: spawn to following, several times (the machine's load varies).
    const walls: number[] = [];
    const cpus: number[] = [];
    const loads: number[] = [];
    for (let run = 0; run < restarts; run++) {
      await stopChild(child);
      const t0 = performance.now();
      child = spawnIngest();
      const at = await whenLogged(child, FOLLOWING, 600_000);
      cpus.push(threadCpuSeconds(child.child.pid!));
      walls.push((at - t0) / 1000);
      loads.push(loadavg()[0]);
    }
    const startupBestS = Math.min(...walls);
    const startupMedianS = median(walls);
    log(`ingest-idle: ${files} files: restart to following ${walls.map((w) => w.toFixed(2)).join(', ')} s (CPU ${cpus.map((c) => c.toFixed(2)).join(', ')} s); settling ${settleSeconds} s, idle for ${idleSeconds} s`);

    // Idle: the window begins once the start-up's garbage collections and compilations are over.
    await sleep(settleSeconds * 1000);
    const cpu0 = threadCpuSeconds(child.child.pid!);
    const w0 = performance.now();
    await sleep(idleSeconds * 1000);
    const idleCpuPct = ((threadCpuSeconds(child.child.pid!) - cpu0) / ((performance.now() - w0) / 1000)) * 100;
    const rssMb = vmRssMb(child.child.pid!);
    const loadIdle = loadavg()[0];

    const probe = async (path: string, session: string, uuid: string): Promise<number> => {
      const id = `bench:${session}:${uuid}`;
      const at = performance.now();
      appendFileSync(path, lineOf(session, uuid));
      await until(`probe ${id}`, () => arrivals.has(id), sweepMs + 10_000, { everyMs: 50 });
      return arrivals.get(id)! - at;
    };
    // An active file: appended every 200 ms, the probes among the appends.
    const active: number[] = [];
    for (let i = 0; i < 40; i++) {
      active.push(await probe(paths[0], 's0', `active-${i}`));
      await sleep(200);
    }
    // Files untouched for a day (mtime and the ingestor's view): one probe each.
    const dayOld: number[] = [];
    for (let i = 0; i < 10; i++) {
      const k = 1 + Math.floor(((files - 1) * i) / 10);
      dayOld.push(await probe(paths[k], `s${k}`, `dayold-${i}`));
      await sleep(300);
    }
    return {
      files,
      idleCpuPct,
      rssMb,
      activeP50: percentile(active, 50),
      activeP99: percentile(active, 99),
      dayOldP50: percentile(dayOld, 50),
      dayOldMax: Math.max(...dayOld),
      startupBestS,
      startupMedianS,
      startupCpuS: median(cpus),
      restarts,
      sweepS: sweepMs / 1000,
      loadStartup: median(loads),
      loadIdle,
    };
  } finally {
    sub.unsubscribe();
    await stopChild(child);
    for (const name of [names.CCPULSE_STREAM, `KV_${names.CCPULSE_OFFSETS_BUCKET}`]) await jsm.streams.delete(name).catch(() => false);
    rmSync(root, { recursive: true, force: true });
  }
}

function writeResults(results: SizeResult[], plan: Plan): void {
  const dir = join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(join(dir, 'ingest-idle.json'), JSON.stringify({ at, ...plan, results }, null, 2) + '\n');
  const f = (v: number, d = 1) => v.toFixed(d);
  const md = [
    `# ingest-idle (${at}; idle window ${plan.idleSeconds} s from ${plan.settleSeconds} s after following; sweep ${results[0]?.sweepS ?? '-'} s; ${plan.restarts} restarts per size)`,
    '',
    '| files | idle CPU (% of a core) | RSS (MB) | append → publish, active p50 / p99 (ms) | append → publish, idle a day p50 / max (ms) | restart to following, best / median (s) | CPU to following (s) | load average, start-up / idle |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.files} | ${f(r.idleCpuPct, 3)} | ${f(r.rssMb)} | ${f(r.activeP50)} / ${f(r.activeP99)} | ${f(r.dayOldP50)} / ${f(r.dayOldMax)} | ${f(r.startupBestS, 2)} / ${f(r.startupMedianS, 2)} | ${f(r.startupCpuS, 2)} | ${f(r.loadStartup)} / ${f(r.loadIdle)} |`,
    ),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'ingest-idle.md'), md);
}

export const ingestIdleBench: Bench = {
  name: 'ingest-idle',
  async run(log) {
    const plan: Plan = {
      idleSeconds: Number(process.env.IDLE_SECONDS ?? 60),
      settleSeconds: Number(process.env.IDLE_SETTLE_SECONDS ?? 30),
      restarts: Math.max(1, Number(process.env.IDLE_RESTARTS ?? 5)),
    };
    const sizes = (process.env.IDLE_SIZES ?? '200,4000,10000').split(',').map(Number);
    const nc = await connect({ servers: process.env.NATS_URL || 'nats://127.0.0.1:4222' });
    const results: SizeResult[] = [];
    try {
      for (const files of sizes) results.push(await measureSize(nc, files, plan, log));
    } finally {
      await nc.drain();
    }
    writeResults(results, plan);
    const rows: BenchRow[] = [];
    for (const r of results) {
      const b = `ingest-idle ${r.files}`;
      rows.push({ bench: b, metric: 'idle CPU', value: r.idleCpuPct, unit: '% core', baseline: r.files >= 10_000 ? 0.5 : r.files <= 200 ? 0.2 : undefined, baselineName: 'target', target: r.files >= 10_000 || r.files <= 200 ? { ratio: 1, better: 'lower' } : undefined });
      rows.push({ bench: b, metric: 'RSS', value: r.rssMb, unit: 'MB', baseline: 150, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
      rows.push({ bench: b, metric: 'append → publish, active p99', value: r.activeP99, unit: 'ms', baseline: 50, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
      rows.push({ bench: b, metric: 'append → publish, idle a day (max)', value: r.dayOldMax, unit: 'ms', baseline: r.sweepS * 1000, baselineName: 'sweep', target: { ratio: 1, better: 'lower' } });
      rows.push({ bench: b, metric: 'restart to following (median)', value: r.startupMedianS, unit: 's', baseline: 2, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
      rows.push({ bench: b, metric: 'restart to following (best)', value: r.startupBestS, unit: 's' });
      rows.push({ bench: b, metric: 'CPU to following', value: r.startupCpuS, unit: 's' });
    }
    return rows;
  },
};
