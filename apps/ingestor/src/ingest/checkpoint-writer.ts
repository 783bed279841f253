import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import type { OffsetsStore } from '../nats/offsets.store';
import { readFingerprint } from '../tail/fingerprint';
import type { TrackedFile } from '../tail/tracked-file';

/**
 * The fingerprint stored with a checkpoint: the one kept from the last read when the checkpoint
 * is where reading stopped (the usual case once acks caught up), else read from the file.
 */
function printAt(file: TrackedFile, offset: number): string | undefined | Promise<string | undefined> {
  if (file.printOffset === offset && file.print !== undefined) return file.print;
  return readFingerprint(file.path, offset);
}

/**
 * Writes the checkpoints that moved to the offsets bucket: on a timer (`flushEvery`), and at once
 * when half a publish window of acks arrived since the last write. The timer is armed only while
 * something waits to be written, so an idle ingestor has no checkpoint timer at all. What a crash re-sends is the in-flight
 * window plus the acknowledged lines not yet checkpointed, so reading pauses (`behind`) while
 * a whole window of acks waits for a write: a slow or failing offsets bucket cannot let the
 * re-send grow past two windows. A failed write keeps the file pending for the next round.
 */
export class CheckpointWriter {
  private readonly unsaved = new Set<TrackedFile>();
  private readonly maxUnsavedAcks: number;
  private unsavedAcks = 0;
  private flushing?: Promise<void>;
  private caughtUpWaiters: (() => void)[] = [];
  private stopped = false;
  private everyMs?: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly offsets: OffsetsStore,
    private readonly metrics: IngestorMetrics,
    publishWindow: number,
    private readonly fingerprintAt: typeof printAt = printAt,
  ) {
    this.maxUnsavedAcks = Math.max(1, publishWindow);
  }

  /** True while reading must wait for a checkpoint write (see the class comment). */
  get behind(): boolean {
    return !this.stopped && this.unsavedAcks >= this.maxUnsavedAcks;
  }

  /** Resolves once the acknowledged lines are checkpointed enough to read on (or the writer stopped). */
  async caughtUp(): Promise<void> {
    while (this.behind) await new Promise<void>((resolve) => this.caughtUpWaiters.push(resolve));
  }

  /** Nothing to write: the timer can skip its round (an idle ingestor then does no work at all). */
  get idle(): boolean {
    return this.unsaved.size === 0 && this.unsavedAcks === 0 && !this.flushing;
  }

  /** From now on, writes what is pending `everyMs` after it became pending (and again until written). */
  flushEvery(everyMs: number): void {
    this.everyMs = everyMs;
    this.arm();
  }

  /** The file's checkpoint may have moved. */
  touch(file: TrackedFile): void {
    this.unsaved.add(file);
    this.arm();
  }

  /** One more line acknowledged (of any file). */
  acked(): void {
    if (++this.unsavedAcks >= this.maxUnsavedAcks / 2 && !this.flushing) void this.flush();
    this.arm();
  }

  drop(file: TrackedFile): void {
    this.unsaved.delete(file);
  }

  /** Releases a reader waiting in `caughtUp`; writes still work (the final flush). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.release();
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    const covered = this.unsavedAcks;
    let written = false;
    this.flushing = this.writeAll().then((ok) => void (written = ok));
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
    if (!written) return;
    // Every ack counted before the write began moved a checkpoint that the write then read.
    this.unsavedAcks -= covered;
    if (!this.behind) this.release();
    if (this.unsavedAcks >= this.maxUnsavedAcks / 2 && !this.stopped) void this.flush();
  }

  /** One timer while anything is pending; it re-arms itself until a write left nothing behind (or failed: retried). */
  private arm(): void {
    if (this.everyMs === undefined || this.timer || this.stopped || this.idle) return;
    this.timer = setTimeout(() => {
      void this.flush().finally(() => {
        this.timer = undefined;
        this.arm();
      });
    }, this.everyMs);
    // The connection keeps a following ingestor alive; this timer must not keep a finished one.
    this.timer.unref();
  }

  private release(): void {
    for (const resolve of this.caughtUpWaiters.splice(0)) resolve();
  }

  /** False when a write failed (NATS away); the files stay pending for the next round. */
  private async writeAll(): Promise<boolean> {
    for (const file of [...this.unsaved]) {
      const offset = file.tracker.committed;
      if (offset === file.storedOffset) {
        this.unsaved.delete(file);
        continue;
      }
      try {
        const { path, inode, size, mtime } = file;
        const known = this.fingerprintAt(file, offset);
        const print = typeof known === 'object' ? await known : known;
        await this.offsets.store(path, { v: 1, inode, offset, size, mtime, print });
      } catch {
        return false;
      }
      file.storedOffset = offset;
      this.metrics.checkpointsStored.inc();
      if (file.tracker.committed === offset) this.unsaved.delete(file);
    }
    return true;
  }
}
