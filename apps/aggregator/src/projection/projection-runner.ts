import { CheckpointMovedError, guardCheckpoint, readProjectionState, type Database } from '@ccpulse/db';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import type { FoldResult, FoldTarget } from '../fold/fold-context';
import { failureKind } from '../fold/failure-kind';
import type { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { noticesFor } from '../notify/updated-notices';
import { ensureDurableConsumer, type DurableConsumerSpec } from '../stream/durable-consumer';
import { MessagePump, type PumpLogger } from '../stream/message-pump';
import { nextCheckpoint, planSequences } from '../stream/sequence-plan';
import { fromJsMsg, fromStoredMsg, type StreamMessage } from '../stream/stream-message';

/** Writes one batch (already planned: above the checkpoint, sorted, gaps filled) in `trx`. */
export type FoldFn = (
  trx: Kysely<Database>,
  target: FoldTarget,
  messages: readonly StreamMessage[],
  rejects: readonly ForcedRejection[],
  checkpoint: number,
) => Promise<FoldResult>;



/** A message recorded as rejected without being folded (poison or un-appliable). */
export interface ForcedRejection {
  message: StreamMessage;
  reason: 'max_deliver' | 'apply_failed';
  detail?: string;
}

/** Reads the stored checkpoint of a consumer (0 when none). */
export type ReadCheckpointFn = (db: Kysely<Database>, consumer: string) => Promise<number>;

export interface RunnerDeps {
  db: Kysely<Database>;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  metrics: AggregatorMetrics;
  logger: PumpLogger & { error(obj: object, msg: string): void };
  fold: FoldFn;
  readCheckpoint: ReadCheckpointFn;
  /** Called after each commit of the live projection (budgets are evaluated then). */
  onCommitted?: () => void;
}

export interface RunnerOptions {
  stream: string;
  batchSize: number;
  batchMs: number;
  batchIdleMs: number;
  maxDeliver: number;
  ackWaitMs: number;
  subjectPrefix: string;
  /** Publish `<prefix>.updated.…` after each commit (the live projection only). */
  notify: boolean;
}

/** Where a runner stands, for ops and replay progress. */
export interface RunnerProgress {
  schema: string;
  consumer: string;
  checkpoint: number;
  appliedMessages: number;
  batches: number;
  lastBatchAt: number | null;
}

const MAX_RETRY_MS = 30_000;
/**
 * Payload bytes of one batch at most, besides AGGREGATOR_BATCH_SIZE messages: a message of
 * envelope v2 holds up to 256 KiB of lines, and a thousand of them in one transaction would
 * hold a million entries in memory. 2 MiB is about 4,000 lines, each decoded, turned into rows
 * and sent as query parameters within the transaction (8 MiB took the process past 450 MB).
 */
const BATCH_BYTES = 2 * 1024 * 1024;

/**
 * Folds one durable consumer into one projection schema: take a batch (N messages, T ms, or the
 * stream gone quiet), plan it against the checkpoint, write everything plus the checkpoint in one
 * transaction, then ack.
 * A Postgres failure retries the same batch with backoff, pinging "working" so the server does not
 * redeliver meanwhile; nothing is acked before its commit.
 */
export class ProjectionRunner {
  private readonly pump: MessagePump;
  private readonly spec: DurableConsumerSpec;
  private checkpoint = 0;
  private appliedMessages = 0;
  private batches = 0;
  private lastBatchAt: number | null = null;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private inFlight: StreamMessage[] = [];
  private attached = false;

  constructor(
    private readonly deps: RunnerDeps,
    readonly target: FoldTarget,
    private options: RunnerOptions,
  ) {
    this.spec = {
      stream: options.stream,
      name: target.consumer,
      maxAckPending: options.batchSize * 2,
      maxDeliver: options.maxDeliver,
      ackWaitMs: options.ackWaitMs,
    };
    this.pump = new MessagePump(deps.js, {
      stream: options.stream,
      consumer: target.consumer,
      pullBytes: 2 * BATCH_BYTES,
      logger: deps.logger,
      prepare: () => this.prepare(),
      onRedelivery: () => deps.metrics.redeliveries.inc(),
    });
  }

  /** Reads the checkpoint, then consumes until stopped. */
  async start(): Promise<void> {
    this.checkpoint = await this.deps.readCheckpoint(this.deps.db, this.target.consumer);
    this.deps.metrics.checkpoint.set({ consumer: this.target.consumer }, this.checkpoint);
    this.pump.start();
    this.loop = this.run();
  }

  /** Stops pulling and waits for the batch in hand to commit (or be abandoned unacked). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pump.stop();
    await this.loop;
  }

  progress(): RunnerProgress {
    return {
      schema: this.target.schema,
      consumer: this.target.consumer,
      checkpoint: this.checkpoint,
      appliedMessages: this.appliedMessages,
      batches: this.batches,
      lastBatchAt: this.lastBatchAt,
    };
  }

  /** A rebuilt projection starts notifying once it is live. */
  setNotify(notify: boolean): void {
    this.options = { ...this.options, notify };
  }

  /** The durable consumer spec (for ops status and deletion after a swap). */
  consumerSpec(): DurableConsumerSpec {
    return this.spec;
  }

  private async prepare(): Promise<void> {
    // A retired projection must not resurrect its consumer (another aggregator swapped it out).
    const state = await readProjectionState(this.deps.db);
    if (state.liveSchema !== this.target.schema && state.buildingSchema !== this.target.schema) {
      throw new Error(`projection ${this.target.schema} is retired (live: ${state.liveSchema}); not attaching`);
    }
    // Only the first attach takes over: on a re-attach the unacked deliveries may be this runner's own.
    const ensured = await ensureDurableConsumer(this.deps.jsm, this.spec, this.checkpoint, !this.attached);
    this.attached = true;
    if (ensured.recreated) this.deps.logger.info({ consumer: this.spec.name, from: this.checkpoint + 1, reason: ensured.reason }, 'durable consumer created');
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const msgs = await this.pump.take(this.options.batchSize, this.options.batchMs, this.options.batchIdleMs, BATCH_BYTES);
      if (msgs.length === 0) continue;
      await this.process(msgs.map(fromJsMsg));
    }
  }

  private async process(batch: StreamMessage[]): Promise<void> {
    const started = process.hrtime.bigint();
    this.inFlight = batch;
    const keepAlive = setInterval(() => this.pingWorking(), Math.max(500, Math.floor(this.options.ackWaitMs / 3)));
    try {
      const committed = await this.commitWithRetry(batch);
      if (!committed) return;
      this.deps.metrics.batchDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    } finally {
      clearInterval(keepAlive);
      this.inFlight = [];
    }
  }

  /** Returns false when stopped before the batch could commit (nothing acked: it is redelivered). */
  private async commitWithRetry(batch: StreamMessage[]): Promise<boolean> {
    let delay = 250;
    for (;;) {
      try {
        await this.commit(batch);
        return true;
      } catch (err) {
        if (this.stopped) return false;
        if (err instanceof CheckpointMovedError) {
          this.deps.logger.warn({ err: err.message }, 're-planning from the stored checkpoint');
          this.checkpoint = err.stored;
          continue;
        }
        if (failureKind(err) === 'data') {
          this.deps.logger.warn({ err: String(err), messages: batch.length }, 'batch cannot be applied; isolating messages');
          if (batch.length === 1) {
            await this.commitWithRetryRejected(batch[0], err);
            return true;
          }
          for (const one of [...batch].sort((a, b) => a.seq - b.seq)) {
            if (!(await this.commitWithRetry([one]))) return false;
          }
          return true;
        }
        this.deps.metrics.dbRetries.inc();
        this.deps.logger.warn({ err: String(err), retryInMs: delay }, 'batch commit failed; retrying (nothing acked)');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  /**
   * Records one un-appliable message. Messages read back to fill a gap before it are still
   * folded; if that fails with a data error too, they are recorded with it (never dropped).
   */
  private async commitWithRetryRejected(message: StreamMessage, err: unknown): Promise<void> {
    const detail = String((err as Error)?.message ?? err).slice(0, 500);
    let delay = 250;
    let all = false;
    while (!this.stopped) {
      try {
        await this.commit([message], { reason: 'apply_failed', detail, seq: all ? undefined : message.seq });
        return;
      } catch (again) {
        if (!all && failureKind(again) === 'data' && !(again instanceof CheckpointMovedError)) {
          all = true;
          continue;
        }
        if (again instanceof CheckpointMovedError) this.checkpoint = again.stored;
        this.deps.metrics.dbRetries.inc();
        this.deps.logger.warn({ err: String(again) }, 'recording a rejected message failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  private async commit(
    batch: StreamMessage[],
    forceReject?: { reason: 'apply_failed'; detail: string; /** only this sequence; all planned when absent */ seq?: number },
  ): Promise<void> {
    const plan = planSequences(this.checkpoint, batch, this.options.batchSize * 4);
    const apply = [...plan.apply];
    const absent: number[] = [];
    if (plan.gaps.length > 0) await this.fillGaps(plan.gaps, apply, absent);
    apply.sort((a, b) => a.seq - b.seq);
    // A message on its last delivery has failed (or crashed us) every time before: record it
    // instead of trying again, so it can never block the stream.
    const quarantined = new Set(
      forceReject
        ? apply.filter((m) => forceReject.seq === undefined || m.seq === forceReject.seq)
        : apply.filter((m) => m.deliveryCount >= this.options.maxDeliver),
    );
    const rejects: ForcedRejection[] = [...quarantined].map((message) =>
      forceReject ? { message, reason: forceReject.reason, detail: forceReject.detail } : { message, reason: 'max_deliver' },
    );
    const toFold = apply.filter((m) => !quarantined.has(m));
    const checkpoint = nextCheckpoint(
      this.checkpoint,
      apply.map((m) => m.seq),
      absent,
    );
    const commitStarted = process.hrtime.bigint();
    const from = this.checkpoint;
    const result = await this.deps.db.transaction().execute(async (trx) => {
      await guardCheckpoint(trx, this.target.consumer, from);
      return this.deps.fold(trx, this.target, toFold, rejects, checkpoint);
    });
    this.deps.metrics.commitDuration.observe(Number(process.hrtime.bigint() - commitStarted) / 1e9);

    // Committed: now, and only now, ack.
    for (const m of plan.skip) m.delivery?.ack();
    for (const m of apply) {
      if (quarantined.has(m) && !forceReject) m.delivery?.term('max deliveries reached');
      else m.delivery?.ack();
    }
    this.checkpoint = checkpoint;
    this.appliedMessages += toFold.length;
    this.batches++;
    this.lastBatchAt = Date.now();
    this.record(result, plan.skip.length, batch.length);
    if (this.options.notify) {
      this.publishNotices(result, checkpoint);
      this.deps.onCommitted?.();
    }
  }

  /** Reads missing sequences back from the stream; those no longer there are absent. */
  private async fillGaps(gaps: number[], apply: StreamMessage[], absent: number[]): Promise<void> {
    const info = await this.deps.jsm.streams.info(this.options.stream);
    const first = info.state.first_seq;
    for (const seq of gaps) {
      if (seq < first) {
        absent.push(seq);
        continue;
      }
      const stored = await this.deps.jsm.streams.getMessage(this.options.stream, { seq }).catch(() => null);
      if (stored) {
        apply.push(fromStoredMsg(stored));
        this.deps.metrics.gapsFilled.inc({ outcome: 'read' });
      } else {
        absent.push(seq);
        this.deps.metrics.gapsFilled.inc({ outcome: 'absent' });
      }
    }
  }

  private record(result: FoldResult, skipped: number, size: number): void {
    const m = this.deps.metrics;
    const consumer = this.target.consumer;
    m.entriesApplied.inc({ consumer }, result.applied);
    m.batches.inc({ consumer });
    m.batchSize.observe(size);
    m.skipped.inc(skipped);
    m.checkpoint.set({ consumer }, this.checkpoint);
    for (const r of result.rejected) m.rejected.inc({ reason: r.reason });
    for (const [model, tokens] of result.unpricedTokens) m.unpricedTokens.inc({ model }, tokens);
  }

  private publishNotices(result: FoldResult, seq: number): void {
    try {
      for (const { subject, notice } of noticesFor(result.changes, this.options.subjectPrefix, seq, Date.now())) {
        this.deps.nc.publish(subject, JSON.stringify(notice));
        this.deps.metrics.notices.inc();
      }
    } catch (err) {
      // Notices are best effort: the data is committed; a dashboard refetches on its next notice.
      this.deps.logger.warn({ err: String(err) }, 'publishing change notices failed');
    }
  }

  private pingWorking(): void {
    for (const m of this.inFlight) m.delivery?.working();
    for (const m of this.pump.buffered()) m.working();
  }
}
