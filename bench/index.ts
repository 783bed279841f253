/**
 * `npm run bench`: the performance suite (bench/full/suite.ts: corpus at 250 MB and 1 GB, every
 * figure next to its same-run baseline, results in bench/results/). `npm run bench:smoke`: the
 * ratio-only smoke check CI runs. `npm run bench -- name…`: the registered hot-path benches below,
 * one table of figures next to their same-run baselines. Register a bench by adding it below.
 */
import './ingest-dist-aliases';
import { aggregatorBench } from './aggregator.bench';
import { apiBench } from './api.bench';
import type { Bench, BenchRow } from './bench';
import { dbUpsertBench } from './db-upsert.bench';
import { domainBench } from './domain.bench';
import { ingestBench } from './ingest.bench';
import { ingestIdleBench } from './ingest-idle.bench';
import { liveBench } from './live.bench';
import { REPO } from './domain-corpus';
import { withBenchServers } from './full/bench-servers';
import { runSmoke } from './full/smoke';
import { runSuite } from './full/suite';

const BENCHES: Bench[] = [domainBench, dbUpsertBench, aggregatorBench, ingestBench, ingestIdleBench, apiBench, liveBench];

function table(rows: BenchRow[]): string {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const cells = rows.map((r) => {
    const ratio = r.baseline ? r.value / r.baseline : undefined;
    const pass = ratio === undefined || !r.target ? '' : (r.target.better === 'higher' ? ratio >= r.target.ratio : ratio <= r.target.ratio) ? 'ok' : 'MISSED';
    return [r.bench, r.metric, `${f(r.value)} ${r.unit}`, r.baseline === undefined ? '-' : `${f(r.baseline)} ${r.unit} (${r.baselineName})`, ratio === undefined ? '-' : `${ratio.toFixed(2)}×`, r.target ? `${r.target.better === 'higher' ? '≥' : '≤'} ${r.target.ratio}×` : '-', pass];
  });
  const header = ['bench', 'metric', 'value', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  return withBenchServers(() => {
    if (argv[0] === '--smoke') return runSmoke(argv.slice(1), REPO);
    if (!argv.length || argv[0].startsWith('--')) return runSuite(argv, REPO);
    return runBenches(argv);
  });
}

async function runBenches(names: string[]): Promise<number> {
  const chosen = names[0] === 'all' ? BENCHES : BENCHES.filter((b) => names.includes(b.name));
  if (names[0] !== 'all' && chosen.length !== names.length) {
    console.error(`unknown bench; known: ${BENCHES.map((b) => b.name).join(', ')}, all (or --size/--smoke for the suite)`);
    return 2;
  }
  const rows: BenchRow[] = [];
  for (const b of chosen) rows.push(...(await b.run((l) => console.error(l))));
  console.log(table(rows));
  return 0;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
