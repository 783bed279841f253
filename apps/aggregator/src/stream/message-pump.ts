import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';

/** Log sink the stream code writes to; pino's logger fits. */
export interface PumpLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MessagePumpOptions {
  stream: string;
  consumer: string;
  /**
   * Bytes each pull asks for at most (nats.js then asks for up to 100 messages per pull), so
   * what is buffered is bounded by bytes: a message can hold a run of thousands of lines, and
   * pulls counted in messages would buffer hundreds of megabytes of them. Must exceed the
   * server's max_payload (the server refuses a pull that no single message fits). The consumer's
   * max_ack_pending bounds what is outstanding.
   */
  pullBytes: number;
  /** Called before every (re)attach: makes sure the durable consumer exists and fits the checkpoint. */
  prepare: () => Promise<void>;
  logger: PumpLogger;
  /** Called once per message the server says is a redelivery. */
  onRedelivery?: (m: JsMsg) => void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 15_000;

/**
 * Keeps a JetStream `consume()` attached to a durable pull consumer and buffers what arrives, so
 * the fold can take batches by count or time. The loop re-attaches after the iterator ends
 * (consumer deleted, stream gone, connection closed) with exponential backoff, never spinning.
 * The buffer is bounded by the consumer's `max_ack_pending`: nothing is delivered beyond it
 * until the fold acks.
 */
export class MessagePump {
  private readonly queue: JsMsg[] = [];
  private queuedBytes = 0;
  private wake: ((arrived: boolean) => void) | undefined;
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly options: MessagePumpOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops pulling; messages already buffered are dropped unacked (they are redelivered). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    this.notify();
    await this.loop;
  }

  /** Buffered, not yet taken messages (for "still working" pings during a Postgres outage). */
  buffered(): readonly JsMsg[] {
    return this.queue;
  }

  /**
   * The next batch: waits for a first message, then keeps filling while messages keep coming —
   * until `max` are buffered, `lingerMs` passed since the batch began, or no message arrived for
   * `idleMs` (0: none arrived by the next turn of the event loop), or the batch holds `maxBytes`
   * of payload (always at least one message). A quiet stream commits a live
   * append at once instead of waiting out the linger; under a backlog messages arrive faster than
   * that, and whatever piled up during the previous commit is already buffered, so batches stay
   * large. Resolves with [] once stopped.
   */
  async take(max: number, lingerMs: number, idleMs = lingerMs, maxBytes = Infinity): Promise<JsMsg[]> {
    while (!this.stopped && this.queue.length === 0) await this.waitForMessage(Infinity);
    const deadline = Date.now() + lingerMs;
    while (!this.stopped && this.queue.length < max && this.queuedBytes < maxBytes) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const arrived = await this.waitForMessage(Math.min(left, idleMs));
      if (!arrived && idleMs < left) break;
    }
    if (this.stopped) return [];
    const limit = Math.min(max, this.queue.length);
    let count = 0;
    let bytes = 0;
    while (count < limit) {
      const size = this.queue[count].data.length;
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size;
      count++;
    }
    this.queuedBytes -= bytes;
    return this.queue.splice(0, count);
  }

  /** Resolves true when a message (or a stop) woke it, false when `ms` passed first. */
  private waitForMessage(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      let cancel: (() => void) | undefined;
      if (ms === 0) {
        const immediate = setImmediate(() => this.timedOut());
        cancel = () => clearImmediate(immediate);
      } else if (Number.isFinite(ms)) {
        const timer = setTimeout(() => this.timedOut(), ms);
        cancel = () => clearTimeout(timer);
      }
      this.wake = (arrived: boolean) => {
        cancel?.();
        resolve(arrived);
      };
    });
  }

  private timedOut(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.(false);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.(true);
  }

  private async run(): Promise<void> {
    const { stream, consumer, logger } = this.options;
    let backoff = MIN_BACKOFF_MS;
    while (!this.stopped) {
      const attachedAt = Date.now();
      try {
        await this.options.prepare();
        const c = await this.js.consumers.get(stream, consumer);
        const messages = await c.consume({ max_bytes: this.options.pullBytes });
        this.messages = messages;
        if (this.stopped) break;
        void this.watch(messages);
        logger.info({ stream, consumer }, 'consuming');
        for await (const m of messages) {
          if (m.info.redelivered) this.options.onRedelivery?.(m);
          this.queue.push(m);
          this.queuedBytes += m.data.length;
          this.notify();
        }
        if (!this.stopped) logger.warn({ stream, consumer }, 'consumer iterator ended; re-attaching');
      } catch (err) {
        if (this.stopped) break;
        logger.warn({ stream, consumer, err: String(err) }, 'consumer attach failed; retrying');
      }
      // A session that lived a while resets the backoff; a flapping one grows it.
      backoff = Date.now() - attachedAt > 30_000 ? MIN_BACKOFF_MS : Math.min(backoff * 2, MAX_BACKOFF_MS);
      if (!this.stopped) await new Promise((r) => setTimeout(r, backoff));
    }
  }

  /** A deleted consumer or stream ends this attachment so `prepare` can recreate it. */
  private async watch(messages: ConsumerMessages): Promise<void> {
    for await (const s of messages.status()) {
      if (s.type === 'consumer_deleted' || (s.type === 'consumer_not_found' && s.count >= 3) || s.type === 'stream_not_found') {
        this.options.logger.warn({ status: s.type }, 'consumer lost; re-attaching');
        await messages.close().catch(() => undefined);
        return;
      }
    }
  }
}
