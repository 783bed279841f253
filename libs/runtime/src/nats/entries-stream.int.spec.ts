/**
 * ensureEntriesStream against a real nats-server: it creates the stream from the one shared
 * definition, brings the duplicate window (and a cap that was set) in line in place without
 * losing messages, and refuses a stream that would misroute data, whichever app calls it.
 */
import { randomBytes } from 'node:crypto';
import { ENTRIES_DUPLICATE_WINDOW_MS } from '@ccpulse/domain';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, millis, nanos, type NatsConnection } from '@nats-io/transport-node';
import { ensureEntriesStream } from './entries-stream';
import { StreamConfigConflictError } from './stream-config-conflict.error';

describe('ensureEntriesStream (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const made: string[] = [];
  const fresh = () => {
    const id = randomBytes(5).toString('hex');
    made.push(`T_ES_${id}`);
    return { stream: `T_ES_${id}`, subjectPrefix: `tes${id}` };
  };

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    for (const s of made) await jsm.streams.delete(s).catch(() => undefined);
    await nc.drain();
  });

  it('given no stream, creates it with the shared duplicate window (1 h) and no cap', async () => {
    const settings = fresh();
    expect(await ensureEntriesStream(jsm, settings)).toEqual([]);
    const info = await jsm.streams.info(settings.stream);
    expect(millis(info.config.duplicate_window ?? 0)).toBe(ENTRIES_DUPLICATE_WINDOW_MS);
    expect(ENTRIES_DUPLICATE_WINDOW_MS).toBe(3_600_000);
    expect(info.config.max_bytes).toBe(-1);
    expect(info.config).toMatchObject({ subjects: [`${settings.subjectPrefix}.entries.>`], storage: StorageType.File, retention: RetentionPolicy.Limits });
  });

  it('given a stream made with a 2 min window, updates it to the shared window and keeps its messages', async () => {
    const settings = fresh();
    await jsm.streams.add({ name: settings.stream, subjects: [`${settings.subjectPrefix}.entries.>`], storage: StorageType.File, retention: RetentionPolicy.Limits, duplicate_window: nanos(120_000) });
    await nc.request(`${settings.subjectPrefix}.entries.alice.s1`, new TextEncoder().encode('{}'));
    expect(await ensureEntriesStream(jsm, settings)).toEqual(['updated duplicate window from 120000 ms to 3600000 ms']);
    const info = await jsm.streams.info(settings.stream);
    expect(millis(info.config.duplicate_window ?? 0)).toBe(ENTRIES_DUPLICATE_WINDOW_MS);
    expect(info.state.messages).toBe(1);
  });

  it('given a cap set, sets it on an unlimited stream; without one, keeps the cap the stream has', async () => {
    const settings = fresh();
    await ensureEntriesStream(jsm, settings);
    const notes = await ensureEntriesStream(jsm, { ...settings, streamMaxBytes: 64 * 1024 * 1024 });
    expect(notes).toEqual([expect.stringContaining('max bytes from -1 to 67108864')]);
    expect(await ensureEntriesStream(jsm, settings)).toEqual([]);
    expect((await jsm.streams.info(settings.stream)).config.max_bytes).toBe(64 * 1024 * 1024);
  });

  it('given a stream on other subjects, refuses with STREAM_CONFIG_CONFLICT and changes nothing', async () => {
    const settings = fresh();
    await jsm.streams.add({ name: settings.stream, subjects: [`${settings.subjectPrefix}.other.>`], duplicate_window: nanos(120_000) });
    const err = await ensureEntriesStream(jsm, settings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamConfigConflictError);
    expect(err).toMatchObject({ code: 'STREAM_CONFIG_CONFLICT', message: expect.stringContaining('CCPULSE_SUBJECT_PREFIX') });
    expect(millis((await jsm.streams.info(settings.stream)).config.duplicate_window ?? 0)).toBe(120_000);
  });

  it('given a cap below what the stream holds, refuses with STREAM_CONFIG_CONFLICT and drops nothing', async () => {
    const settings = fresh();
    await ensureEntriesStream(jsm, settings);
    const js = jetstream(nc);
    for (let i = 0; i < 4; i++) await js.publish(`${settings.subjectPrefix}.entries.u.s`, new Uint8Array(1024));
    const err = await ensureEntriesStream(jsm, { ...settings, streamMaxBytes: 2048 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STREAM_CONFIG_CONFLICT', message: expect.stringContaining('STREAM_MAX_BYTES=2048') });
    const info = await jsm.streams.info(settings.stream);
    expect(info.state.messages).toBe(4);
    expect(info.config.max_bytes).toBe(-1);
  });

  it('given two apps starting at once, both succeed and the stream gets the cap one of them set', async () => {
    const settings = fresh();
    await Promise.all([ensureEntriesStream(jsm, settings), ensureEntriesStream(jsm, { ...settings, streamMaxBytes: 32 * 1024 * 1024 })]);
    expect((await jsm.streams.info(settings.stream)).config.max_bytes).toBe(32 * 1024 * 1024);
  });
});
