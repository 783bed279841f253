/**
 * Ingest throughput: the whole ingestor (read by bytes, parse, slim, publish with PubAcks,
 * checkpoints) into a throwaway local stream, next to a raw `JSON.parse` per line over the same
 * bytes in the same process. Data: the shared fixtures copied with fresh uuids until ≥ 200 MB
 * (or generated lines when the fixtures are absent).
 *
 *   npm run build && node dist/bench/ingest.bench.js [--mb 200] [--rss-gb 1]
 *
 * `--rss-gb N` also runs the built `ccpulse ingest` (following) while an N GB transcript is
 * written, sampling its RSS (target < 150 MB).
 */
import './ingest-dist-aliases';
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pino from 'pino';
import { ensureEntriesStream, natsServerIfInstalled } from '@ccpulse/runtime';
import type { Bench, BenchRow } from './bench';
import { loadIngestConfig } from '../apps/ingestor/src/config/ingest-config';
import { Ingestor } from '../apps/ingestor/src/ingest/ingestor';
import { createIngestorMetrics } from '../apps/ingestor/src/metrics/ingestor.metrics';
import { OffsetsStore } from '../apps/ingestor/src/nats/offsets.store';
import { PublishWindow } from '../apps/ingestor/src/publish/publish-window';

const MB = 1024 * 1024;
const REPO = resolve(__dirname, __filename.endsWith('.js') ? '../..' : '..');
/** Set when the bench runs (the fallback servers may set NATS_URL after this module loaded). */
let NATS_URL = 'nats://127.0.0.1:4222';

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** A private nats-server (when the binary exists and NATS_URL is not forced), so its CPU can be counted too. */
async function ownNatsServer(): Promise<{ pid: number; stop(): void } | undefined> {
  const natsServer = process.env.NATS_URL ? undefined : natsServerIfInstalled(process.env);
  if (!natsServer) return undefined;
  const store = mkdtempSync(join(tmpdir(), 'ccpulse-bench-js-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(natsServer, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
  NATS_URL = `nats://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await (await connect({ servers: NATS_URL })).close();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { pid: server.pid!, stop: () => (server.kill('SIGTERM'), setTimeout(() => rmSync(store, { recursive: true, force: true }), 500)) };
}

function listJsonl(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listJsonl(path, out);
    else if (name.endsWith('.jsonl')) out.push(path);
  }
  return out;
}

/** Copies of the fixtures with per-copy uuids (so every line is a new message) up to `mb`. */
function corpus(dir: string, mb: number): { bytes: number; source: string } {
  const fixtures = resolve(process.env.CCPULSE_FIXTURES || join(REPO, '../shared/fixtures'), 'claude/projects');
  const sources = existsSync(fixtures) ? listJsonl(fixtures).map((f) => readFileSync(f, 'latin1')) : [];
  let bytes = 0;
  for (let copy = 0; bytes < mb * MB; copy++) {
    const project = join(dir, 'projects', `copy-${copy}`);
    mkdirSync(project, { recursive: true });
    if (sources.length) {
      sources.forEach((text, i) => {
        const data = text.replaceAll('"uuid":"', `"uuid":"c${copy}-`).replaceAll('"sessionId":"', `"sessionId":"c${copy}-`);
        appendFileSync(join(project, `s${i}.jsonl`), data, 'latin1');
        bytes += data.length;
      });
    } else {
      const lines: string[] = [];
      for (let i = 0; i < 20_000; i++) lines.push(syntheticLine(`c${copy}`, i));
      const data = lines.join('');
      appendFileSync(join(project, 'synthetic.jsonl'), data);
      bytes += Buffer.byteLength(data);
    }
  }
  return { bytes, source: sources.length ? 'fixtures' : 'generated' };
}

function syntheticLine(session: string, i: number, pad = 600): string {
  return JSON.stringify({
    type: i % 2 ? 'assistant' : 'user', uuid: `${session}-${i}`, sessionId: session, timestamp: '2026-01-01T00:00:00.000Z',
    message: { id: `m-${session}-${i}`, model: 'claude-sonnet-4-5', usage: { input_tokens: 3, output_tokens: i % 50 }, content: [{ type: 'text', text: 'x'.repeat(pad) }] },
  }) + '\n';
}

/** The baseline: each file read whole and every non-blank line handed to JSON.parse. */
function baseline(dir: string): { seconds: number; cpu: number; lines: number; bytes: number } {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let lines = 0;
  let bytes = 0;
  for (const file of listJsonl(dir)) {
    const buf = readFileSync(file);
    bytes += buf.length;
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; start = nl + 1, nl = buf.indexOf(10, start)) {
      if (nl === start) continue;
      try {
        JSON.parse(buf.toString('utf8', start, nl));
      } catch {
        // counted like any line
      }
      lines++;
    }
  }
  const used = process.cpuUsage(cpu0);
  return { seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6, lines, bytes };
}

