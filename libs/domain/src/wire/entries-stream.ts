/**
 * The one definition of the entries stream. Both the ingestor and the aggregator may be the first
 * to start, so both make sure the stream exists, and both do it from this definition: whichever
 * app starts first, the stream ends up the same.
 */
import { entriesSubjects } from './subjects';

/**
 * The stream's duplicate window. Exactly-once rests on natural keys in PostgreSQL, so the window
 * only saves work; one hour covers a restarted ingestor re-sending what it had not checkpointed
 * and a file re-read after a rewrite, without making the server remember ids for long.
 */
export const ENTRIES_DUPLICATE_WINDOW_MS = 60 * 60_000;

/** What the entries stream must be (plain data; the shell maps it onto the JetStream client). */
export interface EntriesStreamDefinition {
  name: string;
  subjects: string[];
  storage: 'file';
  retention: 'limits';
  duplicateWindowMs: number;
  /**
   * The size cap (-1 = unlimited), only when an operator set one (`STREAM_MAX_BYTES`). Absent,
   * the app has no opinion: a new stream is unlimited and an existing stream keeps its cap, so an
   * app without the setting never undoes what one with it did.
   */
  maxBytes?: number;
}

export function entriesStreamDefinition(name: string, prefix: string, maxBytes?: number): EntriesStreamDefinition {
  const def: EntriesStreamDefinition = { name, subjects: [entriesSubjects(prefix)], storage: 'file', retention: 'limits', duplicateWindowMs: ENTRIES_DUPLICATE_WINDOW_MS };
  if (maxBytes !== undefined) def.maxBytes = maxBytes;
  return def;
}

/** The parts of an existing stream the plan looks at. */
export interface ExistingEntriesStream {
  subjects: string[];
  storage: string;
  retention: string;
  duplicateWindowMs: number;
  /** -1 = unlimited. */
  maxBytes: number;
  /** Bytes the stream holds now (0 when unknown). */
  storedBytes?: number;
}

/** A setting of an existing stream that is brought in line in place. */
export interface EntriesStreamChange {
  setting: 'duplicateWindowMs' | 'maxBytes';
  from: number;
  to: number;
}

/**
 * What to do with the stream found at start: create it, update the settings that can change in
 * place without misrouting anything (the duplicate window, an explicitly set size cap that holds
 * what the stream has), or refuse because it would lose or misroute data.
 */
export type EntriesStreamPlan =
  | { action: 'create' }
  | { action: 'keep' }
  | { action: 'update'; changes: EntriesStreamChange[] }
  | { action: 'conflict'; problems: string[] };

export function planEntriesStream(want: EntriesStreamDefinition, existing: ExistingEntriesStream | undefined): EntriesStreamPlan {
  if (!existing) return { action: 'create' };
  const problems: string[] = [];
  const subject = want.subjects[0];
  if (!existing.subjects.includes(subject)) {
    problems.push(`subjects are [${existing.subjects.join(', ')}], need '${subject}' (CCPULSE_SUBJECT_PREFIX)`);
  }
  if (existing.storage !== want.storage) problems.push(`storage is '${existing.storage}', need '${want.storage}'`);
  if (existing.retention !== want.retention) problems.push(`retention is '${existing.retention}', need '${want.retention}'`);
  const stored = existing.storedBytes ?? 0;
  if (want.maxBytes !== undefined && want.maxBytes !== -1 && want.maxBytes < stored) {
    // Below what the stream holds, the server drops the oldest messages at once: unread ones and the history a rebuild replays.
    problems.push(
      `it holds ${stored} bytes, more than STREAM_MAX_BYTES=${want.maxBytes}: that cap would drop the oldest messages at once; raise the setting, or lower the cap by hand (nats stream edit) if that is meant`,
    );
  }
  if (problems.length) return { action: 'conflict', problems };
  const changes: EntriesStreamChange[] = [];
  if (existing.duplicateWindowMs !== want.duplicateWindowMs) {
    changes.push({ setting: 'duplicateWindowMs', from: existing.duplicateWindowMs, to: want.duplicateWindowMs });
  }
  if (want.maxBytes !== undefined && existing.maxBytes !== want.maxBytes) {
    changes.push({ setting: 'maxBytes', from: existing.maxBytes, to: want.maxBytes });
  }
  return changes.length ? { action: 'update', changes } : { action: 'keep' };
}

/** A change in words, for a log line or an error: `duplicate window from 120000 ms to 3600000 ms`. */
export function describeEntriesStreamChange(change: EntriesStreamChange): string {
  return change.setting === 'duplicateWindowMs'
    ? `duplicate window from ${change.from} ms to ${change.to} ms`
    : `max bytes from ${change.from} to ${change.to} (STREAM_MAX_BYTES)`;
}
