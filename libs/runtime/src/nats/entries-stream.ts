/**
 * Creates the entries stream or brings an existing one in line, for every app that may start first
 * (ingestor, aggregator). The decision is the domain's plan over the one stream definition; this
 * file only maps it onto the JetStream client, so a stream made by either app is the same stream.
 */
import {
  describeEntriesStreamChange,
  entriesStreamDefinition,
  planEntriesStream,
  type EntriesStreamChange,
  type EntriesStreamDefinition,
  type EntriesStreamPlan,
} from '@ccpulse/domain';
import { RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';
import { isNotFound } from './jetstream-not-found';
import { StreamConfigConflictError } from './stream-config-conflict.error';

/** What an app knows about the stream it needs. */
export interface EntriesStreamSettings {
  stream: string;
  subjectPrefix: string;
  /** `STREAM_MAX_BYTES` when set (-1 = unlimited); undefined = keep what the stream has. */
  streamMaxBytes?: number;
}

function definitionOf(settings: EntriesStreamSettings): EntriesStreamDefinition {
  return entriesStreamDefinition(settings.stream, settings.subjectPrefix, settings.streamMaxBytes);
}

/** The config a new stream is created with. Without a cap set, the server's default (unlimited). */
export function entriesStreamConfig(settings: EntriesStreamSettings): Partial<StreamConfig> & { name: string } {
  const def = definitionOf(settings);
  return {
    name: def.name,
    subjects: def.subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(def.duplicateWindowMs),
    ...(def.maxBytes === undefined ? {} : { max_bytes: def.maxBytes }),
  };
}

/** The domain's plan for a stream that exists and holds `storedBytes`. */
export function planExistingStream(existing: StreamConfig, settings: EntriesStreamSettings, storedBytes = 0): EntriesStreamPlan {
  return planEntriesStream(definitionOf(settings), {
    subjects: existing.subjects ?? [],
    storage: existing.storage,
    retention: existing.retention,
    duplicateWindowMs: millis(existing.duplicate_window ?? 0),
    maxBytes: existing.max_bytes ?? -1,
    storedBytes,
  });
}

function applied(config: StreamConfig, changes: EntriesStreamChange[]): StreamConfig {
  const next = { ...config };
  for (const c of changes) {
    if (c.setting === 'duplicateWindowMs') next.duplicate_window = nanos(c.to);
    else next.max_bytes = c.to;
  }
  return next;
}

/**
 * Makes sure the entries stream exists and matches the definition; returns what it changed, each
 * worth a log line. Throws {@link StreamConfigConflictError} when the stream would misroute or
 * lose data, or when a needed change is not allowed (an ingestor whose NATS user may only read
 * the stream's info).
 */
export async function ensureEntriesStream(jsm: JetStreamManager, settings: EntriesStreamSettings): Promise<string[]> {
  let info = await streamInfo(jsm, settings.stream);
  if (!info) {
    try {
      await jsm.streams.add(entriesStreamConfig(settings));
      return [];
    } catch (err) {
      // Lost a creation race with another app: check what it made like any existing stream.
      info = await streamInfo(jsm, settings.stream);
      if (!info) throw err;
    }
  }
  const plan = planExistingStream(info.config, settings, info.state.bytes);
  if (plan.action === 'conflict') throw new StreamConfigConflictError(settings.stream, plan.problems);
  if (plan.action !== 'update') return [];
  const changes = plan.changes.map(describeEntriesStreamChange);
  try {
    await jsm.streams.update(settings.stream, applied(info.config, plan.changes));
  } catch (err) {
    const reason = (err as Error)?.message ?? String(err);
    throw new StreamConfigConflictError(settings.stream, changes.map((c) => `cannot update ${c}: ${reason}`), { cause: err });
  }
  return changes.map((c) => `updated ${c}`);
}

async function streamInfo(jsm: JetStreamManager, stream: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(stream);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return undefined;
  }
}
