import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import type { OffsetsStore } from '../nats/offsets.store';
import type { TrackedFile } from '../tail/tracked-file';

/**
 * Writes the checkpoints that moved to the offsets bucket: on a timer, and at once when half a
 * publish window of acks arrived since the last write (that bounds what a crash re-sends).
 * A failed write keeps the file pending for the next round.
 */
export class CheckpointWriter {
  private readonly unsaved = new Set<TrackedFile>();
  private ackedSinceFlush = 0;
  private flushing?: Promise<void>;

  constructor(
    private readonly offsets: OffsetsStore,
    private readonly metrics: IngestorMetrics,
    private readonly flushEveryAcks: number,
  ) {}

  /** The file's checkpoint may have moved. */
  touch(file: TrackedFile): void {
    this.unsaved.add(file);
  }

  /** One more line acknowledged (of any file). */
  acked(): void {
    if (++this.ackedSinceFlush >= this.flushEveryAcks && !this.flushing) void this.flush();
  }

  drop(file: TrackedFile): void {
    this.unsaved.delete(file);
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.ackedSinceFlush = 0;
    this.flushing = this.writeAll();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async writeAll(): Promise<void> {
    for (const file of [...this.unsaved]) {
      const offset = file.tracker.committed;
      if (offset === file.storedOffset) {
        this.unsaved.delete(file);
        continue;
      }
      try {
        await this.offsets.store({ v: 1, path: file.path, inode: file.inode, offset, size: file.size });
      } catch {
        return; // NATS is away; the next round retries
      }
      file.storedOffset = offset;
      this.metrics.checkpointsStored.inc();
      if (file.tracker.committed === offset) this.unsaved.delete(file);
    }
  }
}
