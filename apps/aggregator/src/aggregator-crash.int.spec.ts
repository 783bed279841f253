/**
 * `node bin/ccpulse.js aggregate` as a real child process, SIGKILLed at random points of a
 * backfill and restarted, ends with the identical database as an uninterrupted run; then
 * `ccpulse status` shows the lag and `ccpulse replay --wait` rebuilds and prints its progress.
 * Needs the compiled output (built here when missing or older than the sources).
 */
import type { ChildProcess } from 'node:child_process';
import { PROCESSOR_VERSION } from '@ccpulse/domain';
import { readProjectionState } from '@ccpulse/db';
import { ccpulse, ensureBuilt, exited } from './test-support/aggregator-cli';
import { startTestAggregator, testConfig, testEnv, waitFor, waitForLiveCheckpoint } from './test-support/aggregator-harness';
import { dumpDifference, dumpProjection } from './test-support/dump-projection';
import { corpora } from '../../../libs/domain/src/test-support/corpora';
import { fixtureMessages } from './test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from './test-support/test-database';
import { createTestStream, type TestStream } from './test-support/test-stream';
/** Schema and consumer names follow PROCESSOR_VERSION, so a version bump needs no edit here. */
const LIVE = `usage_v${PROCESSOR_VERSION}`;
const CONSUMER = `aggregator-v${PROCESSOR_VERSION}`;


async function checkpointOf(t: TestDatabase, consumer: string): Promise<number> {
  const row = await t.db.withSchema('public').selectFrom('projection_checkpoints').select('last_seq').where('consumer', '=', consumer).executeTakeFirst();
  return row ? Number(row.last_seq) : 0;
}

// A generated corpus large enough that the kills land inside the backfill.
describe.each(corpora({ sessions: 90, turns: 10 }).map((c) => [c.name, c.dir] as const))('ccpulse aggregate, killed and restarted (%s transcripts)', (_, dir) => {
  let s: TestStream;
  let head: number;
  const dbs: TestDatabase[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    s = await createTestStream();
    // Small runs: enough messages that the kills land between many transactions.
    const shape = { runBytes: 16 * 1024 };
    head = await s.publish([...fixtureMessages(dir, 'alice', s.prefix, shape), ...fixtureMessages(dir, 'bob', s.prefix, shape)]);
  }, 300_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await Promise.all(dbs.map((t) => t.drop()));
    await s?.drop();
  });

  it('SIGKILL at random points of a backfill, then restart: the same database as an uninterrupted run', async () => {
    const reference = await createTestDatabase();
    dbs.push(reference);
    const a = await startTestAggregator(testConfig(reference, s));
    try {
      await waitForLiveCheckpoint(a, head, 300_000);
    } finally {
      await a.close();
    }
    const want = await dumpProjection(reference.db, LIVE);

    const t = await createTestDatabase();
    dbs.push(t);
    const env = testEnv(t, s, { AGGREGATOR_BATCH_SIZE: '5' });
    const killedAt: number[] = [];
    for (let round = 0; round < 3; round++) {
      const before = await checkpointOf(t, CONSUMER);
      if (before >= head) break;
      const child = ccpulse(['aggregate'], env);
      children.push(child);
      const done = exited(child);
      // Kill at a random point of the first third of what is left (then a random moment later), so
      // every kill lands inside the backfill however fast the machine drains it.
      const target = before + 1 + Math.floor(Math.random() * ((head - before) / 3));
      await waitFor('progress', async () => (await checkpointOf(t, CONSUMER)) >= target, 120_000);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 100)));
      child.kill('SIGKILL');
      await done;
      killedAt.push(await checkpointOf(t, CONSUMER));
    }
    expect(killedAt[0]).toBeLessThan(head);

    const child = ccpulse(['aggregate'], env);
    children.push(child);
    const done = exited(child);
    await waitFor('the restarted aggregator to reach the head', async () => (await checkpointOf(t, CONSUMER)) >= head, 300_000);

    const status = exited(ccpulse(['status'], env));
    const st = await status;
    expect(st.code).toBe(0);
    expect(st.stdout).toContain(CONSUMER);
    expect(st.stdout).toMatch(/lag/);

    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
    const got = await dumpProjection(t.db, LIVE);
    expect(dumpDifference(got, want)).toEqual([]);
    expect(got).toEqual(want);
  }, 900_000);

  it('`ccpulse replay --wait` rebuilds into a new schema, prints progress and the swap', async () => {
    const t = dbs[1];
    const env = testEnv(t, s);
    const child = ccpulse(['aggregate'], env);
    children.push(child);
    const done = exited(child);
    await waitFor('aggregator ready', async () => {
      const r = await exited(ccpulse(['status'], env));
      return r.code === 0;
    }, 60_000);
    const replay = await exited(ccpulse(['replay', '--wait', '--timeout', '600'], env));
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`rebuild started: ${LIVE}_r1`);
    expect(replay.stdout).toMatch(new RegExp(`swapped: ${LIVE}_r1 is live`));
    expect((await readProjectionState(t.db)).liveSchema).toBe(`${LIVE}_r1`);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  }, 900_000);
});
