import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import { FrameBatch } from './hpub-frame';
import type { RunMessage } from './run-message';
import { readPubAck } from './pub-ack';

/** What JetStream answered for one message. */
export interface PubAckInfo {
  seq: number;
  duplicate: boolean;
}

const PUBACK_TIMEOUT_MS = 5000;
/**
 * Bytes of message bodies in flight at most (besides the count of messages): runs of lines are
 * up to INGEST_MESSAGE_BYTES each, and a window of a thousand of them would hold a quarter of a
 * gigabyte until their PubAcks.
 */
const MAX_INFLIGHT_BYTES = 8 * 1024 * 1024;
const MAX_BACKOFF_MS = 5000;
const SWEEP_MS = 500;

/**
 * The connection's protocol handler (`NatsConnectionImpl.protocol`, public in @nats-io/nats-core):
 * it queues a pre-encoded frame behind everything else the connection sends, flushes on a
 * microtask, and keeps it across a reconnect, exactly as `publish` does with the frame it builds.
 */
interface ProtocolWriter {
  sendCommand(frame: Uint8Array): void;
}

interface InFlight {
  message: RunMessage;
  onAck: (ack: PubAckInfo) => void;
  sentAt: number;
  attempt: number;
  token?: number;
}

/**
 * A bounded window of un-awaited JetStream publishes. `acquire` waits while the window is full,
 * which is what pauses reading (backpressure). Each message is a core publish with
 * `Nats-Msg-Id` and a reply subject under one inbox subscription: the PubAck comes back there,
 * with no per-message request, timer or promise (js.publish costs several times more per
 * line); the publishes are pre-encoded `HPUB` frames, batched per write (`FrameBatch`). A
 * message without a PubAck in time, or with an error, is sent again with backoff and the same id
 * until it is acknowledged or the window stops: a line is never skipped, and a retry the server
 * already stored comes back as a duplicate.
 */
export class PublishWindow {
  private readonly inbox = createInbox();
  private readonly pending = new Map<number, InFlight>();
  private readonly sub: Subscription;
  /** Armed only while publishes are in flight: an idle window has no timer. */
  private sweeper?: NodeJS.Timeout;
  private nextToken = 1;
  private inFlight = 0;
  private inFlightBytes = 0;
  private stopped = false;
  private waiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private failing = false;
  private readonly frames: FrameBatch;

  constructor(
    private readonly nc: NatsConnection,
    private readonly size: number,
    private readonly metrics: IngestorMetrics,
    private readonly log: Logger,
  ) {
    const protocol = (nc as unknown as { protocol: ProtocolWriter }).protocol;
    this.frames = new FrameBatch((bytes) => protocol.sendCommand(bytes));
    this.sub = nc.subscribe(`${this.inbox}.*`, { callback: (err, msg) => (err ? undefined : this.onReply(msg)) });
  }

  get pendingCount(): number {
    return this.inFlight;
  }

  /** True when the next `submit` must wait for `acquire`. */
  get full(): boolean {
    return this.inFlight >= this.size || this.inFlightBytes >= MAX_INFLIGHT_BYTES;
  }

  /** Resolves once there is room for one more publish (or the window stopped). */
  async acquire(): Promise<void> {
    while (this.full && !this.stopped) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Publishes in the background; `onAck` runs once, when JetStream acknowledged the message. */
  submit(message: RunMessage, onAck: (ack: PubAckInfo) => void): void {
    this.inFlight++;
    this.inFlightBytes += message.bytes;
    this.send({ message, onAck, sentAt: 0, attempt: 0 });
    this.armSweep();
  }

  /** Waits until every submitted publish is acknowledged; false if `timeoutMs` passed first. */
  async idle(timeoutMs = Infinity): Promise<boolean> {
    if (this.inFlight === 0) return true;
    if (this.stopped) return false;
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
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
    this.metrics.inFlight.set(this.inFlight);
    if (!this.nc.isClosed()) this.sub.unsubscribe();
    for (const resolve of this.waiters.splice(0)) resolve();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private send(item: InFlight): void {
    if (this.stopped) return;
    const token = this.nextToken++;
    item.token = token;
    item.sentAt = performance.now();
    const { subject, msgId, headers, data, bytes } = item.message;
    const reply = `${this.inbox}.${token}`;
    // The checks nats.js makes in publish; frames queued while disconnected go out on reconnect.
    if (this.nc.isClosed() || this.nc.isDraining()) return this.fail(item, 'connection closed or draining');
    this.frames.add(subject, reply, msgId, data, bytes, headers);
    this.pending.set(token, item);
  }

  private onReply(msg: Msg): void {
    const item = this.pending.get(this.replyToken(msg));
    if (!item) return; // an answer to an attempt already retried
    const ack = readPubAck(msg.data);
    if (!ack.ok) return this.fail(item, msg.data.length === 0 && msg.headers?.hasError ? `status ${msg.headers.code}` : ack.why);
    this.pending.delete(item.token!);
    this.metrics.publishLatency.observe((performance.now() - item.sentAt) / 1000);
    if (ack.duplicate) this.metrics.duplicates.inc(item.message.lines);
    else this.metrics.published.inc(item.message.lines);
    if (this.failing) {
      this.failing = false;
      this.log.info('publishing again');
    }
    this.inFlight--;
    this.inFlightBytes -= item.message.bytes;
    item.onAck({ seq: ack.seq, duplicate: ack.duplicate });
    // Wake readers in bursts so their publishes leave in one socket write.
    if ((this.inFlight <= this.size / 2 && this.inFlightBytes <= MAX_INFLIGHT_BYTES / 2) || this.inFlight === 0) for (const resolve of this.waiters.splice(0)) resolve();
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * The attempt's token, the last token of the reply subject `<inbox>.<token>`, read from the
   * subject's bytes as the parser left them (`MsgImpl._msg`, nats-core 3.x) rather than from a
   * string decoded per PubAck; from the subject string if that shape is not there.
   */
  private replyToken(msg: Msg): number {
    const raw = (msg as unknown as { _msg?: { subject?: unknown } })._msg?.subject;
    if (!(raw instanceof Uint8Array)) return Number(msg.subject.slice(this.inbox.length + 1));
    let token = 0;
    for (let i = this.inbox.length + 1; i < raw.length; i++) {
      const digit = raw[i] - 0x30;
      if (digit < 0 || digit > 9) return NaN;
      token = token * 10 + digit;
    }
    return token;
  }

  private fail(item: InFlight, why: string): void {
    if (item.token !== undefined) this.pending.delete(item.token);
    this.metrics.publishRetries.inc();
    if (!this.failing) {
      this.failing = true;
      this.log.warn({ err: why, subject: item.message.subject }, 'publish failed; retrying with backoff (data stays on disk)');
    }
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(item.attempt++, 6));
    setTimeout(() => this.send(item), delay);
  }

  private armSweep(): void {
    if (this.sweeper || this.stopped) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      this.sweep();
      // Again while anything is in flight (retries waiting out their backoff included); the last
      // round, with nothing left, has just set the gauge to 0.
      if (this.inFlight > 0) this.armSweep();
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  /** Messages whose PubAck is late are sent again; the timeout grows with each attempt. */
  private sweep(): void {
    // The gauge is sampled here rather than set on every submit and ack (a prom-client update each).
    this.metrics.inFlight.set(this.inFlight);
    const now = performance.now();
    for (const item of [...this.pending.values()]) {
      if (now - item.sentAt > PUBACK_TIMEOUT_MS * Math.min(2 ** item.attempt, 8)) this.fail(item, 'no PubAck in time');
    }
  }
}
