/* Test-only: a throwaway JetStream stream and subject prefix on the local nats-server. */
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureEntriesStream } from '@ccpulse/runtime';
import type { TestMessage } from './fixture-messages';

export interface TestStream {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  prefix: string;
  natsUrl: string;
  /** Publishes with `Nats-Msg-Id` (a bounded window of outstanding PubAcks); returns the last sequence. */
  publish(messages: readonly TestMessage[]): Promise<number>;
  drop(): Promise<void>;
}

export async function createTestStream(): Promise<TestStream> {
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const id = randomBytes(5).toString('hex');
  const stream = `T_AGG_${id}`;
  const prefix = `tagg${id}`;
  await ensureEntriesStream(jsm, { stream, subjectPrefix: prefix });
  return {
    nc,
    js,
    jsm,
    stream,
    prefix,
    natsUrl,
    async publish(messages) {
      let last = 0;
      const window: Promise<unknown>[] = [];
      for (const m of messages) {
        window.push(js.publish(m.subject, m.data, { msgID: m.msgId }).then((ack) => (last = Math.max(last, ack.seq))));
        if (window.length >= 256) await Promise.all(window.splice(0));
      }
      await Promise.all(window);
      return last;
    },
    async drop() {
      await jsm.streams.delete(stream).catch(() => undefined);
      await nc.drain().catch(() => undefined);
    },
  };
}
