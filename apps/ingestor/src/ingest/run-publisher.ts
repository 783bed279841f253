import { isBlankLine, type SplitLine } from '@ccpulse/domain';
import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import { Run, itemBudget, lineItem, rejectionItem, runMessage, type RunItem } from '../publish/run-message';
import type { PublishWindow } from '../publish/publish-window';
import type { TrackedFile } from '../tail/tracked-file';
import type { CheckpointWriter } from './checkpoint-writer';

/** Room kept below NATS max_payload for the headers and protocol overhead. */
const PAYLOAD_HEADROOM = 4096;

/**
 * A file's newly split lines into the publish window as runs (envelope v2): consecutive lines
 * gathered up to the payload cap, each run one message, registered with the file's ack tracker
 * so the checkpoint follows the acknowledged runs. The live tail hands over what one read found,
 * so a single appended line leaves at once as a run of one. Blank lines carry no item but are
 * covered by a run's range; a range of blank lines alone only moves the checkpoint.
 */
export class RunPublisher {
  constructor(
    private readonly window: PublishWindow,
    private readonly checkpoints: CheckpointWriter,
    private readonly metrics: IngestorMetrics,
    private readonly maxPayload: () => number,
    /** INGEST_MESSAGE_BYTES: the cap of a run's body. */
    private readonly runBytes: number,
  ) {}

  /** Publishes the lines in file order; resolves once every run is submitted (not acknowledged). */
  async publish(file: TrackedFile, lines: readonly SplitLine[]): Promise<void> {
    if (lines.length === 0) return;
    const limit = this.maxPayload() - PAYLOAD_HEADROOM;
    // What one item may take alone (NATS' limit), and what a run's items may take together.
    const maxItem = itemBudget(limit, file.ctx);
    const budget = itemBudget(Math.min(this.runBytes, limit), file.ctx);
    let run = new Run(lines[0].offset, budget);
    for (const line of lines) {
      if (line.kind === 'line' && isBlankLine(line.bytes)) {
        run.end = line.end;
        continue;
      }
      const item = this.itemFor(file, line, maxItem);
      if (!run.fits(item)) {
        await this.submit(file, run);
        run = new Run(line.offset, budget);
      }
      run.add(item, line.end);
    }
    await this.submit(file, run);
  }

  /** The line's item; a line whose item alone exceeds what NATS accepts travels as a rejection. */
  private itemFor(file: TrackedFile, line: SplitLine, maxItem: number): RunItem {
    const item = line.kind === 'oversized' ? rejectionItem(line.offset, 'too_large', `${line.length} bytes`) : lineItem(line.bytes, line.offset, file.ctx);
    if (item.bytes <= maxItem) return item;
    return rejectionItem(line.offset, 'too_large', `envelope ${item.bytes} bytes > NATS max_payload`);
  }

  private async submit(file: TrackedFile, run: Run): Promise<void> {
    if (this.checkpoints.behind) await this.checkpoints.caughtUp();
    if (run.items.length === 0) {
      file.tracker.add(run.end, true);
      this.checkpoints.touch(file);
      return;
    }
    for (const item of run.items) if (item.rejected) this.metrics.rejections.inc({ reason: item.rejected });
    const message = runMessage(run, file.ctx);
    if (this.window.full) await this.window.acquire();
    const { tracker, generation } = file;
    const ticket = tracker.add(run.end);
    this.window.submit(message, () => {
      if (file.generation === generation && tracker.ack(ticket)) this.checkpoints.touch(file);
      this.checkpoints.acked();
    });
  }
}
