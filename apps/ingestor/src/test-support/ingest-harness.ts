import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import pino from 'pino';
import { ensureEntriesStream } from '@ccpulse/runtime';
import type { IngestConfig } from '../config/ingest-config';
import { loadIngestConfig } from '../config/ingest-config';
import { Ingestor } from '../ingest/ingestor';
import { createIngestorMetrics, type IngestorMetrics } from '../metrics/ingestor.metrics';
import { OffsetsStore } from '../nats/offsets.store';
import { PublishWindow } from '../publish/publish-window';

export const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** Throwaway names so concurrent runs never share a stream, bucket or subject. */
export function throwawayNames() {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    CCPULSE_STREAM: `T_INGEST_${suffix}`,
    CCPULSE_OFFSETS_BUCKET: `t-offsets-${suffix}`,
    CCPULSE_SUBJECT_PREFIX: `t${suffix}`,
  };
}

export function tempDir(prefix = 'ccpulse-ingest-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Config for a test: throwaway names, the given root, fast polls. */
export function testConfig(root: string, env: Record<string, string> = {}, once = false): IngestConfig {
  return loadIngestConfig(
    { NATS_URL, CCPULSE_USER: 'alice', CCPULSE_HOST: 'testhost', INGEST_METRICS_PORT: '0', INGEST_POLL_MS: '200', ...throwawayNames(), ...env },
    { once, help: false, dir: root },
  );
}

/** Every message of a stream in order: its Nats-Msg-Id and decoded envelope. */
export async function readStream(nc: NatsConnection, stream: string): Promise<{ id: string; subject: string; body: any }[]> {
  const jsm = await jetstreamManager(nc);
  const total = (await jsm.streams.info(stream)).state.messages;
  const out: { id: string; subject: string; body: any }[] = [];
  if (total === 0) return out;
  const consumer = await jetstream(nc).consumers.get(stream);
  while (out.length < total) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
    let got = 0;
    for await (const m of batch) {
      out.push({ id: m.headers?.get('Nats-Msg-Id') ?? '', subject: m.subject, body: m.json() });
      got++;
    }
    if (got === 0) break;
  }
  return out;
}

/** One transcript line as the stream carries it: the run it travels in, and its item. */
export interface StreamLine {
  msgId: string;
  subject: string;
  file: string;
  offset: number;
  entry?: any;
  rejected?: { reason: string; detail?: string };
}

/** Every line of a stream in order, the runs (envelope v2) taken apart. */
export async function readLines(nc: NatsConnection, stream: string): Promise<StreamLine[]> {
  return (await readStream(nc, stream)).flatMap((m) => {
    if (m.body.v !== 2) throw new Error(`expected envelope v2, got ${JSON.stringify(m.body).slice(0, 200)}`);
    return m.body.lines.map((l: { o: number; e?: unknown; r?: StreamLine['rejected'] }) => ({
      msgId: m.id,
      subject: m.subject,
      file: m.body.file,
      offset: l.o,
      ...(l.e ? { entry: l.e } : { rejected: l.r }),
    }));
  });
}

/** The uuids of a stream's lines, in order (a line without one as `<file>:<offset>`). */
export async function lineIds(nc: NatsConnection, stream: string): Promise<string[]> {
  return (await readLines(nc, stream)).map((l) => l.entry?.uuid ?? `${l.file}:${l.offset}`);
}

export async function streamCount(nc: NatsConnection, stream: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(stream)).state.messages;
}

/** Bytes the stream holds (0 before it exists). */
export async function streamBytes(nc: NatsConnection, stream: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return jsm.streams
    .info(stream)
    .then((i) => i.state.bytes)
    .catch(() => 0);
}

export async function deleteNames(nc: NatsConnection, config: IngestConfig): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const name of [config.stream, `KV_${config.offsetsBucket}`]) await jsm.streams.delete(name).catch(() => false);
}

/** An in-process ingestor on the real NATS, as the service wires it (minus Nest). */
export interface RunningIngestor {
  ingestor: Ingestor;
  metrics: IngestorMetrics;
  nc: NatsConnection;
  config: IngestConfig;
  stop(): Promise<void>;
}

export async function startIngestor(config: IngestConfig): Promise<RunningIngestor> {
  const nc = await connect({ servers: config.natsServers });
  const jsm = await jetstreamManager(nc);
  await ensureEntriesStream(jsm, config);
  const offsets = await OffsetsStore.open(nc, config.offsetsBucket, config.host, { keepPaths: !config.redact?.paths });
  const metrics = createIngestorMetrics({ defaults: false });
  const log = pino({ level: process.env.LOG_LEVEL || 'silent' });
  const window = new PublishWindow(nc, config.publishWindow, metrics, log);
  const ingestor = new Ingestor({ config, nc, window, offsets, metrics, log });
  return {
    ingestor,
    metrics,
    nc,
    config,
    stop: async () => {
      await ingestor.stop(2000);
      await nc.drain();
    },
  };
}

/** Polls `check` until it returns true or `ms` pass. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 5000, every = 25): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, every));
  }
  return check();
}

/** A synthetic transcript line with a uuid (so its id is `<user>:<session>:<uuid>`). */
export function line(session: string, uuid: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'user',
    uuid,
    sessionId: session,
    timestamp: '2025-01-01T00:00:00.000Z',
    message: { role: 'user', content: `secret prompt ${uuid}` },
    ...extra,
  }) + '\n';
}
