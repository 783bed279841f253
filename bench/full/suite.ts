/**
 * `npm run bench [-- --size 1GB] [--slope-from 250MB | --no-slope] [--seed N] [--out DIR]`:
 * the performance suite. Generates (or reuses) the corpus at each size, measures every figure at
 * the smaller size first, then at the main one, prints one table (value, same-run baseline, ratio,
 * target, growth per GB) and writes `latest.json` + `latest.md` under `bench/results/`.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBenchCorpus, parseSize, sizeLabel } from './corpus.generator';
import { markdownTable, slopes, tableRows, textTable, verdict, type SizeRun } from './figures';
import { measureSize } from './measure-size';

export interface SuiteArgs {
  sizes: number[];
  seed: number;
  out: string;
}

export function parseSuiteArgs(argv: string[], repo: string): SuiteArgs {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = parseSize(value('--size') ?? '1GB');
  const from = argv.includes('--no-slope') ? undefined : parseSize(value('--slope-from') ?? '250MB');
  const seed = Number(value('--seed') ?? 9);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${value('--seed')}'`);
  return { sizes: from !== undefined && from < size ? [from, size] : [size], seed, out: value('--out') ?? join(repo, 'bench', 'results') };
}

/** Machine facts recorded next to every result. */
export function machine() {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, platform: `${process.platform} ${process.arch}`, loadAvgAtStart: loadavg().map((x) => Number(x.toFixed(2))) };
}

export async function runSuite(argv: string[], repo: string): Promise<number> {
  const args = parseSuiteArgs(argv, repo);
  const log = (l: string) => console.error(l);
  const facts = machine();
  const startedAt = new Date().toISOString();
  log(`bench: ${facts.cores} cores, Node ${facts.node}, load ${facts.loadAvgAtStart.join(' ')}; sizes ${args.sizes.map(sizeLabel).join(', ')}, seed ${args.seed}`);
  const runs: SizeRun[] = [];
  for (const bytes of args.sizes) {
    const corpus = ensureBenchCorpus(repo, join(repo, 'bench', 'corpus'), bytes, args.seed, log);
    log(`bench: measuring ${sizeLabel(bytes)}`);
    runs.push(await measureSize(corpus, { repo, size: sizeLabel(bytes), queryRepeats: 50, liveProbes: 40, appendMb: 1, replay: true, log }));
    // Written after every size, so a run stopped during the big size still leaves the smaller one's figures.
    writeResults(args, facts, startedAt, runs, runs.length < args.sizes.length);
  }
  return 0;
}

function writeResults(args: SuiteArgs, facts: ReturnType<typeof machine>, startedAt: string, runs: SizeRun[], partial: boolean): void {
  const slope = runs.length > 1 ? slopes(runs[0], runs[runs.length - 1]) : [];
  const rows = tableRows(runs, slope);
  const notes = runs.flatMap((r) => r.notes.map((n) => `${r.size}: ${n}`));
  console.log(textTable(rows));
  for (const n of notes) console.log(`  ${n}`);
  const missed = runs[runs.length - 1].figures.filter((f) => verdict(f) === 'MISSED').map((f) => f.key);
  mkdirSync(args.out, { recursive: true });
  const result = { startedAt, finishedAt: new Date().toISOString(), partial, machine: facts, seed: args.seed, sizes: args.sizes.map(sizeLabel), runs, slopes: slope, missed };
  writeFileSync(join(args.out, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# ccpulse bench — ${runs.map((r) => r.size).join(' → ')}`,
    '',
    `${startedAt} · ${facts.cores} cores (${facts.cpu}), ${facts.memoryGb} GB, Node ${facts.node}, ${facts.platform}, load at start ${facts.loadAvgAtStart.join(' ')}, seed ${args.seed}.`,
    `Ratios compare figures measured side by side in this run; absolute times on this shared machine are noisy.`,
    '',
    markdownTable(rows),
    '',
    ...runs.map((r) => `- ${r.size} corpus: ${(r.corpus.bytes / 1024 ** 2).toFixed(0)} MB, ${r.corpus.lines} lines, ${r.corpus.files} files, ${r.corpus.users} users, ${r.corpus.resumedCopies} resumed copies, one ${(r.corpus.bigFileBytes / 1024 ** 2).toFixed(0)} MB session file (${r.corpus.source}); measured in ${r.seconds.toFixed(0)} s`),
    ...notes.map((n) => `- ${n}`),
    missed.length ? `- targets missed: ${missed.join(', ')} (profiles of the causes: [profiles.md](profiles.md))` : '- every target met',
    ...(partial ? [`- PARTIAL: sizes ${args.sizes.map(sizeLabel).join(', ')} were asked for; only ${runs.map((r) => r.size).join(', ')} finished when this was written`] : []),
    '',
  ].join('\n');
  writeFileSync(join(args.out, 'latest.md'), md);
  const log = (l: string) => console.error(l);
  log(`bench: wrote ${join(args.out, 'latest.json')} and latest.md${partial ? ' (partial)' : ''}`);
}
