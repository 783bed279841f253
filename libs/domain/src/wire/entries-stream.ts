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

/** What the entries stream must be (plain data; the apps map it onto the JetStream client). */
export interface EntriesStreamDefinition {
  name: string;
  subjects: string[];
  storage: 'file';
  retention: 'limits';
  duplicateWindowMs: number;
}

export function entriesStreamDefinition(name: string, prefix: string): EntriesStreamDefinition {
  return { name, subjects: [entriesSubjects(prefix)], storage: 'file', retention: 'limits', duplicateWindowMs: ENTRIES_DUPLICATE_WINDOW_MS };
}

/** The parts of an existing stream the plan looks at. */
export interface ExistingEntriesStream {
  subjects: string[];
  storage: string;
  retention: string;
  duplicateWindowMs: number;
}

/**
 * What to do with the stream found at start: create it, update its duplicate window (harmless,
 * so done without asking), or refuse because it would lose or misroute data.
 */
export type EntriesStreamPlan =
  | { action: 'create' }
  | { action: 'keep' }
  | { action: 'update-window'; fromMs: number; toMs: number }
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
  if (problems.length) return { action: 'conflict', problems };
  if (existing.duplicateWindowMs !== want.duplicateWindowMs) {
    return { action: 'update-window', fromMs: existing.duplicateWindowMs, toMs: want.duplicateWindowMs };
  }
  return { action: 'keep' };
}
