/**
 * The checkpoint of one file: the end of the longest prefix of lines whose PubAcks arrived.
 * Lines are registered in file order; acks may come back in any order, and the checkpoint only
 * moves past a line once every line before it is acknowledged too.
 */
export class AckTracker {
  private readonly ends: number[] = [];
  private readonly acked: boolean[] = [];
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
    const i = ticket - this.head;
    if (i < 0 || i >= this.ends.length) return false;
    this.acked[i] = true;
    return this.advance();
  }

  private advance(): boolean {
    let n = 0;
    while (n < this.acked.length && this.acked[n]) n++;
    if (n === 0) return false;
    this.committedOffset = this.ends[n - 1];
    this.ends.splice(0, n);
    this.acked.splice(0, n);
    this.head += n;
    return true;
  }
}
