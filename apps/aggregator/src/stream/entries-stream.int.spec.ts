/**
 * Whichever app starts first, the entries stream ends up with the one shared definition: the
 * aggregator creates it with the shared duplicate window and brings an existing stream's other
 * window in line (real nats-server).
 */
import { randomBytes } from 'node:crypto';
import { ENTRIES_DUPLICATE_WINDOW_MS } from '@ccpulse/domain';
import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, millis, nanos, type NatsConnection } from '@nats-io/transport-node';
import { ensureEntriesStream } from './entries-stream';

describe('ensureEntriesStream (aggregator side, real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const made: string[] = [];
  const fresh = () => {
    const id = randomBytes(5).toString('hex');
    made.push(`T_ES_${id}`);
    return { stream: `T_ES_${id}`, prefix: `tes${id}` };
  };

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    for (const s of made) await jsm.streams.delete(s).catch(() => undefined);
    await nc.drain();
  });

  it('given no stream, creates it with the shared duplicate window (1 h)', async () => {
    const { stream, prefix } = fresh();
    await ensureEntriesStream(jsm, stream, prefix);
    const info = await jsm.streams.info(stream);
    expect(millis(info.config.duplicate_window ?? 0)).toBe(ENTRIES_DUPLICATE_WINDOW_MS);
    expect(ENTRIES_DUPLICATE_WINDOW_MS).toBe(3_600_000);
  });

  it('given a stream made with a 2 min window, updates it to the shared window and keeps its messages', async () => {
    const { stream, prefix } = fresh();
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.entries.>`], storage: StorageType.File, retention: RetentionPolicy.Limits, duplicate_window: nanos(120_000) });
    await nc.request(`${prefix}.entries.alice.s1`, new TextEncoder().encode('{}'));
    await ensureEntriesStream(jsm, stream, prefix);
    const info = await jsm.streams.info(stream);
    expect(millis(info.config.duplicate_window ?? 0)).toBe(ENTRIES_DUPLICATE_WINDOW_MS);
    expect(info.state.messages).toBe(1);
  });
});
