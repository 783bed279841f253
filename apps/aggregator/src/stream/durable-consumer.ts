import { AckPolicy, DeliverPolicy, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { resolveProjection } from '@ccpulse/db';
import { isNotFound } from '@ccpulse/runtime';

/** The knobs of a projection's durable pull consumer. */
export interface DurableConsumerSpec {
  stream: string;
  name: string;
  /** Outstanding unacked deliveries: one batch being committed plus one filling. */
  maxAckPending: number;
  maxDeliver: number;
  ackWaitMs: number;
}

/** Durable consumer name of a projection schema: `usage_v3` → `aggregator-v3`, `usage_v3_r2` → `aggregator-v3-r2`. */
export function consumerNameFor(schema: string): string {
  const { version, rebuild } = resolveProjection(schema);
  return rebuild === null ? `aggregator-v${version}` : `aggregator-v${version}-r${rebuild}`;
}

function configFor(spec: DurableConsumerSpec, startSeq: number): Partial<ConsumerConfig> {
  return {
    durable_name: spec.name,
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: spec.maxAckPending,
    max_deliver: spec.maxDeliver,
    ack_wait: nanos(spec.ackWaitMs),
    ...(startSeq > 1
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq }
      : { deliver_policy: DeliverPolicy.All }),
  };
}

/**
 * Makes the durable consumer exist and agree with the projection's checkpoint. The checkpoint in
 * Postgres is the truth: a consumer that is missing, or whose ack floor is past the checkpoint
 * (its projection was dropped or restored from an older backup), is (re)created to deliver from
 * `checkpoint + 1`. An existing consumer behind the checkpoint is kept: its redeliveries are
 * acked and skipped.
 *
 * With `takeOver` (the first attach of a runner, which holds the leader lock, so no other process
 * consumes this consumer) deliveries still unacked or pull requests still waiting belong to a
 * previous process that died: the consumer is recreated too, so the restart resumes at once
 * instead of waiting an ack wait (30 s by default) for their redelivery.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  spec: DurableConsumerSpec,
  checkpoint: number,
  takeOver = false,
): Promise<{ info: ConsumerInfo; recreated: false } | { info: ConsumerInfo; recreated: true; reason: string }> {
  let existing: ConsumerInfo | undefined;
  try {
    existing = await jsm.consumers.info(spec.stream, spec.name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const reason = existing ? recreateReason(existing, checkpoint, takeOver) : 'missing';
  if (existing && reason === undefined) {
    const c = existing.config;
    if (c.max_ack_pending !== spec.maxAckPending || c.max_deliver !== spec.maxDeliver || c.ack_wait !== nanos(spec.ackWaitMs)) {
      existing = await jsm.consumers.update(spec.stream, spec.name, {
        max_ack_pending: spec.maxAckPending,
        max_deliver: spec.maxDeliver,
        ack_wait: nanos(spec.ackWaitMs),
      });
    }
    return { info: existing, recreated: false };
  }
  if (existing) await jsm.consumers.delete(spec.stream, spec.name);
  const info = await jsm.consumers.add(spec.stream, configFor(spec, checkpoint + 1));
  return { info, recreated: true, reason: reason ?? 'missing' };
}

/** Why an existing consumer cannot be kept as it is, or undefined when it can. */
function recreateReason(existing: ConsumerInfo, checkpoint: number, takeOver: boolean): string | undefined {
  if (existing.ack_floor.stream_seq > checkpoint) return 'ack floor past the checkpoint';
  if (takeOver && (existing.num_ack_pending > 0 || existing.num_waiting > 0)) return 'held by a previous process';
  return undefined;
}

/** Deletes a consumer; a missing one is not an error. */
export async function deleteDurableConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<void> {
  try {
    await jsm.consumers.delete(stream, name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
