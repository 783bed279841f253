/**
 * `ensureDurableConsumer` against the local nats-server: a consumer left holding unacked
 * deliveries by a process that died is taken over at once by the next runner's first attach,
 * instead of after the ack wait; without the take-over the deliveries stay with the dead process.
 */
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { ensureDurableConsumer, type DurableConsumerSpec } from './durable-consumer';
import { createTestStream, type TestStream } from '../test-support/test-stream';

/** Long enough that nothing in this test could be a redelivery after the ack wait. */
const ACK_WAIT_MS = 600_000;

describe('ensureDurableConsumer', () => {
  let s: TestStream;
  let spec: DurableConsumerSpec;

  beforeAll(async () => {
    s = await createTestStream();
    spec = { stream: s.stream, name: 'aggregator-v1', maxAckPending: 100, maxDeliver: 5, ackWaitMs: ACK_WAIT_MS };
    const messages = Array.from({ length: 10 }, (_, i) => ({ subject: `${s.prefix}.entries.alice.s1`, msgId: `m${i}`, data: new TextEncoder().encode(`{"n":${i}}`) }));
    await s.publish(messages);
  });

  afterAll(async () => {
    await s?.drop();
  });

  /** A process that pulls `n` messages, never acks them, and dies. */
  async function dieHolding(n: number): Promise<void> {
    const nc = await connect({ servers: s.natsUrl });
    const c = await jetstream(nc).consumers.get(s.stream, spec.name);
    const batch = await c.fetch({ max_messages: n, expires: 5_000 });
    let held = 0;
    for await (const _ of batch) if (++held === n) break;
    expect(held).toBe(n);
    await nc.close();
  }

  async function pullable(): Promise<number[]> {
    const c = await s.js.consumers.get(s.stream, spec.name);
    const batch = await c.fetch({ max_messages: 10, expires: 1_000 });
    const seqs: number[] = [];
    for await (const m of batch) seqs.push(m.seq);
    return seqs;
  }

  it('creates a missing consumer from checkpoint + 1', async () => {
    const r = await ensureDurableConsumer(s.jsm, spec, 2, true);
    expect(r).toMatchObject({ recreated: true, reason: 'missing' });
    expect(r.info.config.opt_start_seq).toBe(3);
  });

  it('keeps the consumer on a re-attach, when the unacked deliveries may be its own', async () => {
    await dieHolding(4);
    const r = await ensureDurableConsumer(s.jsm, spec, 2, false);
    expect(r.recreated).toBe(false);
    expect(r.info.num_ack_pending).toBe(4);
    expect(await pullable()).toEqual([7, 8, 9, 10]);
  });

  it('takes over a consumer a dead process left holding deliveries: they come again at once', async () => {
    const before = await s.jsm.consumers.info(s.stream, spec.name);
    expect(before.num_ack_pending).toBeGreaterThan(0);
    const r = await ensureDurableConsumer(s.jsm, spec, 2, true);
    expect(r).toMatchObject({ recreated: true, reason: 'held by a previous process' });
    expect(r.info.num_ack_pending).toBe(0);
    expect(await pullable()).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('recreates a consumer whose ack floor is past the checkpoint (the projection was restored older)', async () => {
    await s.jsm.consumers.delete(s.stream, spec.name);
    await ensureDurableConsumer(s.jsm, spec, 0, true);
    const c = await s.js.consumers.get(s.stream, spec.name);
    const batch = await c.fetch({ max_messages: 5, expires: 1_000 });
    for await (const m of batch) await m.ackAck();
    expect((await s.jsm.consumers.info(s.stream, spec.name)).ack_floor.stream_seq).toBe(5);
    const r = await ensureDurableConsumer(s.jsm, spec, 2, false);
    expect(r).toMatchObject({ recreated: true, reason: 'ack floor past the checkpoint' });
    expect(r.info.config.opt_start_seq).toBe(3);
  });
});
