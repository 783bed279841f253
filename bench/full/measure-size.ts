/**
 * Every figure of the suite for one corpus, each next to its baseline from the same run:
 * read limit (`cat`), parse limit (`JSON.parse` per line), ccusage v18 and v20 vs `ccpulse report daily`,
 * cold backfill (ingest, then aggregator drained, then the first `usage` answer), the warm query,
 * both reports again after appending 1 MB, live latency, replay, and each process's peak RSS.
 */
import { closeSync, existsSync, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BenchStack } from './bench-stack';
import { CCUSAGE_V20_DAILY_ARGS, ccusageV20, ownHome } from './ccusage-v20';
import { percentile, runMeasured, runOk } from './child-process';
import { listJsonl, retag, type CorpusManifest } from './corpus.generator';
import type { Figure, SizeRun } from './figures';
import { LIVE_STAGES, measureLive } from './live-latency';

const MB = 1024 * 1024;

/** Which parts to run: the smoke run leaves out the slow or absolute-only ones. */
export interface MeasureOptions {
  repo: string;
  size: string;
  queryRepeats: number;
  /** 0 skips the live figure. */
  liveProbes: number;
  appendMb: number;
  replay: boolean;
  log: (line: string) => void;
}

const USAGE_QUERY = 'query { usage(from: "2020-01-01", to: "2029-12-31", timezone: "UTC", groupBy: [DAY, MODEL]) { day model totalTokens } }';

