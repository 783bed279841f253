/**
 * The counting core's hot paths on the fixtures replicated to ≥ 200 MB:
 * 1. parse + slim + classify (parseLine → toEntry → classifyEvents + usageRecordOf) in MB/s,
 *    next to a raw `JSON.parse` per line over the same lines in the same process (target ≥ 0.6×);
 * 2. `ccpulse report daily --json` wall time next to `ccusage daily --json --offline` on the same
 *    files (CLAUDE_CONFIG_DIR = the corpus): ccusage v18 (target ≤ 0.5×), and ccusage v20's native
 *    binary (no target) where its platform package is installed.
 * Env: BENCH_CORPUS_MB (default 200).
 */
import './ingest-dist-aliases';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifyEvents, isBlankLine, parseLine, toEntry, usageRecordOf } from '@ccpulse/domain';
import { readLines } from '../libs/report/src/line-reader';
import type { Bench, BenchRow } from './bench';
import { ensureCorpus, REPO } from './domain-corpus';
import { CCUSAGE_V20_DAILY_ARGS, ccusageV20, ownHome } from './full/ccusage-v20';

const MB = 1024 * 1024;

type PerLine = (line: Buffer, file: string) => void;

/** CPU seconds of this process (user + system): steadier than wall time on a shared machine. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Both passes file by file, interleaved (and alternating which goes first), so a burst of load
 * from other processes hits both alike. Returns CPU seconds per pass.
 */
async function timeInterleaved(files: string[], a: PerLine, b: PerLine, rounds: number): Promise<[number, number]> {
  const spent: [number, number] = [0, 0];
  const pass = async (file: string, fn: PerLine, slot: 0 | 1) => {
    const t0 = cpuSeconds();
    for await (const split of readLines(file, { final: true })) if (split.kind === 'line') fn(split.bytes, file);
    spent[slot] += cpuSeconds() - t0;
  };
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < files.length; i++) {
      if ((i + r) % 2 === 0) {
        await pass(files[i], a, 0);
        await pass(files[i], b, 1);
      } else {
        await pass(files[i], b, 1);
        await pass(files[i], a, 0);
      }
    }
  }
  return [spent[0] / rounds, spent[1] / rounds];
}

function wallSeconds(cmd: string, args: string[], env: NodeJS.ProcessEnv): { seconds: number; ok: boolean; detail: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * MB });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, ok: r.status === 0, detail: r.status === 0 ? '' : `${cmd} exited ${r.status}: ${(r.stderr || '').slice(0, 300)}` };
}

export const domainBench: Bench = {
  name: 'domain',
  async run(log) {
    const mb = Number(process.env.BENCH_CORPUS_MB || 200);
    const corpus = ensureCorpus(mb);
    if (!corpus) {
      log('domain bench: the shared fixtures are absent (set CCPULSE_FIXTURES); skipped');
      return [];
    }
    const mbs = corpus.bytes / MB;
    log(`domain bench: ${corpus.files.length} files, ${mbs.toFixed(0)} MB under ${corpus.configDir}`);
    const rows: BenchRow[] = [];

    // Warm the page cache and the JIT once, then take the best of two runs each.
    let sink = 0;
    const raw = (line: Buffer) => {
      if (isBlankLine(line)) return;
      try {
        sink += JSON.parse(line.toString('utf8')) ? 1 : 0;
      } catch {
        sink--;
      }
    };
    const ours = (line: Buffer, file: string) => {
      if (isBlankLine(line)) return;
      const p = parseLine(line);
      if (!p.ok) return;
      const entry = toEntry(p.value, { file });
      sink += classifyEvents(entry, 'k').length + (usageRecordOf(entry, 'k') ? 1 : 0);
    };
    await timeInterleaved(corpus.files.slice(0, 40), raw, ours, 1); // warm the JIT and page cache
    const [baseline, core] = await timeInterleaved(corpus.files, raw, ours, 2);
    rows.push({ bench: 'domain', metric: 'parse+slim+classify (CPU time)', value: mbs / core, unit: 'MB/s', baseline: mbs / baseline, baselineName: 'JSON.parse per line', target: { ratio: 0.6, better: 'higher' } });
    log(`domain bench: parse ${(mbs / core).toFixed(1)} MB/s, JSON.parse ${(mbs / baseline).toFixed(1)} MB/s (${sink})`);

    const ccpulse = join(REPO, 'bin', 'ccpulse.js');
    // By path, as the suite does: node_modules/.bin/ccusage may be another installed ccusage's launcher.
    const ccusage = join(REPO, 'node_modules', 'ccusage', 'dist', 'index.js');
    const env = { CLAUDE_CONFIG_DIR: corpus.configDir, TZ: 'UTC' };
    const report = wallSeconds(process.execPath, [ccpulse, 'report', 'daily', '--json', '-z', 'UTC'], env);
    if (!report.ok) log(report.detail);
    if (existsSync(ccusage)) {
      const theirs = wallSeconds(process.execPath, [ccusage, 'daily', '--json', '--offline', '-z', 'UTC'], env);
      if (!theirs.ok) log(theirs.detail);
      rows.push({ bench: 'domain', metric: 'report daily --json', value: report.seconds, unit: 's', baseline: theirs.seconds, baselineName: 'ccusage v18 daily --json --offline', target: { ratio: 0.5, better: 'lower' } });
    } else {
      rows.push({ bench: 'domain', metric: 'report daily --json', value: report.seconds, unit: 's' });
    }
    const v20 = ccusageV20(REPO);
    if (v20) {
      const home = ownHome(env);
      try {
        const theirs20 = wallSeconds(v20.bin, CCUSAGE_V20_DAILY_ARGS, home.env);
        if (!theirs20.ok) log(theirs20.detail);
        rows.push({ bench: 'domain', metric: 'report daily --json', value: report.seconds, unit: 's', baseline: theirs20.seconds, baselineName: 'ccusage v20 daily --json --offline' });
      } finally {
        home.remove();
      }
    }
    return rows;
  },
};
