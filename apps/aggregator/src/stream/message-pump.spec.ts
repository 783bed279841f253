import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { MessagePump } from './message-pump';

/** A `consume()` stand-in: the test pushes messages; the pump's loop reads them like deliveries. */
function fakeStream() {
  const pending: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let seq = 0;
  const messages = {
    async *[Symbol.asyncIterator]() {
      while (!closed) {
        if (pending.length === 0) await new Promise<void>((r) => (wake = r));
        while (pending.length > 0) yield pending.shift()!;
      }
    },
    async close() {
      closed = true;
      wake?.();
    },
    async *status() {
      // no status events
    },
  } as unknown as ConsumerMessages;
  const js = { consumers: { get: async () => ({ consume: async () => messages }) } } as unknown as JetStreamClient;
  return {
    js,
    push(n: number, bytes = 10) {
      for (let i = 0; i < n; i++) pending.push({ seq: ++seq, info: { redelivered: false }, data: new Uint8Array(bytes) } as unknown as JsMsg);
      wake?.();
    },
  };
}

function pumpOn(js: JetStreamClient): MessagePump {
  const logger = { info: () => undefined, warn: () => undefined };
  const pump = new MessagePump(js, { stream: 'S', consumer: 'C', pullBytes: 1 << 20, prepare: async () => undefined, logger });
  pump.start();
  return pump;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MessagePump.take', () => {
  it('hands over a quiet stream at once when idleMs is 0, however long the linger', async () => {
    const s = fakeStream();
    const pump = pumpOn(s.js);
    const t0 = Date.now();
    const batch = pump.take(100, 10_000, 0);
    s.push(3);
    expect((await batch).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(Date.now() - t0).toBeLessThan(1000);
    await pump.stop();
  });

  it('keeps filling while messages keep arriving within idleMs', async () => {
    const s = fakeStream();
    const pump = pumpOn(s.js);
    const batch = pump.take(100, 10_000, 300);
    s.push(1);
    await sleep(30);
    s.push(1);
    await sleep(30);
    s.push(1);
    expect(await batch).toHaveLength(3);
    await pump.stop();
  });

  it('waits out the linger when idleMs is not shorter, and never takes more than max', async () => {
    const s = fakeStream();
    const pump = pumpOn(s.js);
    s.push(5);
    await sleep(10);
    const t0 = Date.now();
    expect(await pump.take(3, 10_000, 0)).toHaveLength(3);
    const rest = await pump.take(100, 80);
    expect(rest.map((m) => m.seq)).toEqual([4, 5]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    await pump.stop();
  });

  it('ends a batch at maxBytes of payload, taking a first message whatever its size', async () => {
    const s = fakeStream();
    const pump = pumpOn(s.js);
    s.push(4, 300);
    await sleep(10);
    expect((await pump.take(100, 10_000, 0, 700)).map((m) => m.seq)).toEqual([1, 2]);
    expect((await pump.take(100, 10_000, 0, 100)).map((m) => m.seq)).toEqual([3]);
    expect((await pump.take(100, 10_000, 0, 700)).map((m) => m.seq)).toEqual([4]);
    await pump.stop();
  });

  it('resolves [] once stopped', async () => {
    const s = fakeStream();
    const pump = pumpOn(s.js);
    const batch = pump.take(100, 10_000, 0);
    await pump.stop();
    expect(await batch).toEqual([]);
  });
});
