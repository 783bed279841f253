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
import { readLines } from '../files/line-reader';
import { listTranscriptFiles } from '../files/transcript-roots';

/** The local user in entry keys of lines without a uuid (only one machine's files are read). */
const LOCAL_USER = 'local';

export interface LoadOptions {
  /** Keep the deduplicated entries too (session reports); daily views need only the responses. */
  entries: boolean;
  /** Only lines whose cwd, or whose project directory name, contains this text. */
  project?: string;
  /** Told about each malformed line (file, 1-based line number, reason). */
  onRejected?: (file: string, lineNumber: number, reason: RejectionReason, detail?: string) => void;
}

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

/** Streams every transcript under the roots, line by line, into the ledgers. */
export async function loadTranscripts(roots: string[], opts: LoadOptions): Promise<LoadedTranscripts> {
  const out: LoadedTranscripts = {
    usage: new UsageLedger(), entries: new EntryLedger(), toolUses: new ToolUseLedger(), keys: new Map(),
    files: 0, bytes: 0, lines: 0, rejectedLines: 0,
  };
  for (const root of roots) {
    for (const f of await listTranscriptFiles(root)) {
      out.files++;
      out.bytes += f.size;
      const projectDir = f.file.split(/[\\/]/)[0];
      const projectMatches = opts.project === undefined || projectDir.includes(opts.project);
      let lineNumber = 0;
      for await (const { line, offset, tooLarge, length } of readLines(f.path, { final: true, maxLineBytes: DEFAULT_MAX_LINE_BYTES })) {
        lineNumber++;
        if (tooLarge) {
          out.rejectedLines++;
          opts.onRejected?.(f.path, lineNumber, 'too_large', `${length} bytes`);
          continue;
        }
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
        if (opts.entries) {
          out.entries.add(entry);
          out.toolUses.add(entry, key);
          out.keys.set(entry, key);
        }
      }
    }
  }
  return out;
}

