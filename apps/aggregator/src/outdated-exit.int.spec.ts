/**
 * `ccpulse aggregate` of an older processor version, started after a newer one went live, steps
 * down with the distinct "outdated" exit code that `ccpulse start` treats as a handover, not a
 * crash (tools/start/restart.policy.ts).
 */
import { readProjectionState } from '@ccpulse/db';
import { PROCESSOR_VERSION } from '@ccpulse/domain';
import { OUTDATED_EXIT_CODE, run, type RunningAggregator } from './main';
import { startTestAggregator, testConfig, testEnv, waitFor } from './test-support/aggregator-harness';
import { createTestDatabase, type TestDatabase } from './test-support/test-database';
import { createTestStream, type TestStream } from './test-support/test-stream';

describe('an outdated aggregator', () => {
  let s: TestStream;
  let t: TestDatabase;
  let newer: RunningAggregator | undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    s = await createTestStream();
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await newer?.close().catch(() => undefined);
    process.env = saved;
    await t?.drop();
    await s?.drop();
  });

  it('exits with the outdated code (3), not 0 and not a crash, when a newer version is live', async () => {
    const next = PROCESSOR_VERSION + 1;
    newer = await startTestAggregator(testConfig(t, s, { CCPULSE_PROCESSOR_VERSION_OVERRIDE: String(next) }));
    await waitFor(`version ${next} live`, async () => (await readProjectionState(t.db)).liveSchema === `usage_v${next}`, 120_000);
    process.env = { ...saved, ...testEnv(t, s), LOG_LEVEL: 'silent' };
    expect(OUTDATED_EXIT_CODE).toBe(3);
    expect(await run([])).toBe(OUTDATED_EXIT_CODE);
  });
});
