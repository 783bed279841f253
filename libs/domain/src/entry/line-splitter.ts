/**
 * One complete transcript line cut out of a byte stream: its bytes (without the `\n`) or, when
 * it was longer than the cap, only its length — its bytes were skipped, never held.
 */
export type SplitLine =
  | { kind: 'line'; offset: number; end: number; bytes: Buffer }
  | { kind: 'oversized'; offset: number; end: number; length: number };

/**
 * Splits chunks of a file into lines by bytes, keeping the partial tail between chunks (a line
 * written in two halves is emitted once, when its `\n` arrives). A line longer than `maxBytes`
 * is not buffered: the splitter drops its bytes up to the next `\n` and reports its length, so
 * a 50 MB paste costs at most `maxBytes` of memory.
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
   * Takes the pending line as complete although its `\n` has not come (a final line that stays
   * unterminated), when `accept` agrees. A `\n` that arrives later then ends an empty line.
   */
  takePending(accept: (bytes: Buffer) => boolean): SplitLine | undefined {
    if (this.partLength === 0 || this.skipping) return undefined;
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partLength);
    if (!accept(bytes)) return undefined;
    const line: SplitLine = { kind: 'line', offset: this.lineStart, end: this.position, bytes };
    this.parts = [];
    this.partLength = 0;
    this.lineStart = this.position;
    return line;
  }

  reset(start = 0): void {
    this.parts = [];
    this.partLength = 0;
    this.skipping = false;
    this.lineStart = start;
    this.position = start;
  }

  /** Feeds the bytes that follow `nextOffset`; returns the lines completed by them, in order. */
  push(chunk: Buffer): SplitLine[] {
    const out: SplitLine[] = [];
    const base = this.position;
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      const end = base + nl + 1;
      const length = this.partLength + (nl - from);
      if (this.skipping || length > this.maxBytes) {
        out.push({ kind: 'oversized', offset: this.lineStart, end, length });
      } else {
        const piece = chunk.subarray(from, nl);
        const bytes = this.parts.length === 0 ? piece : Buffer.concat([...this.parts, piece], length);
        out.push({ kind: 'line', offset: this.lineStart, end, bytes });
      }
      this.parts = [];
      this.partLength = 0;
      this.skipping = false;
      this.lineStart = end;
      from = nl + 1;
    }
    const rest = chunk.length - from;
    if (rest > 0) {
      this.partLength += rest;
      if (this.skipping || this.partLength > this.maxBytes) {
        this.skipping = true;
        this.parts = [];
      } else {
        // Copy so the pending half does not pin the whole read buffer.
        this.parts.push(Buffer.from(chunk.subarray(from)));
      }
    }
    this.position = base + chunk.length;
    return out;
  }
}
