/**
 * Load: 20 simulated ingestors (one NATS connection and user each, in child processes beside this
 * one) publishing concurrently at a fixed total rate while 50 GraphQL subscription clients listen.
 * Nothing may be lost (the projection equals an unloaded reference fold of the same stream), the
 * aggregator's lag must return to 0, and the subscription latency (commit → client) is reported.
 */
import { createClient, type Client } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { dumpProjection } from '../../apps/aggregator/src/test-support/dump-projection';
import { messagesOfFile, type TestMessage } from '../../apps/aggregator/src/test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from '../../apps/aggregator/src/test-support/test-database';
import { startApiServer, type RunningApi } from '../../apps/api/src/api.server';
import { loadApiConfig } from '../../apps/api/src/config/api-config';
import { seedUser } from '../../apps/api/src/test-support/seed';
import { syntheticTranscripts } from '../../libs/domain/src/test-support/synthetic-transcript';
import { compareDumps, reportOutcome } from './support/fault-report';
import { FULL, SCALE } from './support/fault-scale';
import { SHARED_NATS, aggregateEnv, checkpointProbe, deleteNatsNames, runNames, startAggregate, streamState } from './support/pipeline';
import { until } from '../support/until';
import { startPublishers, type Publishers } from './support/publishers';
import { aggregateAndDump } from './support/reference-run';
import type { ChildApp } from './support/child-app';

jest.setTimeout(FULL ? 1_800_000 : 150_000);

/** Processes the simulated ingestors are spread over: few enough to leave the cores to the pipeline. */
const PUBLISHER_PROCESSES = 4;

const percentile = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);

/** A following ingestor's runs are short (what one read found): a few lines each. */
const LIVE_RUN_BYTES = 4096;

/**
 * About `n` lines of one user's synthetic transcripts (distinct seeds per user, so no shared
 * uuids), in short runs as a following ingestor publishes them; `lines` is what they carry.
 */
function userMessages(user: string, seed: number, n: number, prefix: string): { messages: TestMessage[]; lines: number } {
  const messages: TestMessage[] = [];
  let lines = 0;
  for (let round = 0; lines < n; round++) {
    for (const f of syntheticTranscripts({ seed: seed * 1000 + round, sessions: 10, turnsPerSession: 20, startMs: Date.UTC(2026, 0, 5) + round * 86_400_000 })) {
      for (const m of messagesOfFile(Buffer.from(f.lines.map((l) => `${l}\n`).join('')), `${user}-r${round}/${f.file}`, user, prefix, { runBytes: LIVE_RUN_BYTES })) {
        if (lines >= n) break;
        messages.push(m);
        lines += JSON.parse(Buffer.from(m.data).toString('utf8')).lines.length;
      }
    }
  }
  return { messages, lines };
}

describe(`load: ${SCALE.loadUsers} ingestors publishing while ${SCALE.loadClients} subscribers listen`, () => {
  const names = runNames('load');
  let t: TestDatabase | undefined;
  let agg: ChildApp | undefined;
  let api: RunningApi | undefined;
  let publishers: Publishers | undefined;
  const clients: Client[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await api?.close().catch(() => undefined);
    await agg?.stop();
    publishers?.dispose();
    await t?.drop();
    await deleteNatsNames(SHARED_NATS, names);
  });

  it(`given ${SCALE.loadRate} lines/s for ${SCALE.loadSeconds} s, then nothing is lost, lag returns to 0 and subscribers hear the commits`, async () => {
    const users = Array.from({ length: SCALE.loadUsers }, (_, i) => `user${String(i).padStart(2, '0')}`);
    const perUser = Math.ceil((SCALE.loadRate * SCALE.loadSeconds) / users.length);
    const work = users.map((u, i) => userMessages(u, 7000 + i, perUser, names.prefix));

    t = await createTestDatabase();
    const tokens = [];
    for (const u of users) tokens.push(await seedUser(t.db, u, { onboarded: true }));
    const admin = await seedUser(t.db, 'root', { role: 'admin', onboarded: true });
    const cp = checkpointProbe(t.url);
    agg = startAggregate(aggregateEnv(SHARED_NATS, t.url, names, { AGGREGATOR_BATCH_SIZE: '1000', AGGREGATOR_BATCH_MS: '100' }));
    await until('the aggregator to make its projection live', async () => (await cp.read()).schema !== '' || !agg!.running(), 60_000);
    const config = loadApiConfig(
      { DATABASE_URL: t.url, NATS_URL: SHARED_NATS, PORT: '0', HOST: '127.0.0.1', CCPULSE_SUBJECT_PREFIX: names.prefix, NODE_ENV: 'test' },
      { readFile: () => '', osUser: () => 'local' },
    );
    api = await startApiServer(config, { log: pino({ level: 'silent' }) });

    const latencies: number[] = [];
    let events = 0;
    for (let i = 0; i < SCALE.loadClients; i++) {
      const token = i < users.length ? tokens[i] : admin;
      const c = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      clients.push(c);
      c.subscribe(
        { query: 'subscription { usageUpdated { users seq committedAt } }' },
        {
          next: (v: any) => {
            events++;
            const at = v.data?.usageUpdated?.committedAt;
            const ms = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : NaN;
            if (Number.isFinite(ms)) latencies.push(Date.now() - ms);
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
    }
    await until('every subscriber registered', () => api!.hub.subscriberCount >= SCALE.loadClients, 30_000);

    // The simulated ingestors run in child processes (each user its own connection), paced to
    // their share of the total rate, as the real ingestors run beside the API.
    // Paced in messages: the share of lines/s over the lines a message carries.
    const sent = work.reduce((n, w) => n + w.lines, 0);
    const linesPerMessage = sent / work.reduce((n, w) => n + w.messages.length, 0);
    publishers = await startPublishers(
      SHARED_NATS,
      users.map((name, i) => ({ name, messages: work[i].messages })),
      PUBLISHER_PROCESSES,
      SCALE.loadRate / users.length / linesPerMessage,
    );
    const { acked, duplicates, failed, publishMs } = await publishers.run();
    const head = (await streamState(SHARED_NATS, names.stream)).lastSeq;
    const drainStart = Date.now();
    await until('aggregator lag back to 0', async () => (await cp.read()).seq >= head || !agg!.running(), FULL ? 900_000 : 120_000);
    const drainMs = Date.now() - drainStart;
    const schema = (await cp.read()).schema;
    expect(agg.running()).toBe(true);
    const eventsAtHead = events;
    await new Promise((r) => setTimeout(r, 500));
    await agg.stop();
    await cp.close();

    const loaded = await dumpProjection(t.db, schema);
    const reference = await aggregateAndDump(SHARED_NATS, names, head);
    const diff = compareDumps(reference, loaded);
    const rate = Math.round(sent / (publishMs / 1000));
    reportOutcome({
      scenario: `load ${users.length} ingestors × ${SCALE.loadClients} subscribers`,
      runs: sent,
      lost: diff.lost,
      doubleCounted: diff.extra,
      recoverMs: drainMs,
      note: `${rate} lines/s for ${(publishMs / 1000).toFixed(1)} s, ${failed} publish retries, ${events} events (p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms commit→client)`,
    });
    expect(diff.tables).toEqual([]);
    expect(acked - duplicates).toBe(head);
    expect(eventsAtHead).toBeGreaterThan(0);
    if (FULL) {
      expect(rate).toBeGreaterThanOrEqual(5000);
      expect(publishMs).toBeGreaterThanOrEqual(60_000);
    }
  });
});