async function ingest(dir: string, serverPid?: number): Promise<{ seconds: number; cpu: number; serverCpu: number; lines: number; bytes: number; published: number }> {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const config = loadIngestConfig(
    { NATS_URL, CCPULSE_USER: 'bench', CCPULSE_HOST: 'bench', CCPULSE_STREAM: `BENCH_${suffix}`, CCPULSE_OFFSETS_BUCKET: `bench-${suffix}`, CCPULSE_SUBJECT_PREFIX: `b${suffix}` },
    { once: true, help: false, dir },
  );
  const nc = await connect({ servers: config.natsServers });
  const jsm = await jetstreamManager(nc);
  try {
    await ensureEntriesStream(jsm, config);
    const offsets = await OffsetsStore.open(nc, config.offsetsBucket, config.host);
    const metrics = createIngestorMetrics({ defaults: false });
    const log = pino({ level: 'silent' });
    const window = new PublishWindow(nc, config.publishWindow, metrics, log);
    const ingestor = new Ingestor({ config, nc, window, offsets, metrics, log });
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const server0 = serverPid ? cpuSeconds(serverPid) : NaN;
    await ingestor.backfill();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    const serverCpu = serverPid ? cpuSeconds(serverPid) - server0 : NaN;
    await ingestor.stop();
    const value = async (c: { get(): Promise<{ values: { value: number }[] }> }) => (await c.get()).values.reduce((n, v) => n + v.value, 0);
    return { seconds, cpu, serverCpu, lines: await value(metrics.linesRead), bytes: await value(metrics.bytesRead), published: await value(metrics.published) };
  } finally {
    for (const name of [config.stream, `KV_${config.offsetsBucket}`]) await jsm.streams.delete(name).catch(() => false);
    await nc.drain();
  }
}

/** Peak RSS of the built `ccpulse ingest` while a transcript of `gb` GB is written next to it. */
async function tailRss(gb: number): Promise<{ peakMb: number; seconds: number; lag: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ccpulse-rss-'));
  const project = join(dir, 'projects', 'big');
  mkdirSync(project, { recursive: true });
  const suffix = `${Date.now().toString(36)}`;
  const env = { ...process.env, NATS_URL, CCPULSE_USER: 'bench', CCPULSE_HOST: 'bench', INGEST_METRICS_PORT: '0', INGEST_POLL_MS: '500', CCPULSE_STREAM: `BENCHRSS_${suffix}`, CCPULSE_OFFSETS_BUCKET: `benchrss-${suffix}`, CCPULSE_SUBJECT_PREFIX: `br${suffix}`, LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, [join(REPO, 'bin/ccpulse.js'), 'ingest', '--dir', dir], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // exited
    }
  }, 100);
  const started = performance.now();
  const fd = openSync(join(project, 'session.jsonl'), 'a');
  const block: string[] = [];
  for (let i = 0; i < 2000; i++) block.push(syntheticLine('big', i, 8000));
  let written = 0;
  let lines = 0;
  for (let round = 0; written < gb * 1024 * MB; round++) {
    written += writeSync(fd, block.join('').replaceAll('"uuid":"big-', `"uuid":"r${round}-`));
    lines += block.length;
    await new Promise((r) => setTimeout(r, 5));
  }
  closeSync(fd);
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  let count = 0;
  for (let i = 0; i < 3000 && count < lines; i++) {
    count = (await jsm.streams.info(env.CCPULSE_STREAM).catch(() => ({ state: { messages: 0 } }))).state.messages;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  clearInterval(sampler);
  for (const name of [env.CCPULSE_STREAM, `KV_${env.CCPULSE_OFFSETS_BUCKET}`]) await jsm.streams.delete(name).catch(() => false);
  await nc.drain();
  rmSync(dir, { recursive: true, force: true });
  return { peakMb: peak, seconds, lag: lines - count };
}

interface IngestFigures {
  base: { seconds: number; cpu: number; lines: number; bytes: number };
  ingest: { seconds: number; cpu: number; serverCpu: number; lines: number; bytes: number; published: number };
  rss?: { peakMb: number; seconds: number; lag: number };
}

/** Builds the corpus, runs the baseline and the ingestor over it, then (optionally) the RSS check. */
async function measure(mb: number, rssGb: number, log: (line: string) => void): Promise<IngestFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ccpulse-bench-'));
  NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const server = await ownNatsServer();
  log(`ingest bench: NATS ${NATS_URL}${server ? ' (private nats-server, its CPU counted)' : ''}`);
  try {
    const { bytes, source } = corpus(dir, mb);
    log(`ingest bench: corpus ${(bytes / MB).toFixed(0)} MB (${source})`);
    baseline(dir); // warm the page cache and the JIT for both contenders
    const base = baseline(dir);
    const ingestRun = await ingest(dir, server?.pid);
    rmSync(dir, { recursive: true, force: true });
    const rss = rssGb > 0 ? await tailRss(rssGb) : undefined;
    return { base, ingest: ingestRun, rss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    server?.stop();
  }
}

const mbps = (r: { bytes: number; seconds: number }) => r.bytes / MB / r.seconds;
const mbPerCpu = (bytes: number, cpu: number) => bytes / MB / cpu;

