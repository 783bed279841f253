import { isCompleteJsonLine } from './complete-json-line';

/**
 * One complete transcript line cut out of a byte stream: its bytes (without the `\n`) or, when
 * it was longer than the cap, only its length — its bytes were skipped, never held. `end` is
 * where the next line starts.
 */
export type SplitLine =
  | { kind: 'line'; offset: number; end: number; bytes: Buffer }
  | { kind: 'oversized'; offset: number; end: number; length: number };

/** Told about each line the splitter completes, in order (the allocation-free form of `SplitLine`). */
export interface LineVisitor {
  /**
   * A line without its `\n`: `buf[from, to)`, valid only during the call (the caller may reuse
   * its read buffer afterwards); `offset` is its first byte in the stream.
   */
  line(buf: Buffer, from: number, to: number, offset: number): void;
  /** A line longer than the cap, never buffered: its first byte and its length without `\n`. */
  oversized(offset: number, length: number): void;
}

const NL = 0x0a;

/**
 * Splits chunks of a file into lines by bytes, keeping the partial tail between chunks (a line
 * written in two halves is emitted once, when its `\n` arrives). A line longer than `maxBytes`
 * is not buffered: the splitter drops its bytes up to the next `\n` and reports its length, so
 * a 50 MB paste costs at most `maxBytes` of memory. The one splitter of the product: the
 * ingestor's tail and the report's readers all cut lines here, so they agree on every line.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partLength = 0;
  private skipping = false;
  private lineStart: number;
  private position: number;

  constructor(
    private readonly maxBytes: number,
    start = 0,
  ) {
    this.lineStart = start;
    this.position = start;
  }

  /** Offset of the next byte the splitter expects. */
  get nextOffset(): number {
    return this.position;
  }

  /** Offset where the pending (incomplete) line starts; equals `nextOffset` when nothing is pending. */
  get pendingOffset(): number {
    return this.lineStart;
  }

  /**
   * The pending line (one whose `\n` has not come) taken as finished, when it is a complete JSON
   * value (`isCompleteJsonLine`). Otherwise undefined, and it stays pending: it may still be
   * being written. A pending line above the cap stays pending too (its bytes were not kept, so
   * it cannot be judged; its `\n` reports it `oversized`). The ingestor calls this once the file
   * has been quiet or at the end of `--once`, the report at the end of a file, so both take the
   * same last line. A `\n` that arrives after a taken line ends an empty line.
   */
  takeFinishedLine(): Extract<SplitLine, { kind: 'line' }> | undefined {
    if (this.partLength === 0 || this.skipping) return undefined;
    const bytes = this.pendingBytes();
    if (!isCompleteJsonLine(bytes)) return undefined;
    const line = { kind: 'line' as const, offset: this.lineStart, end: this.position, bytes };
    this.startLineAt(this.position);
    return line;
  }

  reset(start = 0): void {
    this.startLineAt(start);
    this.position = start;
  }

  /** Feeds the bytes that follow `nextOffset`; returns the lines completed by them, in order. */
  push(chunk: Buffer): SplitLine[] {
    const out: SplitLine[] = [];
    this.scan(chunk, {
      line: (buf, from, to, offset) => out.push({ kind: 'line', offset, end: offset + (to - from) + 1, bytes: buf.subarray(from, to) }),
      oversized: (offset, length) => out.push({ kind: 'oversized', offset, end: offset + length + 1, length }),
    });
    return out;
  }

  /**
   * Feeds the bytes that follow `nextOffset` and tells `visit` about each line they complete,
   * without an object per line: the form for readers that parse a line and move on. `chunk`
   * is not kept (the pending tail is copied), so the caller may reuse it for its next read.
   */
  scan(chunk: Buffer, visit: LineVisitor): void {
    const base = this.position;
    let from = 0;
    for (let nl = chunk.indexOf(NL, from); nl !== -1; nl = chunk.indexOf(NL, from)) {
      const length = this.partLength + (nl - from);
      if (this.skipping || length > this.maxBytes) visit.oversized(this.lineStart, length);
      else if (this.parts.length === 0) visit.line(chunk, from, nl, this.lineStart);
      else visit.line(Buffer.concat([...this.parts, chunk.subarray(from, nl)], length), 0, length, this.lineStart);
      this.startLineAt(base + nl + 1);
      from = nl + 1;
    }
    const rest = chunk.length - from;
    if (rest > 0) {
      this.partLength += rest;
      if (this.skipping || this.partLength > this.maxBytes) {
        this.skipping = true;
        this.parts = [];
      } else {
        // Copy so the pending half does not pin the whole read buffer, nor change when it is reused.
        this.parts.push(Buffer.from(chunk.subarray(from)));
      }
    }
    this.position = base + chunk.length;
  }

  private pendingBytes(): Buffer {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partLength);
  }

  private startLineAt(offset: number): void {
    this.parts = [];
    this.partLength = 0;
    this.skipping = false;
    this.lineStart = offset;
  }
}
