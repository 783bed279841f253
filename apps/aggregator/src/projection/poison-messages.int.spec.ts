/**
 * Messages that cannot be parsed or applied never block the stream: they are recorded in
 * `rejected_entries` with their position and reason, counted by reason, and acked; the rest of
 * their batch is applied. Real NATS and PostgreSQL, synthetic lines.
 */
import { entrySubject, toEntry, type EntryEnvelope, PROCESSOR_VERSION } from '@ccpulse/domain';
import { applyBatch } from '../fold/apply-batch';
import { linePosition } from '../fold/decode-envelope';
import type { FoldFn } from './projection-runner';
import { startTestAggregator, testConfig, waitForLiveCheckpoint } from '../test-support/aggregator-harness';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createTestStream, type TestStream } from '../test-support/test-stream';
/** Schema and consumer names follow PROCESSOR_VERSION, so a version bump needs no edit here. */
const LIVE = `usage_v${PROCESSOR_VERSION}`;
const CONSUMER = `aggregator-v${PROCESSOR_VERSION}`;

function userLine(i: number, prefix: string) {
  const entry = toEntry(
    { type: 'user', uuid: `u-${i}`, sessionId: 'sess-1', timestamp: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`, cwd: '/p', message: { role: 'user', content: `hello ${i}` } },
    { file: 'p/sess-1.jsonl' },
  );
  const envelope: EntryEnvelope = { v: 1, user: 'carol', host: 'h', file: 'p/sess-1.jsonl', offset: i * 100, entry };
  return { subject: entrySubject('carol', 'sess-1', prefix), msgId: `carol:sess-1:u-${i}`, data: Buffer.from(JSON.stringify(envelope)) };
}

describe('poison messages', () => {
  let s: TestStream;
  let t: TestDatabase;

  beforeAll(async () => {
    s = await createTestStream();
    t = await createTestDatabase();
  });

  afterAll(async () => {
    await t?.drop();
    await s?.drop();
  });

  it('records unparseable and unappliable messages, acks them, and applies the rest', async () => {
    const messages = Array.from({ length: 20 }, (_, i) => userLine(i, s.prefix));
    messages.splice(5, 0, { subject: entrySubject('carol', 'sess-1', s.prefix), msgId: 'garbage', data: Buffer.from('{not json') });
    const head = await s.publish(messages);
    const poisonSeq = 12;
    // The fold throws a data error whenever the poison sequence is in its batch.
    const fold: FoldFn = async (trx, target, batch, rejects, checkpoint) => {
      if (batch.some((m) => m.seq === poisonSeq)) throw new TypeError('cannot read the entry of sequence 12');
      return applyBatch(trx, target, batch, rejects, checkpoint);
    };
    const a = await startTestAggregator(testConfig(t, s, { AGGREGATOR_BATCH_SIZE: '100', AGGREGATOR_BATCH_MS: '300' }), fold);
    try {
      await waitForLiveCheckpoint(a, head);
      const rejected = await t.db.withSchema(LIVE).selectFrom('rejected_entries').select(['stream_seq', 'reason']).orderBy('stream_seq').execute();
      expect(rejected).toEqual([
        { stream_seq: linePosition(6, 0), reason: 'bad_envelope' },
        { stream_seq: linePosition(poisonSeq, 0), reason: 'apply_failed' },
      ]);
      const summary = await t.db.withSchema(LIVE).selectFrom('usage_session_summary').selectAll().executeTakeFirstOrThrow();
      expect(summary.user_messages).toBe(19);
      const metric = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_aggregator_rejected_total');
      expect(metric).toContain('reason="bad_envelope"} 1');
      expect(metric).toContain('reason="apply_failed"} 1');
      const info = await s.jsm.consumers.info(s.stream, CONSUMER);
      expect(info.num_ack_pending).toBe(0);
      expect(info.ack_floor.stream_seq).toBe(head);
    } finally {
      await a.close();
    }
  }, 120_000);
});
