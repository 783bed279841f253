import {
  DEFAULT_MAX_LINE_BYTES,
  EntryLedger,
  ToolUseLedger,
  UsageLedger,
  entryKey,
  isBlankLine,
  parseLine,
  toEntry,
  usageRecordOf,
  type Entry,
  type RejectionReason,
} from '@ccpulse/domain';
import { readLines } from './line-reader';
import { listTranscriptFiles, type TranscriptFile } from './transcript-roots';
import { readerThreadsAvailable, readUnitsInParallel } from './parallel-usage-load';
import { planUsageUnits, type UsageUnit } from './usage-load-plan';
import { LOCAL_USER, readUsageUnit, type UnitResult } from './usage-segment.reader';

export interface LoadOptions {
  /** Keep the deduplicated entries too (session reports); daily views need only the responses. */
  entries: boolean;
  /** Only lines whose cwd, or whose project directory name, contains this text. */
  project?: string;
  /** Told about each malformed line (file, 1-based line number, reason), in file and line order. */
  onRejected?: (file: string, lineNumber: number, reason: RejectionReason, detail?: string) => void;
  /** Threads that may read at once when only usage is wanted (default 1: this thread alone). */
  threads?: number;
}

/** Below this much transcript, starting reader threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;
/** Longer files are read in pieces of about this size, so one long session does not serialise the load. */
const SEGMENT_BYTES = 8 << 20;
/** Work sent to a reader thread at a time. */
const UNIT_BYTES = 8 << 20;

/** Everything read from the transcript roots, deduplicated as the counting rules say. */
export interface LoadedTranscripts {
  usage: UsageLedger;
  entries: EntryLedger;
  toolUses: ToolUseLedger;
  /** Entry key of each kept entry (for the tool-use dedupe), when entries are kept. */
  keys: Map<Entry, string>;
  files: number;
  bytes: number;
  lines: number;
  rejectedLines: number;
}

/**
 * Streams every transcript under the roots, line by line, into the ledgers. When only usage is
 * wanted, files are read by the usage reader, on several threads for a large history; the result
 * is the same, byte for byte, as reading them one after the other here.
 */
export async function loadTranscripts(roots: string[], opts: LoadOptions): Promise<LoadedTranscripts> {
  const out = emptyLoad();
  const files: TranscriptFile[] = [];
  for (const root of roots) files.push(...(await listTranscriptFiles(root)));
  out.files = files.length;
  for (const f of files) out.bytes += f.size;
  const dirMatches = projectDirMatches(files, opts.project);
  if (opts.entries) {
    for (const [i, f] of files.entries()) await loadEntries(f, dirMatches[i], opts, out);
    return out;
  }
  const take = unitResultTaker(files, out, opts.onRejected);
  const threads = opts.threads ?? 1;
  if (threads > 1 && out.bytes >= PARALLEL_MIN_BYTES && readerThreadsAvailable()) {
    const units = planUsageUnits(files, { segmentBytes: SEGMENT_BYTES, unitBytes: UNIT_BYTES });
    await readUnitsInParallel(units, threads, { project: opts.project, projectDirMatches: dirMatches }, (unit) => readUsageUnit(unit, opts.project, dirMatches), (result, index) => take(units[index], result));
  } else {
    for (const [i, f] of files.entries()) {
      const whole: UsageUnit = { segments: [{ path: f.path, file: f.file, start: 0, end: Number.POSITIVE_INFINITY }], fileIndexes: [i] };
      take(whole, readUsageUnit(whole, opts.project, dirMatches));
    }
  }
  return out;
}

export function emptyLoad(): LoadedTranscripts {
  return {
    usage: new UsageLedger(), entries: new EntryLedger(), toolUses: new ToolUseLedger(), keys: new Map(),
    files: 0, bytes: 0, lines: 0, rejectedLines: 0,
  };
}

/** Per file: no `project` filter, or the file's project directory name contains it. */
export function projectDirMatches(files: TranscriptFile[], project: string | undefined): boolean[] {
  return files.map((f) => project === undefined || f.file.split(/[\\/]/)[0].includes(project));
}

/**
 * Takes the results of a plan's units, which must come in plan order, into `out`: each unit's
 * ledger merged after the ones before it, its lines numbered after the earlier segments of the
 * same file, its rejections counted and told in file and line order.
 */
export function unitResultTaker(files: TranscriptFile[], out: LoadedTranscripts, onRejected: LoadOptions['onRejected']): (unit: UsageUnit, result: UnitResult) => void {
  const linesBefore = new Array<number>(files.length).fill(0);
  return (unit, result) => {
    out.usage.merge(result.ledger);
    result.segments.forEach((segment, k) => {
      const fileIndex = unit.fileIndexes[k];
      out.lines += segment.lines;
      for (const r of segment.rejections) {
        out.rejectedLines++;
        onRejected?.(files[fileIndex].path, linesBefore[fileIndex] + r.line, r.reason, r.detail);
      }
      linesBefore[fileIndex] += segment.lineCount;
    });
  };
}

/** One file into every ledger: the entries, their tool uses and the usage (session reports). */
async function loadEntries(f: TranscriptFile, projectMatches: boolean, opts: LoadOptions, out: LoadedTranscripts): Promise<void> {
  let lineNumber = 0;
  for await (const split of readLines(f.path, { final: true, maxLineBytes: DEFAULT_MAX_LINE_BYTES })) {
    lineNumber++;
    if (split.kind === 'oversized') {
      out.lines++; // read and rejected, as the usage reader counts it
      out.rejectedLines++;
      opts.onRejected?.(f.path, lineNumber, 'too_large', `${split.length} bytes`);
      continue;
    }
    const { bytes: line, offset } = split;
    if (isBlankLine(line)) continue;
    out.lines++;
    const parsed = parseLine(line);
    if (!parsed.ok) {
      out.rejectedLines++;
      opts.onRejected?.(f.path, lineNumber, parsed.reason, parsed.detail);
      continue;
    }
    const entry = toEntry(parsed.value, { file: f.file });
    if (!projectMatches && !(entry.cwd ?? '').includes(opts.project!)) continue;
    const key = entryKey(entry, LOCAL_USER, f.file, offset);
    const record = usageRecordOf(entry, key);
    if (record) out.usage.add(record);
    out.entries.add(entry);
    out.toolUses.add(entry, key);
    out.keys.set(entry, key);
  }
}
