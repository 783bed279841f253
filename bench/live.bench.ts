/**
 * The suite's live figure on its own, without the 250 MB / 1 GB corpora: the stack of
 * bench/full/bench-stack.ts (private nats-server, throwaway database, `aggregate` and `api` as
 * built children), the shared fixtures backfilled first when present (so the projections are
 * not empty), then bench/full/live-latency.ts — a following `ccpulse ingest`, a background
 * writer at 1,000 lines/s, probes timed from append to `sessionUpdated` over graphql-ws — with
 * each probe split into its stages (ingest, aggregate, notice, deliver).
 *
 *   npm run build && npm run bench -- live
 *   LIVE_PROBES=40 LIVE_LINES_PER_S=1000 AGGREGATOR_BATCH_MS=50 npm run bench -- live
 *
 * `AGGREGATOR_*`, `INGEST_*` and `API_*` settings in the environment are handed to the stack's
 * children, so a setting can be compared against the defaults under the same load.
 */
import './ingest-dist-aliases';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Bench, BenchRow } from './bench';
import { REPO, fixturesProjects } from './domain-corpus';
import { BenchStack } from './full/bench-stack';
import { LIVE_STAGES, measureLive } from './full/live-latency';

const TARGET_P99_MS = 200;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name}: expected a positive integer, got '${raw}'`);
  return v;
}

/** The settings under test, passed through to the stack's children. */
function settingsFromEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(AGGREGATOR|INGEST|API)_/.test(k) && !k.endsWith('_PORT')));
}

export const liveBench: Bench = {
  name: 'live',
  async run(log) {
    const probes = positive('LIVE_PROBES', 40);
    const rate = positive('LIVE_LINES_PER_S', 1000);
    const fixtures = fixturesProjects();
    const configDir = fixtures ? resolve(fixtures, '..') : mkdtempSync(join(tmpdir(), 'ccpulse-bench-live-empty-'));
    const settings = settingsFromEnv();
    log(`live: starting the stack${Object.keys(settings).length ? ` with ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
    const stack = await BenchStack.create(REPO, configDir);
    try {
      Object.assign(stack.env, settings);
      await stack.startServices();
      if (fixtures) {
        log('live: backfilling the fixtures');
        await stack.run('ingest --once', ['ingest', '--once', '--dir', configDir]);
        await stack.drained(600_000);
      }
      const aggCpu0 = stack.aggregator!.cpuSeconds();
      const apiCpu0 = stack.api!.cpuSeconds();
      log(`live: ${probes} probes at ${rate} background lines/s`);
      const live = await measureLive(stack, probes, rate);
      const aggCpu = stack.aggregator!.cpuSeconds() - aggCpu0;
      const apiCpu = stack.api!.cpuSeconds() - apiCpu0;
      log(`live: ${live.probes} probes (${live.missed} missed), ${live.backgroundLines} background lines; aggregator ${aggCpu.toFixed(1)} cpu-s, api ${apiCpu.toFixed(1)} cpu-s`);
      const limit = { baseline: TARGET_P99_MS, baselineName: 'limit' };
      const rows: BenchRow[] = [
        { bench: 'live', metric: `append → subscription p50 (${rate} lines/s)`, value: live.p50, unit: 'ms', ...limit },
        { bench: 'live', metric: `append → subscription p99 (${rate} lines/s)`, value: live.p99, unit: 'ms', ...limit, target: { ratio: 1, better: 'lower' } },
      ];
      for (const stage of LIVE_STAGES) {
        rows.push({ bench: 'live', metric: `stage ${stage} p50`, value: live.stages[stage].p50, unit: 'ms' });
        rows.push({ bench: 'live', metric: `stage ${stage} p99`, value: live.stages[stage].p99, unit: 'ms' });
      }
      rows.push({ bench: 'live', metric: 'aggregator CPU per background line', value: (aggCpu / Math.max(1, live.backgroundLines)) * 1e6, unit: 'cpu-µs/line' });
      return rows;
    } finally {
      await stack.close();
      if (!fixtures) rmSync(configDir, { recursive: true, force: true });
    }
  },
};
