import {
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';
import { entriesStreamDefinition, planEntriesStream, type EntriesStreamPlan } from '@ccpulse/domain';
import type { IngestConfig } from '../config/ingest-config';

/** The existing stream is set up in a way the ingestor cannot work with; it will not change it. */
export class StreamConfigConflictError extends Error {
  readonly code = 'STREAM_CONFIG_CONFLICT';

  constructor(stream: string, problems: string[]) {
    super(`stream ${stream} exists with a conflicting config: ${problems.join('; ')}`);
    this.name = 'StreamConfigConflictError';
  }
}

/** The shared stream definition (libs/domain) plus the ingestor's size cap. */
export function desiredStreamConfig(config: IngestConfig): Partial<StreamConfig> & { name: string } {
  const def = entriesStreamDefinition(config.stream, config.subjectPrefix);
  return {
    name: def.name,
    subjects: def.subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(def.duplicateWindowMs),
    max_bytes: config.streamMaxBytes,
  };
}

/** The domain's plan for an existing stream, plus the size cap, which only the ingestor sets. */
export function streamConflicts(existing: StreamConfig, config: IngestConfig): { plan: EntriesStreamPlan; problems: string[]; notes: string[] } {
  const plan = planEntriesStream(entriesStreamDefinition(config.stream, config.subjectPrefix), {
    subjects: existing.subjects ?? [],
    storage: existing.storage,
    retention: existing.retention,
    duplicateWindowMs: millis(existing.duplicate_window ?? 0),
  });
  const problems = plan.action === 'conflict' ? [...plan.problems] : [];
  const notes: string[] = [];
  if (plan.action === 'update-window') notes.push(`duplicate window updated from ${plan.fromMs} ms to ${plan.toMs} ms`);
  if ((existing.max_bytes ?? -1) !== config.streamMaxBytes) {
    const msg = `max bytes is ${existing.max_bytes}, configured ${config.streamMaxBytes} (STREAM_MAX_BYTES)`;
    (config.streamMaxBytesSet ? problems : notes).push(msg);
  }
  return { plan, problems, notes };
}

/** Creates the entries stream, or checks an existing one and sets its duplicate window; returns notes worth a log line. */
export async function ensureEntriesStream(jsm: JetStreamManager, config: IngestConfig): Promise<string[]> {
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(config.stream);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
    await jsm.streams.add(desiredStreamConfig(config));
    return [];
  }
  const { plan, problems, notes } = streamConflicts(info.config, config);
  if (problems.length) throw new StreamConfigConflictError(config.stream, problems);
  if (plan.action === 'update-window') await jsm.streams.update(config.stream, { ...info.config, duplicate_window: nanos(plan.toMs) });
  return notes;
}
