import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import type { LineMessage } from './line-message';

const PUBACK_TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 5000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * A bounded window of un-awaited publishes. `acquire` waits while the window is full, which is
 * what pauses reading (backpressure). A failed publish is retried with backoff and the same
 * `Nats-Msg-Id` until it is acknowledged or the window is stopped: a line is never skipped,
 * and a retry the server already stored comes back as a duplicate.
 */
export class PublishWindow {
  private inFlight = 0;
  private stopped = false;
  private waiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private failing = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly size: number,
    private readonly metrics: IngestorMetrics,
    private readonly log: Logger,
  ) {}

  get pending(): number {
    return this.inFlight;
  }

  /** True when the next `submit` must wait for `acquire`. */
  get full(): boolean {
    return this.inFlight >= this.size;
  }

  /** Resolves once there is room for one more publish. */
  async acquire(): Promise<void> {
    while (this.inFlight >= this.size && !this.stopped) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Publishes in the background; `onAck` runs once, when JetStream acknowledged the message. */
  submit(message: LineMessage, onAck: (ack: PubAck) => void): void {
    this.inFlight++;
    this.metrics.inFlight.set(this.inFlight);
    void this.publish(message).then((ack) => {
      this.inFlight--;
      this.metrics.inFlight.set(this.inFlight);
      if (ack) onAck(ack);
      this.waiters.shift()?.();
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /** Waits until every submitted publish is acknowledged; false if `timeoutMs` passed first. */
  async idle(timeoutMs = Infinity): Promise<boolean> {
    if (this.inFlight === 0) return true;
    const done = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    if (!Number.isFinite(timeoutMs)) return done;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([done, late]);
    clearTimeout(timer);
    return result;
  }

  /** Stops retrying: un-acknowledged lines stay behind the checkpoint and are re-read next start. */
  stop(): void {
    this.stopped = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private async publish(message: LineMessage): Promise<PubAck | undefined> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const started = performance.now();
      try {
        const ack = await this.js.publish(message.subject, message.data, { msgID: message.msgId, timeout: PUBACK_TIMEOUT_MS });
        this.metrics.publishLatency.observe((performance.now() - started) / 1000);
        if (ack.duplicate) this.metrics.duplicates.inc();
        else this.metrics.published.inc();
        if (this.failing) {
          this.failing = false;
          this.log.info('publishing again');
        }
        return ack;
      } catch (err) {
        this.metrics.publishRetries.inc();
        if (!this.failing) {
          this.failing = true;
          this.log.warn({ err: (err as Error).message, subject: message.subject }, 'publish failed; retrying with backoff (data stays on disk)');
        }
        await sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(attempt, 6)));
      }
    }
    return undefined;
  }
}
