/**
 * `npm run bench:smoke`: the suite on a ~20 MB corpus in well under a minute, checking ratios
 * only — each against a bound an order of magnitude looser than the real target — so CI catches
 * a 10× regression without ever depending on this machine's absolute speed. Exit 1 on a breach.
 */
import { join } from 'node:path';
import { ensureBenchCorpus, parseSize } from './corpus.generator';
import { fmt, textTable, type Figure, type SizeRun } from './figures';
import { measureSize } from './measure-size';
import { machine } from './suite';

/** One smoke check: `value of key` / (`baseline of key` or `value of over`) against a bound. */
interface SmokeCheck {
  name: string;
  key: string;
  /** Divide by this figure's value instead of the figure's own baseline. */
  over?: string;
  bound: number;
  better: 'higher' | 'lower';
}

export const SMOKE_CHECKS: SmokeCheck[] = [
  { name: 'report daily vs ccusage v18 (target ≤ 0.5×)', key: 'report.daily', bound: 2, better: 'lower' },
  // On ~20 MB, Node's start-up is a large share of every process: compare with the parse limit run
  // as a process too, not with its in-process rate.
  { name: 'report rate vs parse-limit process (target ≥ 0.6×)', key: 'report.rate', over: 'limit.parse.process', bound: 0.06, better: 'higher' },
  { name: 'ingest rate vs parse-limit process (target ≥ 0.4×)', key: 'cold.ingest.rate', over: 'limit.parse.process', bound: 0.04, better: 'higher' },
  { name: 'cold backfill to queryable vs ccusage v18 (target ≤ 1×, stretch ≤ 0.67×)', key: 'cold.queryable', bound: 6.7, better: 'lower' },
  { name: 'warm query p50 vs ccusage v18 (target ≤ 0.01×)', key: 'warm.query.p50', bound: 0.1, better: 'lower' },
  { name: 'replay rate vs cold ingest→drained rate', key: 'replay.rate', over: 'cold.entries.rate', bound: 0.1, better: 'higher' },
];

export function checkSmoke(run: SizeRun): { rows: string[][]; failed: string[] } {
  const byKey = new Map<string, Figure>(run.figures.map((f) => [f.key, f]));
  const rows: string[][] = [['check', 'ratio', 'bound', '']];
  const failed: string[] = [];
  for (const c of SMOKE_CHECKS) {
    const f = byKey.get(c.key);
    const base = c.over ? byKey.get(c.over)?.value : f?.baseline;
    if (!f || !base) {
      rows.push([c.name, 'not measured', '-', 'skipped']);
      continue;
    }
    const ratio = f.value / base;
    const ok = c.better === 'higher' ? ratio >= c.bound : ratio <= c.bound;
    rows.push([c.name, `${fmt(ratio)}×`, `${c.better === 'higher' ? '≥' : '≤'} ${c.bound}×`, ok ? 'ok' : 'REGRESSION']);
    if (!ok) failed.push(c.name);
  }
  return { rows, failed };
}

export async function runSmoke(argv: string[], repo: string): Promise<number> {
  const i = argv.indexOf('--size');
  const bytes = parseSize(i >= 0 ? argv[i + 1] : '20MB');
  const log = (l: string) => console.error(l);
  const t0 = performance.now();
  const facts = machine();
  log(`bench:smoke: ${facts.cores} cores, Node ${facts.node}`);
  const corpus = ensureBenchCorpus(repo, join(repo, 'bench', 'corpus'), bytes, 9, log);
  const run = await measureSize(corpus, { repo, size: `${Math.round(bytes / 1024 ** 2)}MB`, queryRepeats: 10, liveProbes: 0, appendMb: 0, replay: true, log });
  const { rows, failed } = checkSmoke(run);
  console.log(textTable(rows));
  console.log(`bench:smoke: ${((performance.now() - t0) / 1000).toFixed(0)} s; ${failed.length ? `REGRESSION in: ${failed.join('; ')}` : 'all ratios within bounds'}`);
  return failed.length ? 1 : 0;
}
