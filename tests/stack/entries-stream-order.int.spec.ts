/**
 * Start order does not matter: the aggregator and an ingestor with STREAM_MAX_BYTES set, started
 * in either order from the same environment, both start and leave the same entries stream. Each
 * app's settings come from its own config loader, and each makes sure of the stream as its start
 * does (`ensureEntriesStream` with its config).
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureEntriesStream } from '@ccpulse/runtime';
import { loadAggregatorConfig } from '../../apps/aggregator/src/config/aggregator.config';
import { loadIngestConfig } from '../../apps/ingestor/src/config/ingest-config';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const CAP = 256 * 1024 * 1024;

type App = 'aggregator' | 'ingestor';

describe('entries stream, whichever app starts first (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const made: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    for (const s of made) await jsm.streams.delete(s).catch(() => undefined);
    await nc.drain();
  });

  /** Starts the apps in order on one throwaway stream; returns the stream's config after each start. */
  async function startInOrder(order: App[]): Promise<StreamConfig[]> {
    const id = randomBytes(5).toString('hex');
    const env = { NATS_URL: natsUrl, CCPULSE_STREAM: `T_ORDER_${id}`, CCPULSE_SUBJECT_PREFIX: `tord${id}`, STREAM_MAX_BYTES: '256MB' };
    made.push(env.CCPULSE_STREAM);
    const configs: StreamConfig[] = [];
    for (const app of order) {
      const config =
        app === 'aggregator'
          ? loadAggregatorConfig(env)
          : loadIngestConfig({ ...env, CCPULSE_USER: 'alice', CCPULSE_HOST: 'box', CLAUDE_CONFIG_DIR: '/nowhere' }, { once: true, help: false });
      await ensureEntriesStream(jsm, config);
      configs.push(comparable((await jsm.streams.info(env.CCPULSE_STREAM)).config));
    }
    return configs;
  }

  it('given aggregator then ingestor, or ingestor then aggregator, both start and end with the same stream', async () => {
    const [aggregatorMade, afterIngestor] = await startInOrder(['aggregator', 'ingestor']);
    const [ingestorMade, afterAggregator] = await startInOrder(['ingestor', 'aggregator']);
    expect(aggregatorMade.max_bytes).toBe(-1);
    expect(afterIngestor.max_bytes).toBe(CAP);
    expect(ingestorMade).toEqual(afterAggregator);
    expect(afterIngestor).toEqual(afterAggregator);
  });

  it('given the aggregator started again after the ingestor set the cap, keeps it', async () => {
    const configs = await startInOrder(['aggregator', 'ingestor', 'aggregator']);
    expect(configs[2]).toEqual(configs[1]);
  });
});

/** A stream's config without what differs by name alone (name, subjects). */
function comparable(config: StreamConfig): StreamConfig {
  const { name: _name, subjects, ...rest } = config;
  return { ...rest, name: '', subjects: (subjects ?? []).map((s) => s.replace(/^tord[0-9a-f]+\./, '<prefix>.')) } as StreamConfig;
}
