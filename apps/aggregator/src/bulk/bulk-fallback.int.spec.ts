/**
 * A rebuild whose bulk load cannot load the stream: one entry carries a NUL character, which
 * PostgreSQL refuses in `jsonb`. The COPY fails with a data error, the schema is emptied, and
 * the batch fold builds it from sequence 1 instead, recording that message as `apply_failed`
 * exactly as the live projection did. The rebuilt projection equals the live one.
 */
import { readProjectionState } from '@ccpulse/db';
import { PROCESSOR_VERSION, type Entry, type RunEnvelope } from '@ccpulse/domain';
import { sql } from 'kysely';
import { linePosition } from '../fold/decode-envelope';
import type { RunningAggregator } from '../main';
import { opsRequest } from '../ops/ops.client';
import { startTestAggregator, testConfig, waitFor, waitForLiveCheckpoint } from '../test-support/aggregator-harness';
import { dumpDifference, dumpProjection } from '../test-support/dump-projection';
import { corpora } from '../../../../libs/domain/src/test-support/corpora';
import { fixtureMessages, type TestMessage } from '../test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createTestStream, type TestStream } from '../test-support/test-stream';
/** Schema and consumer names follow PROCESSOR_VERSION, so a version bump needs no edit here. */
const LIVE = `usage_v${PROCESSOR_VERSION}`;

/** A run of one line (under a new id, past the file's end) whose entry's cwd holds a NUL character. */
function withNul(m: TestMessage): TestMessage {
  const run: RunEnvelope = JSON.parse(Buffer.from(m.data).toString('utf8'));
  const line = run.lines.find((l) => 'e' in l) as { o: number; e: Entry };
  const offset = line.o + 1_000_000_000;
  const entry = { ...line.e, cwd: 'nul\u0000here', uuid: undefined };
  const faulty: RunEnvelope = { ...run, start: offset, end: offset + 1, lines: [{ o: offset, e: entry }] };
  return { subject: m.subject, msgId: `${m.msgId}:nul`, data: Buffer.from(JSON.stringify(faulty)) };
}

describe.each(corpora().map((c) => [c.name, c.dir] as const))('bulk load fallback (%s transcripts)', (_, dir) => {
  let s: TestStream;
  let t: TestDatabase;
  let a: RunningAggregator | undefined;

  beforeAll(async () => {
    s = await createTestStream();
    t = await createTestDatabase();
  });

  afterAll(async () => {
    await a?.close().catch(() => undefined);
    await t?.drop();
    await s?.drop();
  });

  it('hands a stream it cannot load to the batch fold, which records the faulty message', async () => {
    // One message per id (the stream drops repeated ids, which would shift the faulty one's
    // sequence), and the faulty copy made of a line that has an entry, in the middle.
    const messages = [...new Map(fixtureMessages(dir, 'alice', s.prefix).map((m) => [m.msgId, m])).values()];
    const withEntry = messages.find((m) => (JSON.parse(Buffer.from(m.data).toString('utf8')) as RunEnvelope).lines.some((l) => 'e' in l))!;
    const at = Math.floor(messages.length / 2);
    const head = await s.publish([...messages.slice(0, at), withNul(withEntry), ...messages.slice(at)]);
    a = await startTestAggregator(testConfig(t, s));
    await waitForLiveCheckpoint(a, head, 240_000);
    const live = await dumpProjection(t.db, LIVE);
    const rejected = await sql<{ reason: string }>`select reason from ${sql.raw(LIVE)}.rejected_entries where stream_seq = ${linePosition(at + 1, 0)}`.execute(t.db);
    expect(rejected.rows).toEqual([{ reason: 'apply_failed' }]);

    await opsRequest(s.nc, `${s.prefix}.ops`, 'replay.start');
    await waitFor(`${LIVE}_r1 live`, async () => (await readProjectionState(t.db)).liveSchema === `${LIVE}_r1`, 240_000);
    await waitForLiveCheckpoint(a, head);
    expect(dumpDifference(await dumpProjection(t.db, `${LIVE}_r1`), live)).toEqual([]);
    const loads = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_bulk_loads_total');
    expect(loads).toContain('ccpulse_aggregator_bulk_loads_total{outcome="fallback"} 1');
  }, 400_000);
});
