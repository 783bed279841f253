/**
 * The next poll of a file that went quiet `idleMs` ago: a tenth of the quiet time, at least
 * `fastMs` and at most `slowestMs`. A file Claude Code is writing is polled every second behind
 * the events; one quiet for an hour is left to the events and the sweep.
 */
export function pollInterval(idleMs: number, fastMs: number, slowestMs: number): number {
  return Math.min(slowestMs, Math.max(fastMs, Math.round(idleMs / 10)));
}

/**
 * When each recently written file is polled next (pure: the caller passes the time). Only files
 * whose interval is still below `slowestMs` (the sweep period) are kept: the others cost nothing
 * until an event or the sweep sees them change, so polling grows with the active files, not with
 * the history.
 */
export class PollSchedule {
  private readonly next = new Map<string, number>();

  constructor(
    private readonly fastMs: number,
    private readonly slowestMs: number,
  ) {}

  /** Files polled behind the events. */
  get size(): number {
    return this.next.size;
  }

  /** The file was looked at now and last grew at `lastGrowthMs`: when to look again, or left to the sweep. */
  checked(path: string, lastGrowthMs: number, nowMs: number): void {
    const interval = pollInterval(nowMs - lastGrowthMs, this.fastMs, this.slowestMs);
    if (interval >= this.slowestMs) this.next.delete(path);
    else this.next.set(path, nowMs + interval);
  }

  forget(path: string): void {
    this.next.delete(path);
  }

  /** When the file's poll is due; undefined when it is left to the events and the sweep. */
  dueAt(path: string): number | undefined {
    return this.next.get(path);
  }

  /** When the earliest poll is due (ms since the epoch); undefined when no file is polled. */
  nextDue(): number | undefined {
    let earliest: number | undefined;
    for (const at of this.next.values()) if (earliest === undefined || at < earliest) earliest = at;
    return earliest;
  }

  /** The files whose poll is due at `nowMs`. */
  due(nowMs: number): string[] {
    const out: string[] = [];
    for (const [path, at] of this.next) if (at <= nowMs) out.push(path);
    return out;
  }
}
