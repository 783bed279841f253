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
import { entriesSubjects } from '@ccpulse/domain';
import type { IngestConfig } from '../config/ingest-config';

/** The existing stream is set up in a way the ingestor cannot work with; it will not change it. */
export class StreamConfigConflictError extends Error {
  readonly code = 'STREAM_CONFIG_CONFLICT';

  constructor(stream: string, problems: string[]) {
    super(`stream ${stream} exists with a conflicting config: ${problems.join('; ')}`);
    this.name = 'StreamConfigConflictError';
  }
}

/** What the ingestor wants the entries stream to be. */
export function desiredStreamConfig(config: IngestConfig): Partial<StreamConfig> & { name: string } {
  return {
    name: config.stream,
    subjects: [entriesSubjects(config.subjectPrefix)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(config.duplicateWindowMs),
    max_bytes: config.streamMaxBytes,
  };
}

/**
 * Differences that would lose or misroute data (wrong subjects, memory storage, a retention
 * that deletes acknowledged messages) always conflict; window and size conflict only when set
 * explicitly, otherwise the stream's own values win (another app may have created it).
 */
export function streamConflicts(existing: StreamConfig, config: IngestConfig): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const want = entriesSubjects(config.subjectPrefix);
  if (!(existing.subjects ?? []).includes(want)) {
    problems.push(`subjects are [${(existing.subjects ?? []).join(', ')}], need '${want}' (CCPULSE_SUBJECT_PREFIX)`);
  }
  if (existing.storage !== StorageType.File) problems.push(`storage is '${existing.storage}', need 'file'`);
  if (existing.retention !== RetentionPolicy.Limits) problems.push(`retention is '${existing.retention}', need 'limits'`);
  const windowMs = millis(existing.duplicate_window ?? 0);
  if (windowMs !== config.duplicateWindowMs) {
    const msg = `duplicate window is ${windowMs} ms, configured ${config.duplicateWindowMs} ms (STREAM_DUPLICATE_WINDOW)`;
    (config.duplicateWindowSet ? problems : notes).push(msg);
  }
  if ((existing.max_bytes ?? -1) !== config.streamMaxBytes) {
    const msg = `max bytes is ${existing.max_bytes}, configured ${config.streamMaxBytes} (STREAM_MAX_BYTES)`;
    (config.streamMaxBytesSet ? problems : notes).push(msg);
  }
  return { problems, notes };
}

/** Creates the entries stream, or checks an existing one; returns notes worth a log line. */
export async function ensureEntriesStream(jsm: JetStreamManager, config: IngestConfig): Promise<string[]> {
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(config.stream);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
    await jsm.streams.add(desiredStreamConfig(config));
    return [];
  }
  const { problems, notes } = streamConflicts(info.config, config);
  if (problems.length) throw new StreamConfigConflictError(config.stream, problems);
  return notes;
}
