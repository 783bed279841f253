/**
 * Live latency: a following `ccpulse ingest` on its own transcript dir, a background writer
 * appending 1,000 lines/s to one session, and probes — one assistant line appended to a probe
 * session — each timed from the append to the receipt of `sessionUpdated(id: probe)` over
 * graphql-ws with the probe's tokens in it. Probes go one after another (≥ 250 ms apart); three
 * misses in a row (5 s each) end the run early: the pipeline is not keeping up with the background.
 *
 * Each probe is also split into stages, from timestamps the pipeline already emits, watched on the
 * stack's NATS server from this process (one clock: every process runs on this machine):
 *  - ingest:    append → the probe's entry seen on `<prefix>.entries.<user>.<probe session>`;
 *  - aggregate: that → the aggregator's `committedAt` in the probe session's change notice
 *               (batch linger, fold, commit, acks);
 *  - notice:    `committedAt` → the notice seen on `<prefix>.updated.*.<probe session>`;
 *  - deliver:   the notice → the `sessionUpdated` event at the client (api: session read, graphql-ws).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entrySubject } from '@ccpulse/domain';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { BenchStack } from './bench-stack';
import { percentile, stopChild } from './child-process';

const CWD = '/home/dev/live';
/** A probe not seen within this long is counted as missed (at this value). */
const MISS_MS = 5000;

function assistantLine(sessionId: string, n: number, outputTokens: number): string {
  return JSON.stringify({
    parentUuid: null, isSidechain: false, userType: 'external', cwd: CWD, sessionId, version: '2.0.42', gitBranch: 'main',
    type: 'assistant', uuid: randomUUID(), timestamp: new Date().toISOString(), requestId: `req_live_${sessionId.slice(0, 8)}_${n}`,
    message: { id: `msg_live_${sessionId.slice(0, 8)}_${n}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: outputTokens } },
  }) + '\n';
}

/** The stages of one probe's latency, ms. */
export interface LiveStages {
  ingest: number;
  aggregate: number;
  notice: number;
  deliver: number;
}
export const LIVE_STAGES: (keyof LiveStages)[] = ['ingest', 'aggregate', 'notice', 'deliver'];

export interface LiveResult {
  p50: number;
  p99: number;
  /** p50/p99 of each stage over the probes that arrived with every stage seen. */
  stages: Record<keyof LiveStages, { p50: number; p99: number }>;
  probes: number;
  missed: number;
  backgroundLines: number;
  followerPeakMb: number;
}

export async function measureLive(stack: BenchStack, probes: number, linesPerSecond = 1000): Promise<LiveResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ccpulse-bench-live-'));
  const project = join(dir, 'projects', '-home-dev-live');
  mkdirSync(project, { recursive: true });
  const bgSession = randomUUID();
  const probeSession = randomUUID();
  const bgFile = join(project, `${bgSession}.jsonl`);
  const probeFile = join(project, `${probeSession}.jsonl`);
  appendFileSync(bgFile, assistantLine(bgSession, 0, 1));
  appendFileSync(probeFile, assistantLine(probeSession, 0, 1));
  // Wall-clock ms, comparable with the aggregator's `committedAt` (Date.now()), finer than Date.now().
  const now = () => performance.timeOrigin + performance.now();
  const stamps: { published?: number; committedAt?: number; noticed?: number } = {};
  const prefix = stack.env.CCPULSE_SUBJECT_PREFIX!;
  const entries = stack.nc!.subscribe(entrySubject(stack.env.CCPULSE_USER!, probeSession, prefix), {
    callback: () => {
      stamps.published ??= now();
    },
  });
  const notices = stack.nc!.subscribe(`${prefix}.updated.*.${probeSession}`, {
    callback: (_err, msg) => {
      if (stamps.noticed !== undefined || stamps.published === undefined) return;
      stamps.noticed = now();
      stamps.committedAt = (msg.json() as { committedAt: number }).committedAt;
    },
  });
  const follower = stack.spawn('ingest (following)', ['ingest', '--dir', dir]);
  const client = createClient({
    url: `${stack.apiUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${stack.token}` },
    retryAttempts: 0,
  });
  let latest = 0;
  let onTick: (() => void) | undefined;
  const unsubscribe = client.subscribe<{ sessionUpdated: { id: string; outputTokens: number | string } }>(
    { query: 'subscription($id: ID) { sessionUpdated(id: $id) { id outputTokens } }', variables: { id: probeSession } },
    {
      next: (v) => {
        const out = Number(v.data?.sessionUpdated.outputTokens ?? 0);
        if (out > latest) latest = out;
        onTick?.();
      },
      error: (err) => console.error(`live: subscription error ${JSON.stringify(err)}`),
      complete: () => undefined,
    },
  );
  let bgLines = 0;
  const perTick = Math.max(1, Math.round(linesPerSecond / 50));
  const background = setInterval(() => {
    let chunk = '';
    for (let i = 0; i < perTick; i++) chunk += assistantLine(bgSession, ++bgLines, 5);
    appendFileSync(bgFile, chunk);
  }, 20);
  const waitFor = (want: number, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (latest >= want) return resolve(true);
      const timer = setTimeout(() => ((onTick = undefined), resolve(false)), timeoutMs);
      onTick = () => {
        if (latest >= want) {
          clearTimeout(timer);
          onTick = undefined;
          resolve(true);
        }
      };
    });
  const latencies: number[] = [];
  const stages: LiveStages[] = [];
  let missed = 0;
  let missedInARow = 0;
  let total = 1;
  try {
    // Warm-up probe (file discovery, first subscription result), not counted.
    for (let i = 0; i <= probes; i++) {
      const tokens = 1000 + i;
      total += tokens;
      delete stamps.published;
      delete stamps.committedAt;
      delete stamps.noticed;
      const t0 = now();
      appendFileSync(probeFile, assistantLine(probeSession, i + 1, tokens));
      const ok = await waitFor(total, i === 0 ? 60_000 : MISS_MS);
      const received = now();
      const ms = received - t0;
      if (i > 0) {
        if (ok) latencies.push(ms);
        const { published, committedAt, noticed } = stamps;
        if (ok && published !== undefined && committedAt !== undefined && noticed !== undefined) {
          stages.push({ ingest: published - t0, aggregate: committedAt - published, notice: noticed - committedAt, deliver: received - noticed });
        }
        else missed++;
        missedInARow = ok ? 0 : missedInARow + 1;
        // Falling behind for good (the pipeline cannot keep up with the background rate): stop here.
        if (missedInARow >= 3) break;
      } else if (!ok) throw new Error(`live: the first probe never arrived\n${follower.tail().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    clearInterval(background);
    entries.unsubscribe();
    notices.unsubscribe();
    unsubscribe();
    await client.dispose();
  }
  const followerPeakMb = follower.peakMb();
  await stopChild(follower);
  rmSync(dir, { recursive: true, force: true });
  // A probe that never arrived counts as MISS_MS, so p99 cannot hide it.
  const all = [...latencies, ...Array(missed).fill(MISS_MS)];
  const split = (key: keyof LiveStages) => ({ p50: percentile(stages.map((x) => x[key]), 50), p99: percentile(stages.map((x) => x[key]), 99) });
  return {
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    stages: { ingest: split('ingest'), aggregate: split('aggregate'), notice: split('notice'), deliver: split('deliver') },
    probes: all.length,
    missed,
    backgroundLines: bgLines,
    followerPeakMb,
  };
}
