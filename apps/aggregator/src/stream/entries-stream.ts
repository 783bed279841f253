import { entriesStreamDefinition, planEntriesStream } from '@ccpulse/domain';
import {
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';

/**
 * Makes sure the entries stream exists and has the shared definition's duplicate window (the
 * ingestor normally creates it; an aggregator started first must not fail, and must not leave a
 * stream that differs from the one an ingestor would have made). Subjects, storage and retention
 * of an existing stream are the ingestor's to check; only the window is brought in line here.
 */
export async function ensureEntriesStream(jsm: JetStreamManager, stream: string, prefix: string): Promise<StreamInfo> {
  const def = entriesStreamDefinition(stream, prefix);
  let info: StreamInfo | undefined;
  try {
    info = await jsm.streams.info(stream);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!info) {
    try {
      return await jsm.streams.add({
        name: def.name,
        subjects: def.subjects,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        duplicate_window: nanos(def.duplicateWindowMs),
      });
    } catch (err) {
      // Lost a creation race with an ingestor or another aggregator: theirs has the same definition.
      return jsm.streams.info(stream).catch(() => Promise.reject(err));
    }
  }
  const plan = planEntriesStream(def, {
    subjects: info.config.subjects ?? [],
    storage: info.config.storage,
    retention: info.config.retention,
    duplicateWindowMs: millis(info.config.duplicate_window ?? 0),
  });
  if (plan.action === 'update-window') return jsm.streams.update(stream, { ...info.config, duplicate_window: nanos(plan.toMs) });
  return info;
}

/** A JetStream API "not found" (stream, consumer or message) — the one error worth branching on. */
export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const status = (err as { status?: unknown })?.status;
  return code === 10014 || code === 10059 || code === 10037 || status === 404;
}
