import { isBlankLine } from '@ccpulse/domain';
import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import { rejectionMessage, toLineMessage, type LineMessage } from '../publish/line-message';
import type { PublishWindow } from '../publish/publish-window';
import type { SplitLine } from '@ccpulse/domain';
import type { TrackedFile } from '../tail/tracked-file';
import type { CheckpointWriter } from './checkpoint-writer';

/** Room kept below NATS max_payload for headers (Nats-Msg-Id) and protocol overhead. */
const PAYLOAD_HEADROOM = 4096;

/**
 * One split line into the publish window, registered with its file's ack tracker so the
 * checkpoint follows the acknowledged prefix. Blank lines are not published but still move it.
 */
export class LinePublisher {
  constructor(
    private readonly window: PublishWindow,
    private readonly checkpoints: CheckpointWriter,
    private readonly metrics: IngestorMetrics,
    private readonly maxPayload: () => number,
  ) {}

  /**
   * Submits one line; returns a promise only when the window is full or the checkpoints are
   * behind (the caller waits: backpressure).
   */
  publish(file: TrackedFile, line: SplitLine): Promise<void> | undefined {
    if (this.checkpoints.behind) return this.checkpoints.caughtUp().then(() => this.publish(file, line));
    if (line.kind === 'line' && isBlankLine(line.bytes)) {
      file.tracker.add(line.end, true);
      this.checkpoints.touch(file);
      return undefined;
    }
    const message = this.messageFor(file, line);
    if (message.rejected) this.metrics.rejections.inc({ reason: message.rejected });
    if (this.window.full) return this.window.acquire().then(() => this.submit(file, line, message));
    this.submit(file, line, message);
    return undefined;
  }

  private submit(file: TrackedFile, line: SplitLine, message: LineMessage): void {
    const { tracker, generation } = file;
    const ticket = tracker.add(line.end);
    this.window.submit(message, () => {
      if (file.generation === generation && tracker.ack(ticket)) this.checkpoints.touch(file);
      this.checkpoints.acked();
    });
  }

  private messageFor(file: TrackedFile, line: SplitLine): LineMessage {
    if (line.kind === 'oversized') return rejectionMessage(line.offset, file.ctx, 'too_large', `${line.length} bytes`);
    const message = toLineMessage(line.bytes, line.offset, file.ctx);
    const limit = this.maxPayload() - PAYLOAD_HEADROOM;
    if (message.bytes <= limit) return message;
    return rejectionMessage(line.offset, file.ctx, 'too_large', `envelope ${message.bytes} bytes > NATS max_payload`);
  }
}
