/**
 * The checkpoint of one file: the end of the longest prefix of lines whose PubAcks arrived.
 * Lines are registered in file order; acks may come back in any order, and the checkpoint only
 * moves past a line once every line before it is acknowledged too.
 */
export class AckTracker {
  /** Lines from index `first` on are the registered ones not yet behind the checkpoint. */
  private readonly ends: number[] = [];
  private readonly acked: boolean[] = [];
  private first = 0;
  /** Ticket of the line at index `first`. */
  private head = 0;
  private nextTicket = 0;
  private committedOffset: number;

  constructor(start = 0) {
    this.committedOffset = start;
  }

  /** End offset of the acknowledged prefix: where a restart resumes. */
  get committed(): number {
    return this.committedOffset;
  }

  /** Lines registered and not yet behind the checkpoint. */
  get pending(): number {
    return this.nextTicket - this.head;
  }

  /** Registers the next line (ending at `end`); a line that needs no ack (blank) is `done` at once. */
  add(end: number, done = false): number {
    const ticket = this.nextTicket++;
    this.ends.push(end);
    this.acked.push(done);
    if (done) this.advance();
    return ticket;
  }

  /** Marks a line acknowledged; true when the checkpoint moved. */
  ack(ticket: number): boolean {
    if (ticket < this.head) return false;
    const i = this.first + (ticket - this.head);
    if (i >= this.ends.length) return false;
    this.acked[i] = true;
    return this.advance();
  }

  private advance(): boolean {
    let n = this.first;
    while (n < this.acked.length && this.acked[n]) n++;
    if (n === this.first) return false;
    this.committedOffset = this.ends[n - 1];
    this.head += n - this.first;
    this.first = n;
    // Acks mostly arrive in order, one at a time: the passed prefix is dropped when nothing is
    // left, or in one piece once it is most of the arrays, not shifted out on every ack.
    if (this.first === this.ends.length) {
      this.ends.length = this.acked.length = this.first = 0;
    } else if (this.first >= COMPACT_AFTER && this.first * 2 >= this.ends.length) {
      this.ends.splice(0, this.first);
      this.acked.splice(0, this.first);
      this.first = 0;
    }
    return true;
  }
}

const COMPACT_AFTER = 1024;