/**
 * The fastest wall-clock rate this machine could give the run: every core busy with nothing but
 * the ingestor and its nats-server, at the CPU per MB they used. The baseline is one thread on
 * one core, so on few cores this caps the wall-clock ratio whatever the ingestor overlaps
 * (threads, I/O): with the nats-server on the same two cores, 0.4× needs ingestor + server to
 * cost at most 5× the baseline's CPU per MB.
 */
function coreBound(run: { bytes: number; cpu: number; serverCpu: number }): { cores: number; mbps: number } {
  const cores = availableParallelism();
  return { cores, mbps: (cores * run.bytes) / MB / (run.cpu + run.serverCpu) };
}

/** Registered in bench/index.ts; sizes from INGEST_BENCH_MB (200) and INGEST_BENCH_RSS_GB (1; 0 skips). */
export const ingestBench: Bench = {
  name: 'ingest',
  async run(log) {
    const mb = Number(process.env.INGEST_BENCH_MB || 200);
    const rssGb = Number(process.env.INGEST_BENCH_RSS_GB ?? 1);
    const { base, ingest: run1, rss } = await measure(mb, rssGb, log);
    const rows: BenchRow[] = [
      { bench: 'ingest', metric: 'throughput into JetStream', value: mbps(run1), unit: 'MB/s', baseline: mbps(base), baselineName: 'JSON.parse per line', target: { ratio: 0.4, better: 'higher' } },
      { bench: 'ingest', metric: 'lines into JetStream', value: run1.lines / run1.seconds, unit: 'lines/s', baseline: base.lines / base.seconds, baselineName: 'JSON.parse per line' },
      { bench: 'ingest', metric: 'ingestor CPU cost', value: mbPerCpu(run1.bytes, run1.cpu), unit: 'MB/cpu-s', baseline: mbPerCpu(base.bytes, base.cpu), baselineName: 'JSON.parse per line' },
    ];
    if (Number.isFinite(run1.serverCpu)) {
      rows.push({ bench: 'ingest', metric: 'ingestor + nats-server CPU cost', value: mbPerCpu(run1.bytes, run1.cpu + run1.serverCpu), unit: 'MB/cpu-s', baseline: mbPerCpu(base.bytes, base.cpu), baselineName: 'JSON.parse per line' });
      const bound = coreBound(run1);
      rows.push({ bench: 'ingest', metric: `throughput bound on ${bound.cores} cores (that CPU cost, every core busy)`, value: bound.mbps, unit: 'MB/s', baseline: mbPerCpu(base.bytes, base.cpu), baselineName: 'JSON.parse per line on a whole core' });
    }
    if (rss) {
      rows.push({ bench: 'ingest', metric: `peak RSS tailing ${rssGb} GB`, value: rss.peakMb, unit: 'MB', baseline: 150, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
      log(`ingest bench: tailed ${rssGb} GB in ${rss.seconds.toFixed(0)} s; ${rss.lag} lines missing from the stream at stop`);
    }
    return rows;
  },
};

export async function run(argv: string[]): Promise<number> {
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const { base, ingest: run1, rss } = await measure(arg('--mb', 200), arg('--rss-gb', 0), (l) => console.log(l));
  console.log(`baseline JSON.parse/line: ${mbps(base).toFixed(1)} MB/s, ${Math.round(base.lines / base.seconds)} lines/s`);
  console.log(`ingest → JetStream:       ${mbps(run1).toFixed(1)} MB/s, ${Math.round(run1.lines / run1.seconds)} lines/s (${run1.published} published)`);
  console.log(`ratio ingest/baseline: ${(mbps(run1) / mbps(base)).toFixed(2)}× wall-clock (target ≥ 0.4×)`);
  // On a shared, busy machine wall-clock mostly measures the neighbours; CPU per MB does not.
  const both = Number.isFinite(run1.serverCpu) ? mbPerCpu(run1.bytes, run1.cpu + run1.serverCpu) : NaN;
  console.log(
    `CPU: baseline ${mbPerCpu(base.bytes, base.cpu).toFixed(1)} MB/cpu-s; ingestor ${mbPerCpu(run1.bytes, run1.cpu).toFixed(1)} MB/cpu-s` +
      (Number.isFinite(both) ? `, ingestor + nats-server ${both.toFixed(1)} MB/cpu-s → ratio ${(both / mbPerCpu(base.bytes, base.cpu)).toFixed(2)}×` : ''),
  );
  if (Number.isFinite(both)) {
    const bound = coreBound(run1);
    const parseCore = mbPerCpu(base.bytes, base.cpu);
    console.log(`bound on ${bound.cores} cores at that CPU cost: ${bound.mbps.toFixed(1)} MB/s → ${(bound.mbps / parseCore).toFixed(2)}× the baseline on a whole core (${parseCore.toFixed(1)} MB/s)`);
  }
  if (rss) console.log(`tailing a ${arg('--rss-gb', 0)} GB transcript: peak RSS ${rss.peakMb.toFixed(0)} MB (target < 150 MB), ${rss.seconds.toFixed(0)} s, ${rss.lag} lines not yet in the stream at stop`);
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => (process.exitCode = code), (err) => { console.error(err); process.exitCode = 1; });
}
