import { entriesSubjects } from '@ccpulse/domain';
import {
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/**
 * Makes sure the entries stream exists (the ingestor normally creates it; an aggregator started
 * first must not fail). An existing stream is left exactly as it is.
 */
export async function ensureEntriesStream(jsm: JetStreamManager, stream: string, prefix: string): Promise<StreamInfo> {
  try {
    return await jsm.streams.info(stream);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    return await jsm.streams.add({
      name: stream,
      subjects: [entriesSubjects(prefix)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(2 * 60_000),
    });
  } catch (err) {
    // Lost a creation race with an ingestor or another aggregator: theirs is as good as ours.
    return jsm.streams.info(stream).catch(() => Promise.reject(err));
  }
}

/** A JetStream API "not found" (stream, consumer or message) — the one error worth branching on. */
export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const status = (err as { status?: unknown })?.status;
  return code === 10014 || code === 10059 || code === 10037 || status === 404;
}
