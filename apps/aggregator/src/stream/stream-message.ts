import type { JsMsg, StoredMsg } from '@nats-io/jetstream';

/**
 * One stream message as the fold sees it: a live delivery (ackable) or a message read back from
 * the stream by sequence to fill a gap (nothing to ack). Tests build these by hand.
 */
export interface StreamMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  /** 1 on first delivery; 0 for a message read back from the stream. */
  deliveryCount: number;
  /** Present on live deliveries only. */
  delivery?: Delivery;
}

/** The ack side of a live delivery. Only called after the batch's transaction committed. */
export interface Delivery {
  ack(): void;
  term(reason?: string): void;
  /** "Still working on it": resets the server's ack timer while Postgres is unreachable. */
  working(): void;
}

export function fromJsMsg(m: JsMsg): StreamMessage {
  return {
    seq: m.seq,
    subject: m.subject,
    data: m.data,
    deliveryCount: m.info.deliveryCount,
    delivery: m,
  };
}

export function fromStoredMsg(m: StoredMsg): StreamMessage {
  return { seq: m.seq, subject: m.subject, data: m.data, deliveryCount: 0 };
}
