/* Test-only: aggregators on a throwaway database and stream, in this process. */
import pino from 'pino';
import { loadAggregatorConfig, type AggregatorConfig } from '../config/aggregator.config';
import { startAggregator, type RunningAggregator } from '../main';
import type { FoldFn } from '../projection/projection-runner';
import type { TestDatabase } from './test-database';
import type { TestStream } from './test-stream';

/** The environment an aggregator of this test runs with (also for child processes). */
export function testEnv(t: TestDatabase, s: TestStream, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: t.url,
    NATS_URL: s.natsUrl,
    CCPULSE_STREAM: s.stream,
    CCPULSE_SUBJECT_PREFIX: s.prefix,
    AGGREGATOR_METRICS_PORT: '0',
    AGGREGATOR_BATCH_SIZE: '500',
    AGGREGATOR_BATCH_MS: '50',
    ...extra,
  };
}

export function testConfig(t: TestDatabase, s: TestStream, extra: Record<string, string> = {}): AggregatorConfig {
  return loadAggregatorConfig(testEnv(t, s, extra));
}

export async function startTestAggregator(config: AggregatorConfig, fold?: FoldFn): Promise<RunningAggregator> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  return startAggregator(config, { logger, ...(fold ? { fold } : {}) });
}

/** Polls `check` every 100 ms until it is true or `timeoutMs` passes (then throws `what`). */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the aggregator's live projection has committed stream sequence `seq`. */
export async function waitForLiveCheckpoint(a: RunningAggregator, seq: number, timeoutMs = 120_000): Promise<string> {
  let schema = '';
  await waitFor(`live checkpoint ${seq}`, async () => {
    const s = await a.runtime.coordinator?.replayStatus();
    schema = s?.live?.schema ?? '';
    return !!s?.live && s.live.checkpoint >= seq && !s.building;
  }, timeoutMs);
  return schema;
}