export async function measureSize(m: CorpusManifest, o: MeasureOptions): Promise<SizeRun> {
  const started = performance.now();
  const figures: Figure[] = [];
  const notes: string[] = [];
  const add = (f: Figure) => {
    figures.push(f);
    o.log(`  ${f.label}: ${f.value.toFixed(3)} ${f.unit}${f.baseline !== undefined ? ` (baseline ${f.baseline.toFixed(3)} ${f.unit}, ${f.baselineName})` : ''}`);
  };
  const mb = m.bytes / MB;
  const projects = join(m.dir, 'projects');
  const node = process.execPath;
  const ccpulseBin = join(o.repo, 'bin', 'ccpulse.js');
  const ccusageBin = join(o.repo, 'node_modules', 'ccusage', 'dist', 'index.js');
  const hasCcusage = existsSync(ccusageBin);
  const localEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', CLAUDE_CONFIG_DIR: m.dir };
  const ccusage = () => runOk('ccusage daily', node, [ccusageBin, 'daily', '--json', '--offline', '-z', 'UTC'], localEnv);
  // ccusage v20 (the Rust build), its native binary run directly, on the same CLAUDE_CONFIG_DIR.
  const v20 = ccusageV20(o.repo);
  const ccusage20 = async () => {
    const home = ownHome(localEnv);
    try {
      return await runOk('ccusage v20 daily', v20!.bin, CCUSAGE_V20_DAILY_ARGS, home.env);
    } finally {
      home.remove();
    }
  };
  const report = () => runOk('ccpulse report daily', node, [ccpulseBin, 'report', 'daily', '--json', '-z', 'UTC'], localEnv);
  const totalOf = (stdout: string) => Number((JSON.parse(stdout) as { totals?: { totalTokens?: number } }).totals?.totalTokens);

  // Limits. cat twice (the first warms the page cache for everyone after it).
  const cat = () => runOk('cat', 'sh', ['-c', 'find "$1" -name "*.jsonl" -print0 | xargs -0 cat > /dev/null', 'sh', projects], localEnv);
  await cat();
  const catRun = await cat();
  add({ key: 'limit.read', label: 'read limit: cat > /dev/null', value: mb / catRun.seconds, unit: 'MB/s' });
  const parse = await runOk('parse limit', node, [join(__dirname, 'parse-limit.js'), projects], localEnv);
  const parsed = JSON.parse(parse.stdout) as { bytes: number; lines: number; seconds: number };
  const parseMbps = parsed.bytes / MB / parsed.seconds;
  add({ key: 'limit.parse', label: 'parse limit: JSON.parse per line', value: parseMbps, unit: 'MB/s' });
  // The same child's wall time, Node start-up included: the fair peer of whole-process figures on small corpora.
  add({ key: 'limit.parse.process', label: 'parse limit as a process (incl. start-up)', value: parsed.bytes / MB / parse.seconds, unit: 'MB/s' });

  // ccusage v18, ccusage v20 and report daily, same files, one after the other. The targets are
  // against v18 (the baseline they were set on); the v20 rows carry their ratio without a target.
  const theirs = hasCcusage ? await ccusage() : undefined;
  const theirs20 = v20 ? await ccusage20() : undefined;
  const ours = await report();
  if (theirs) add({ key: 'ccusage.daily', label: 'ccusage v18 daily --json --offline', value: theirs.seconds, unit: 's' });
  else notes.push('ccusage 18 is not installed: its figures and ratios are left out');
  if (theirs20) {
    add({ key: 'ccusage20.daily', label: 'ccusage v20 daily --json --offline', value: theirs20.seconds, unit: 's', ...(theirs ? { baseline: theirs.seconds, baselineName: 'ccusage v18' } : {}) });
    notes.push(`ccusage v20: the native binary of ${v20!.pkg}@${v20!.version}, run directly`);
  } else notes.push(`ccusage 20 has no native binary installed for ${process.platform}-${process.arch}: its figures and ratios are left out`);
  notes.push(`total tokens: ${theirs ? `ccusage v18 ${totalOf(theirs.stdout)}, ` : ''}${theirs20 ? `ccusage v20 ${totalOf(theirs20.stdout)}, ` : ''}ccpulse report ${totalOf(ours.stdout)}`);
  add({ key: 'report.daily', label: 'ccpulse report daily --json', value: ours.seconds, unit: 's', ...(theirs ? { baseline: theirs.seconds, baselineName: 'ccusage v18', target: { ratio: 0.5, better: 'lower' as const } } : {}) });
  if (theirs20) add({ key: 'report.daily.v20', label: 'ccpulse report daily --json (vs v20)', value: ours.seconds, unit: 's', baseline: theirs20.seconds, baselineName: 'ccusage v20' });
  if (theirs) add({ key: 'report.daily.cpu', label: 'ccpulse report daily CPU time', value: ours.cpu, unit: 'cpu-s', baseline: theirs.cpu, baselineName: 'ccusage v18 CPU', target: { ratio: 0.5, better: 'lower' } });
  if (theirs20) add({ key: 'report.daily.cpu.v20', label: 'ccpulse report daily CPU time (vs v20)', value: ours.cpu, unit: 'cpu-s', baseline: theirs20.cpu, baselineName: 'ccusage v20 CPU' });
  add({ key: 'report.rate', label: 'report daily rate (wall, incl. start-up)', value: mb / ours.seconds, unit: 'MB/s', baseline: parseMbps, baselineName: 'parse limit', target: { ratio: 0.6, better: 'higher' } });

  o.log(`  starting the stack (${process.env.NATS_URL ? 'NATS_URL' : 'private nats-server'}, throwaway database, aggregator, api)`);
  const stack = await BenchStack.create(o.repo, m.dir);
  try {
    await stack.startServices();
    o.log(`  stack ready: api ${stack.apiUrl}, nats ${stack.natsUrl}`);
    // Cold backfill: empty stream and database → ingest --once → drained → first usage answer.
    const aggCpu0 = stack.aggregator!.cpuSeconds();
    const t0 = performance.now();
    const ingest = await runMeasured('ingest --once', node, [ccpulseBin, 'ingest', '--once', '--dir', m.dir], stack.env);
    if (ingest.code !== 0) throw new Error(`ingest --once exited ${ingest.code}: ${ingest.tail.slice(-1500)}`);
    const t1 = performance.now();
    const messages = await stack.drained(6 * 3600_000);
    // A stream message is a run of lines: rates are per transcript line, as the parse limit counts them.
    const entries = parsed.lines;
    const t2 = performance.now();
    const aggCpu = stack.aggregator!.cpuSeconds() - aggCpu0;
    const rows = (await stack.gql<{ usage: unknown[] }>(USAGE_QUERY)).usage.length;
    const t3 = performance.now();
    if (!rows) throw new Error('the usage query answered no rows after the backfill');
    const ingestS = (t1 - t0) / 1000;
    const aggregateS = (t2 - t1) / 1000;
    const coldS = (t3 - t0) / 1000;
    notes.push(`cold backfill: ${entries} lines in ${messages} stream messages, ${rows} usage rows (day × model)`);
    add({ key: 'cold.ingest', label: 'cold: ingest --once (phase)', value: ingestS, unit: 's' });
    add({ key: 'cold.ingest.rate', label: 'cold: ingest rate', value: mb / ingestS, unit: 'MB/s', baseline: parseMbps, baselineName: 'parse limit', target: { ratio: 0.4, better: 'higher' } });
    add({ key: 'cold.ingest.cpu', label: 'cold: ingest --once CPU rate', value: mb / ingest.cpu, unit: 'MB/cpu-s', baseline: parsed.bytes / MB / parse.cpu, baselineName: 'parse-limit process', target: { ratio: 0.6, better: 'higher' } });
    add({ key: 'cold.aggregate', label: 'cold: aggregator drain after ingest (phase)', value: aggregateS, unit: 's' });
    add({ key: 'cold.aggregate.cpu', label: 'cold: aggregator CPU per entry', value: (aggCpu / entries) * 1e6, unit: 'cpu-µs/entry' });
    add({ key: 'cold.entries.rate', label: 'cold: ingest → drained entries rate', value: entries / ((t2 - t0) / 1000), unit: 'entries/s' });
    // Target ≤ 1×, stretch ≤ 0.67× ccusage v18 recomputing everything.
    add({ key: 'cold.queryable', label: 'cold: backfill to first usage answer (stretch ≤ 0.67×)', value: coldS, unit: 's', ...(theirs ? { baseline: theirs.seconds, baselineName: 'ccusage v18', target: { ratio: 1, better: 'lower' as const } } : {}) });
    if (theirs20) add({ key: 'cold.queryable.v20', label: 'cold: backfill to first usage answer (vs v20)', value: coldS, unit: 's', baseline: theirs20.seconds, baselineName: 'ccusage v20' });
    add({ key: 'rss.ingest.once', label: 'peak RSS: ingest --once', value: ingest.peakMb, unit: 'MB', baseline: 150, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });

    /** Lines appended to the corpus after the cold backfill (they are in the stream a replay reads). */
    let appendedLines = 0;

    // Warm: the same query again and again.
    const times: number[] = [];
    for (let i = 0; i < o.queryRepeats; i++) {
      const q0 = performance.now();
      await stack.gql(USAGE_QUERY);
      times.push(performance.now() - q0);
    }
    const ccusageMs = theirs ? theirs.seconds * 1000 : undefined;
    const vsCcusage = ccusageMs ? { baseline: ccusageMs, baselineName: 'ccusage v18 daily', target: { ratio: 0.01, better: 'lower' as const } } : {};
    add({ key: 'warm.query.p50', label: 'warm: usage(groupBy:[DAY,MODEL]) p50', value: percentile(times, 50), unit: 'ms', ...vsCcusage });
    add({ key: 'warm.query.p99', label: 'warm: usage(groupBy:[DAY,MODEL]) p99', value: percentile(times, 99), unit: 'ms', ...vsCcusage });

    // Warm after appending: both reports rescan; ccpulse's pipeline only reads the new bytes.
    if (o.appendMb > 0) {
      const file = m.bigFile;
      const size = statSync(file).size;
      // Only the head of the (possibly 500 MB) file: a whole read would pass V8's string limit.
      const head = Buffer.alloc(Math.round(o.appendMb * MB) + 200_000);
      const rfd = openSync(file, 'r');
      const got = readSync(rfd, head, 0, head.length, 0);
      closeSync(rfd);
      const source = head.toString('latin1', 0, got);
      const block = retag(source.slice(0, source.lastIndexOf('\n', Math.round(o.appendMb * MB)) + 1), `app${Date.now().toString(36)}`, 0);
      const fd = openSync(file, 'a');
      writeSync(fd, block, null, 'latin1');
      closeSync(fd);
      appendedLines += block.split('\n').length - 1;
      try {
        const theirs2 = hasCcusage ? await ccusage() : undefined;
        const ours2 = await report();
        const a0 = performance.now();
        await stack.run('ingest --once (append)', ['ingest', '--once', '--dir', m.dir]);
        await stack.drained(600_000, messages + 1);
        await stack.gql(USAGE_QUERY);
        const updateS = (performance.now() - a0) / 1000;
        const base2 = theirs2 ? { baseline: theirs2.seconds, baselineName: 'ccusage v18 (after append)' } : {};
        add({ key: 'append.report', label: `+${o.appendMb} MB: report daily`, value: ours2.seconds, unit: 's', ...base2, ...(theirs2 ? { target: { ratio: 0.5, better: 'lower' as const } } : {}) });
        add({ key: 'append.pipeline', label: `+${o.appendMb} MB: ingest --once → drained → usage answer`, value: updateS, unit: 's', ...base2 });
      } finally {
        truncateSync(file, size);
      }
    }

    if (o.liveProbes > 0) {
      const live = await measureLive(stack, o.liveProbes);
      appendedLines += live.backgroundLines + live.probes;
      notes.push(`live: ${live.probes} probes (${live.missed} missed) while ${live.backgroundLines} background lines were appended`);
      notes.push(`live stages p50/p99 ms: ${LIVE_STAGES.map((k) => `${k} ${live.stages[k].p50.toFixed(0)}/${live.stages[k].p99.toFixed(0)}`).join(', ')}`);
      add({ key: 'live.p50', label: 'live: append → subscription p50 (1k lines/s)', value: live.p50, unit: 'ms', baseline: 200, baselineName: 'limit' });
      add({ key: 'live.p99', label: 'live: append → subscription p99 (1k lines/s)', value: live.p99, unit: 'ms', baseline: 200, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
      add({ key: 'rss.ingest.follow', label: 'peak RSS: ingest (following, live)', value: live.followerPeakMb, unit: 'MB', baseline: 150, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
    }

    if (o.replay) {
      // Lines in the stream: the corpus's, plus what the live probes and the appended megabyte added.
      const lines = parsed.lines + appendedLines;
      const cpu0 = stack.aggregator!.cpuSeconds();
      const r = await stack.run('replay --wait', ['replay', '--wait', '--timeout', '21600']);
      add({ key: 'replay.cpu', label: 'replay: aggregator CPU per entry', value: ((stack.aggregator!.cpuSeconds() - cpu0) / lines) * 1e6, unit: 'cpu-µs/entry' });
      add({ key: 'replay.rate', label: 'replay (rebuild from seq 1, swap)', value: lines / r.seconds, unit: 'entries/s', baseline: 50_000, baselineName: 'limit', target: { ratio: 1, better: 'higher' } });
    }

    add({ key: 'rss.aggregator', label: 'peak RSS: aggregator', value: stack.aggregator!.peakMb(), unit: 'MB', baseline: 300, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
    add({ key: 'rss.api', label: 'peak RSS: api', value: stack.api!.peakMb(), unit: 'MB', baseline: 200, baselineName: 'limit', target: { ratio: 1, better: 'lower' } });
  } finally {
    await stack.close();
  }
  add({ key: 'rss.report', label: 'peak RSS: report daily', value: ours.peakMb, unit: 'MB', ...(theirs ? { baseline: theirs.peakMb, baselineName: 'ccusage v18' } : {}) });
  if (theirs20) add({ key: 'rss.report.v20', label: 'peak RSS: report daily (vs v20)', value: ours.peakMb, unit: 'MB', baseline: theirs20.peakMb, baselineName: 'ccusage v20' });
  return {
    size: o.size,
    corpus: { bytes: m.bytes, lines: m.lines, files: listJsonl(projects).length, users: m.users, resumedCopies: m.resumedCopies, bigFileBytes: m.bigFileBytes, source: m.source, seed: m.seed },
    figures,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}
