import type { JetStreamManager } from '@nats-io/jetstream';
import type { ProjectionCoordinator } from '../replay/projection-coordinator';

/** One durable consumer as `ccpulse status` shows it. */
export interface ConsumerLine {
  consumer: string;
  schema: string;
  /** Committed position in Postgres. */
  checkpoint: number;
  /** Not yet delivered. */
  numPending: number;
  /** Delivered, not yet acked. */
  numAckPending: number;
  ackFloor: number;
  delivered: number;
  redelivered: number;
  /** Stream head minus checkpoint. */
  lag: number;
}

export interface ConsumerStatus {
  role: string;
  stream: string;
  streamHead: number;
  streamMessages: number;
  consumers: ConsumerLine[];
}

export async function consumerStatus(jsm: JetStreamManager, stream: string, coordinator: ProjectionCoordinator): Promise<ConsumerStatus> {
  const info = await jsm.streams.info(stream);
  const consumers: ConsumerLine[] = [];
  for (const runner of coordinator.runners()) {
    const p = runner.progress();
    const c = await jsm.consumers.info(stream, p.consumer).catch(() => undefined);
    consumers.push({
      consumer: p.consumer,
      schema: p.schema,
      checkpoint: p.checkpoint,
      numPending: c?.num_pending ?? 0,
      numAckPending: c?.num_ack_pending ?? 0,
      ackFloor: c?.ack_floor.stream_seq ?? 0,
      delivered: c?.delivered.stream_seq ?? 0,
      redelivered: c?.num_redelivered ?? 0,
      lag: Math.max(0, info.state.last_seq - p.checkpoint),
    });
  }
  return { role: coordinator.role, stream, streamHead: info.state.last_seq, streamMessages: info.state.messages, consumers };
}
