import { closeSync, openSync } from 'node:fs';
import { isAscii, isUtf8 } from 'node:buffer';
import {
  DEFAULT_MAX_LINE_BYTES,
  entryKey,
  isBlankLine,
  mayCarryUsage,
  parseLine,
  toEntry,
  usageRecordOf,
  type ParsedLine,
  type RejectionReason,
  UsageLedger,
  type UsageLedgerSnapshot,
} from '@ccpulse/domain';
import { forEachLineInRange } from './range-lines';
import type { UsageUnit } from './usage-load-plan';

/** The local user in entry keys of lines without a uuid (only one machine's files are read). */
export const LOCAL_USER = 'local';

/** A byte range of one transcript, starting and ending at line starts. */
export interface Segment {
  /** Absolute path. */
  path: string;
  /** Path relative to its root (names the session; part of the entry key of a line without uuid). */
  file: string;
  start: number;
  /** Exclusive; Infinity reads to the end of the file as it is when read. */
  end: number;
}

/** A malformed line of a segment; `line` counts from 1 at the segment's start. */
export interface SegmentRejection {
  line: number;
  reason: RejectionReason;
  detail?: string;
}

export interface SegmentResult {
  /** Every line read, blank and too large ones included: numbers the next segment's lines. */
  lineCount: number;
  /** Non-blank lines, malformed ones included. */
  lines: number;
  rejections: SegmentRejection[];
}

/** What reading one unit gives: its own ledger's snapshot, and each segment's counts and rejections. */
export interface UnitResult {
  ledger: UsageLedgerSnapshot;
  segments: SegmentResult[];
}

/**
 * Reads the segments of a unit, in order, into a ledger of its own (a reader thread's work).
 * `projectDirMatches` is per file of the plan, indexed like `unit.fileIndexes`.
 */
export function readUsageUnit(unit: UsageUnit, project: string | undefined, projectDirMatches: boolean[]): UnitResult {
  const ledger = new UsageLedger();
  const segments = unit.segments.map((segment, k) => readUsageSegment(segment, ledger, project, projectDirMatches[unit.fileIndexes[k]]));
  return { ledger: ledger.snapshot(), segments };
}

/**
 * Reads one segment into `ledger`, exactly as the counting rules read a file, but only as far as
 * daily usage needs: every non-blank line is parsed (a malformed one is counted wherever it is),
 * and only lines that may carry usage are turned into entries. `project`: keep only responses
 * whose cwd contains it, unless `projectDirMatches` (the file's project directory already does).
 */
export function readUsageSegment(segment: Segment, ledger: UsageLedger, project?: string, projectDirMatches = true): SegmentResult {
  const result: SegmentResult = { lineCount: 0, lines: 0, rejections: [] };
  const reject = (reason: RejectionReason, detail?: string) => {
    const rejection: SegmentRejection = { line: lineNumber, reason };
    if (detail !== undefined) rejection.detail = detail;
    result.rejections.push(rejection);
  };
  let lineNumber = 0;
  const fd = openSync(segment.path, 'r');
  try {
    forEachLineInRange(fd, segment.start, segment.end, DEFAULT_MAX_LINE_BYTES, {
      oversized(_offset, length) {
        lineNumber++;
        result.lines++;
        reject('too_large', `${length} bytes`);
      },
      line(buf, from, to, offset) {
        lineNumber++;
        const bytes = buf.subarray(from, to);
        if (isBlankLine(bytes)) return;
        result.lines++;
        let parsed: ParsedLine;
        if (isAscii(bytes)) parsed = parseLine(buf.toString('latin1', from, to));
        else if (isUtf8(bytes) && !startsWithBom(bytes)) {
          // Read as Latin-1, well-formed UTF-8 parses to the same verdict and the same `type`:
          // its multi-byte characters can only sit inside strings, where any character above
          // U+001F is allowed. Decoding so is several times faster and gives JSON.parse one-byte
          // text. Only a line that may carry usage, or a rejected one (whose message quotes the
          // text), is parsed again from its UTF-8 text, for its true strings.
          parsed = parseLine(buf.toString('latin1', from, to));
          if (!parsed.ok || mayCarryUsage(parsed.value)) parsed = parseLine(bytes);
        } else parsed = parseLine(bytes); // invalid UTF-8 or a BOM: parseLine's decoder decides
        if (!parsed.ok) return reject(parsed.reason, parsed.detail);
        if (!mayCarryUsage(parsed.value)) return;
        const entry = toEntry(parsed.value, { file: segment.file });
        if (!projectDirMatches && !(entry.cwd ?? '').includes(project!)) return;
        const record = usageRecordOf(entry, entryKey(entry, LOCAL_USER, segment.file, offset));
        if (record) ledger.add(record);
      },
    });
  } finally {
    closeSync(fd);
  }
  result.lineCount = lineNumber;
  return result;
}

/** A UTF-8 byte order mark, which parseLine's decoder drops and Latin-1 would not. */
function startsWithBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
