import {
  createProjectionSchema,
  dropProjectionSchema,
  ensureLiveProjection,
  markProjectionBuilding,
  nextRebuildSchema,
  projectionSchemaName,
  readCheckpoint,
  readProjectionState,
  swapLiveProjection,
  type Database,
} from '@ccpulse/db';
import type { JetStreamClient, JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { AggregatorConfig } from '../config/aggregator.config';
import { BulkBuild, BulkBuildStoppedError } from '../bulk/bulk-build';
import { applyBatch } from '../fold/apply-batch';
import { failureKind } from '../fold/failure-kind';
import type { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { ProjectionRunner, type FoldFn, type RunnerDeps } from '../projection/projection-runner';
import { consumerNameFor, deleteDurableConsumer } from '../stream/durable-consumer';
import { LeaderLock } from './leader-lock';
import { NEAR_HEAD_CHECKS, buildProgress, type BuildProgress, type RateSample } from './build-progress';

export type CoordinatorRole = 'starting' | 'standby' | 'leader' | 'outdated' | 'stopped';

type Logger = RunnerDeps['logger'];

/** A projection being rebuilt next to the live one: a bulk load first, then its batch fold. */
interface Build {
  schema: string;
  consumer: string;
  /** The bulk load, until the batch fold has started. */
  bulk?: BulkBuild;
  /** The batch fold, once the bulk load is done (or skipped). */
  runner?: ProjectionRunner;
  /** Runs the bulk load, then starts the runner. */
  task?: Promise<void>;
  abort: AbortController;
  /** `cold`: a projection missing, or far behind, while the stream holds a backlog (built by the bulk load, then swapped live). */
  reason: 'version' | 'ops' | 'cold';
  startedAt: number;
  samples: RateSample[];
  /** Consecutive checks within one batch of the head (a stream that never pauses). */
  nearHead: number;
}

/** Raised by ops when a rebuild cannot start. */
export class ReplayRefusedError extends Error {
  constructor(
    readonly code: 'REPLAY_NOT_LEADER' | 'REPLAY_OUTDATED',
    message: string,
  ) {
    super(message);
    this.name = 'ReplayRefusedError';
  }
}

export interface CoordinatorDeps {
  config: AggregatorConfig;
  db: Kysely<Database>;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  metrics: AggregatorMetrics;
  logger: Logger;
  /** Test hook: the fold (default `applyBatch`). */
  fold?: FoldFn;
  /** Called once when a newer processor version went live: this process should exit. */
  onOutdated?: (liveVersion: number) => void;
  /** Called after each commit of the live projection. */
  onCommitted?: () => void;
}

const WATCH_MS = 1000;
/**
 * Attempts of a bulk load failing for other reasons than its data (Postgres or NATS away)
 * before the batch fold takes over; with the backoff between them, an outage of about a minute.
 */
const BULK_ATTEMPTS = 6;

/**
 * Decides what this aggregator does, then does it: take the per-version leader lock (others
 * stand by), consume the live projection of our version, build a shadow when our version is newer
 * than the live one (or when ops asks for a rebuild), swap it live once it reaches the stream
 * head, then retire the old consumer and schema. Progress goes to metrics and logs.
 */
export class ProjectionCoordinator {
  role: CoordinatorRole = 'starting';
  private live: ProjectionRunner | undefined;
  private build: Build | undefined;
  private lastSwap: { schema: string; previous: string | null; at: number } | undefined;
  private readonly lock: LeaderLock;
  private readonly abort = new AbortController();
  private watcher: NodeJS.Timeout | undefined;
  private swapping = false;
  private rebuildStarting: Promise<{ schema: string; consumer: string }> | undefined;
  private leading: Promise<void> | undefined;

  constructor(private readonly deps: CoordinatorDeps) {
    this.lock = new LeaderLock(deps.config.databaseUrl, `ccpulse-aggregator:${deps.config.stream}:v${deps.config.processorVersion}`);
  }

  /** Returns at once; leadership is acquired in the background (standby until then). */
  start(): void {
    this.role = 'standby';
    this.leading = (async () => {
      const acquired = await this.lock.acquire((err) => void this.onLockLost(err), this.abort.signal);
      if (!acquired || this.abort.signal.aborted) return;
      this.deps.logger.info({ lock: this.lock.key }, 'leading');
      await this.lead();
    })().catch((err) => this.deps.logger.error({ err: String(err) }, 'aggregator could not start consuming'));
  }

  /** Resolves once this process leads and runs its projections (tests and `--wait`). */
  async whenLeading(): Promise<void> {
    await this.leading;
  }

  async stop(): Promise<void> {
    this.role = 'stopped';
    this.abort.abort();
    if (this.watcher) clearInterval(this.watcher);
    await this.leading?.catch(() => undefined);
    await Promise.all([this.live?.stop(), this.stopBuild(this.build)]);
    await this.lock.release();
  }

  private async lead(): Promise<void> {
    const { db, config } = this.deps;
    const version = config.processorVersion;
    const state = await readProjectionState(db);
    if (state.liveVersion !== null && state.liveVersion > version) {
      this.outdated(state.liveVersion);
      return;
    }
    this.role = 'leader';
    const resuming = state.buildingSchema !== null && state.buildingVersion === version;
    // Nothing live and nothing being built: a first start, folded in place unless a backlog waits.
    const first = state.liveSchema === null && !resuming;
    const cold = first && (await this.coldBacklog());
    if (first && !cold) {
      const schema = await ensureLiveProjection(db, version);
      this.live = await this.runner(schema, true);
      this.deps.logger.info({ schema }, 'no live projection yet: building it in place');
    } else if (state.liveSchema !== null && state.liveVersion === version) {
      this.live = await this.runner(state.liveSchema, true);
    }
    if (cold) {
      await this.startBuild(projectionSchemaName(version), 'cold');
    } else if (resuming) {
      const reason = state.liveVersion === null ? 'cold' : state.liveVersion === version ? 'ops' : 'version';
      await this.startBuild(state.buildingSchema!, reason);
    } else if (state.liveVersion !== null && state.liveVersion < version) {
      if (state.buildingSchema) await this.retire(state.buildingSchema);
      await this.startBuild(projectionSchemaName(version), 'version');
    } else if (state.buildingSchema) {
      await this.retire(state.buildingSchema);
      await markProjectionBuilding(db, null);
    }
    // stop() may have run while this awaited: it cleared no watcher yet, so start none.
    if (this.abort.signal.aborted) return;
    this.watcher = setInterval(() => void this.watch(), WATCH_MS);
  }

  /**
   * True when nothing is live yet and the stream already holds AGGREGATOR_COLD_BULK_MB: the
   * projection is then built by the bulk load (as a replay is) and goes live when it reaches the
   * head, so the first complete answer does not wait for a backlog of per-batch upserts.
   */
  private async coldBacklog(): Promise<boolean> {
    const { config, jsm, logger } = this.deps;
    if (!config.bulkRebuild) return false;
    const info = await jsm.streams.info(config.stream).catch(() => undefined);
    const bytes = info?.state.bytes ?? 0;
    if (bytes === 0 || bytes < config.coldBulkBytes) return false;
    logger.info({ stream: config.stream, bytes, messages: info?.state.messages }, 'no live projection yet and a backlog in the stream: bulk load first');
    return true;
  }

  /**
   * A live projection far behind its stream (a first backfill pouring in, an aggregator that was
   * down for long) by AGGREGATOR_COLD_BULK_MB is rebuilt by the bulk load rather than caught up
   * batch by batch: its runner stops (the API keeps answering from it, as it stood), a build
   * reads the stream to its end, and swaps live once at the head.
   */
  private async catchUpByBulk(stream: StreamInfo): Promise<void> {
    const { config, logger } = this.deps;
    const live = this.live;
    if (!config.bulkRebuild || !live) return;
    const { messages, bytes, last_seq: head } = stream.state;
    const behindBytes = messages === 0 ? 0 : ((head - live.progress().checkpoint) * bytes) / messages;
    if (behindBytes < Math.max(config.coldBulkBytes, 1)) return;
    const schema = await nextRebuildSchema(this.deps.db, config.processorVersion);
    logger.info({ schema, behindMb: Math.round(behindBytes / 2 ** 20) }, 'live projection far behind the stream: building by the bulk load, then swapping');
    await live.stop();
    await this.startBuild(schema, 'cold');
  }

  /** Ops: rebuild the projection at the current version in a fresh schema, then swap. */
  async startRebuild(): Promise<{ schema: string; consumer: string; alreadyRunning: boolean }> {
    if (this.role === 'outdated') throw new ReplayRefusedError('REPLAY_OUTDATED', 'a newer processor version is live');
    if (this.role !== 'leader') throw new ReplayRefusedError('REPLAY_NOT_LEADER', 'this aggregator is on standby');
    if (this.build) return { schema: this.build.schema, consumer: this.build.consumer, alreadyRunning: true };
    // Two requests at once must not both pick the next schema and start a build each.
    if (this.rebuildStarting) return { ...(await this.rebuildStarting), alreadyRunning: true };
    const starting = (async () => {
      const schema = await nextRebuildSchema(this.deps.db, this.deps.config.processorVersion);
      await this.startBuild(schema, 'ops');
      return { schema, consumer: consumerNameFor(schema) };
    })();
    this.rebuildStarting = starting;
    try {
      return { ...(await starting), alreadyRunning: false };
    } finally {
      this.rebuildStarting = undefined;
    }
  }

  /** What `replay.status` reports. */
  async replayStatus(): Promise<{
    role: CoordinatorRole;
    processorVersion: number;
    live: { schema: string; consumer: string; checkpoint: number } | null;
    building: (BuildProgress & { reason: string; startedAt: string }) | null;
    lastSwap: { schema: string; previous: string | null; at: string } | null;
  }> {
    const live = this.live?.progress();
    return {
      role: this.role,
      processorVersion: this.deps.config.processorVersion,
      live: live ? { schema: live.schema, consumer: live.consumer, checkpoint: live.checkpoint } : null,
      building: this.build
        ? {
            ...(await this.progressOf(this.build)),
            reason: this.build.reason,
            startedAt: new Date(this.build.startedAt).toISOString(),
          }
        : null,
      lastSwap: this.lastSwap
        ? { schema: this.lastSwap.schema, previous: this.lastSwap.previous, at: new Date(this.lastSwap.at).toISOString() }
        : null,
    };
  }

  /** Runners this process drives (for consumer.status). */
  runners(): ProjectionRunner[] {
    return [this.live, this.build?.runner].filter((r): r is ProjectionRunner => r !== undefined);
  }

  private async runner(schema: string, notify: boolean): Promise<ProjectionRunner> {
    const { config } = this.deps;
    const runner = new ProjectionRunner(
      {
        ...this.deps,
        fold: this.deps.fold ?? applyBatch,
        readCheckpoint: async (db, consumer) => (await readCheckpoint(db, consumer))?.lastSeq ?? 0,
      },
      { schema, consumer: consumerNameFor(schema), processorVersion: config.processorVersion },
      {
        stream: config.stream,
        batchSize: config.batchSize,
        batchMs: config.batchMs,
        batchIdleMs: config.batchIdleMs,
        maxDeliver: config.maxDeliver,
        ackWaitMs: config.ackWaitMs,
        subjectPrefix: config.subjectPrefix,
        notify,
      },
    );
    await runner.start();
    return runner;
  }

  /**
   * Starts rebuilding `schema`. A build with no checkpoint yet starts with a bulk load in the
   * background (so ops requests return at once); one that has a checkpoint (resumed after a
   * restart past its bulk load) goes on with its batch fold.
   */
  private async startBuild(schema: string, reason: Build['reason']): Promise<void> {
    const { db, config, logger } = this.deps;
    await markProjectionBuilding(db, schema);
    const consumer = consumerNameFor(schema);
    const build: Build = { schema, consumer, abort: new AbortController(), reason, startedAt: Date.now(), samples: [], nearHead: 0 };
    const checkpoint = (await readCheckpoint(db, consumer))?.lastSeq ?? 0;
    logger.info({ schema, reason, consumer, bulk: config.bulkRebuild && checkpoint === 0 }, 'rebuilding projection from stream sequence 1');
    if (config.bulkRebuild && checkpoint === 0) {
      this.build = build;
      build.task = this.bulkThenFold(build);
      return;
    }
    // Without a checkpoint nothing in the schema counts (it may be a bulk load cut short).
    if (checkpoint === 0) await dropProjectionSchema(db, schema, consumer);
    await createProjectionSchema(db, schema);
    build.runner = await this.runner(schema, false);
    this.build = build;
  }

  /**
   * The bulk load, retried a few times when Postgres or NATS fail under it; when it cannot load
   * this stream (a data error) or keeps failing, the schema is recreated empty and the batch fold
   * builds it from sequence 1 instead, which isolates and records whatever message is at fault.
   */
  private async bulkThenFold(build: Build): Promise<void> {
    const { db, config, logger } = this.deps;
    const signal = build.abort.signal;
    const target = { schema: build.schema, consumer: build.consumer, processorVersion: config.processorVersion };
    let loaded = false;
    for (let attempt = 1; !signal.aborted && !loaded; attempt++) {
      build.bulk = new BulkBuild({ ...this.deps, databaseUrl: config.databaseUrl, stream: config.stream }, target, signal);
      try {
        await build.bulk.run();
        this.deps.metrics.bulkLoads.inc({ outcome: 'done' });
        loaded = true;
      } catch (err) {
        if (signal.aborted || err instanceof BulkBuildStoppedError) return;
        const giveUp = failureKind(err) === 'data' || attempt >= BULK_ATTEMPTS;
        this.deps.metrics.bulkLoads.inc({ outcome: giveUp ? 'fallback' : 'retried' });
        logger.warn({ err: String(err), schema: build.schema, attempt }, giveUp ? 'bulk load failed; folding batch by batch instead' : 'bulk load failed; retrying');
        if (giveUp) break;
        await sleep(1000 * 2 ** attempt, undefined, { signal }).catch(() => undefined);
      }
    }
    // Start the batch fold: from the head the bulk load stored, or from sequence 1 in a schema
    // emptied of whatever the failed load left.
    for (let delay = 1000; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        if (!loaded) await dropProjectionSchema(db, build.schema, build.consumer);
        await createProjectionSchema(db, build.schema);
        build.runner = await this.runner(build.schema, false);
        build.bulk = undefined;
        break;
      } catch (err) {
        logger.warn({ err: String(err), schema: build.schema, retryInMs: delay }, 'starting the rebuild\'s batch fold failed; retrying');
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
    // Swap now if the head has not moved meanwhile, rather than on the next watch tick.
    if (build.runner) void this.watch();
  }

  /** Stops a build in whichever phase it is. */
  private async stopBuild(build: Build | undefined): Promise<void> {
    if (!build) return;
    build.abort.abort();
    await build.task?.catch(() => undefined);
    await build.runner?.stop();
  }

  private async progressOf(build: Build): Promise<BuildProgress> {
    const { jsm, config } = this.deps;
    if (!build.runner) {
      const b = build.bulk?.progress ?? { lastSeq: 0, read: 0 };
      const stream = await jsm.streams.info(config.stream);
      return buildProgress({
        schema: build.schema,
        consumer: build.consumer,
        checkpoint: b.lastSeq,
        appliedMessages: b.read,
        head: stream.state.last_seq,
        numPending: undefined,
        samples: build.samples,
        now: Date.now(),
      });
    }
    const p = build.runner.progress();
    const [stream, consumer] = await Promise.all([
      jsm.streams.info(config.stream),
      jsm.consumers.info(config.stream, p.consumer).catch(() => undefined),
    ]);
    return buildProgress({
      schema: p.schema,
      consumer: p.consumer,
      checkpoint: p.checkpoint,
      appliedMessages: p.appliedMessages,
      head: stream.state.last_seq,
      numPending: consumer ? consumer.num_pending + consumer.num_ack_pending : undefined,
      samples: build.samples,
      now: Date.now(),
    });
  }

  /** Once a second: gauges, progress logs, the swap, and "has a newer version gone live?". */
  private async watch(): Promise<void> {
    if (this.role !== 'leader') return;
    try {
      const stream = await this.updateGauges();
      const state = await readProjectionState(this.deps.db);
      if (state.liveVersion !== null && state.liveVersion > this.deps.config.processorVersion) {
        this.outdated(state.liveVersion);
        return;
      }
      if (!this.build && !this.swapping) await this.catchUpByBulk(stream);
      const build = this.build;
      if (!build || this.swapping) return;
      const progress = await this.progressOf(build);
      const m = this.deps.metrics;
      m.replayApplied.set({ schema: progress.schema }, progress.checkpoint);
      m.replayHead.set({ schema: progress.schema }, progress.head);
      m.replayEta.set({ schema: progress.schema }, progress.etaSeconds ?? -1);
      m.replayRate.set({ schema: progress.schema }, progress.ratePerSecond);
      if (!build.runner) {
        this.deps.logger.info({ ...progress, phase: `bulk load: ${build.bulk?.progress.phase ?? 'starting'}` }, 'rebuild progress');
        return;
      }
      build.nearHead = progress.head - progress.checkpoint <= this.deps.config.batchSize ? build.nearHead + 1 : 0;
      // Another watch may have swapped while this one awaited the progress.
      if (this.swapping || this.build !== build) return;
      if (progress.caughtUp || build.nearHead >= NEAR_HEAD_CHECKS) await this.swap(build, build.runner);
      else this.deps.logger.info(progress, 'rebuild progress');
    } catch (err) {
      this.deps.logger.warn({ err: String(err) }, 'projection watch failed; will retry');
    }
  }

  /** Sets the lag gauges; returns the stream's info it read for them (the watch reuses it). */
  private async updateGauges(): Promise<StreamInfo> {
    const { jsm, config, metrics } = this.deps;
    const stream = await jsm.streams.info(config.stream);
    for (const r of this.runners()) {
      const p = r.progress();
      const info = await jsm.consumers.info(config.stream, p.consumer).catch(() => undefined);
      if (info) metrics.pending.set({ consumer: p.consumer }, info.num_pending + info.num_ack_pending);
      metrics.lag.set({ consumer: p.consumer }, Math.max(0, stream.state.last_seq - p.checkpoint));
    }
    return stream;
  }

  private async swap(build: Build, runner: ProjectionRunner): Promise<void> {
    this.swapping = true;
    try {
      const schema = build.schema;
      const previous = await swapLiveProjection(this.deps.db, schema);
      if (!previous) {
        this.deps.logger.warn({ schema }, 'swap skipped: this schema is no longer the one being built');
        await runner.stop();
        this.build = undefined;
        return;
      }
      this.deps.metrics.swaps.inc();
      this.lastSwap = { schema, previous: previous.schema, at: Date.now() };
      this.deps.logger.info({ schema, previous: previous.schema }, 'rebuilt projection is live');
      const old = this.live;
      runner.setNotify(true);
      this.live = runner;
      this.build = undefined;
      await old?.stop();
      if (previous.schema && previous.schema !== schema) await this.retire(previous.schema);
    } finally {
      this.swapping = false;
    }
  }

  /** Deletes a retired projection's consumer and schema. */
  private async retire(schema: string): Promise<void> {
    const consumer = consumerNameFor(schema);
    await deleteDurableConsumer(this.deps.jsm, this.deps.config.stream, consumer);
    await dropProjectionSchema(this.deps.db, schema, consumer);
    this.deps.logger.info({ schema, consumer }, 'retired projection dropped');
  }

  private outdated(liveVersion: number): void {
    if (this.role === 'outdated') return;
    this.role = 'outdated';
    this.deps.logger.error(
      { liveVersion, processorVersion: this.deps.config.processorVersion },
      'a newer processor version is live; this aggregator stops consuming',
    );
    void Promise.all([this.live?.stop(), this.stopBuild(this.build)]).then(() => this.deps.onOutdated?.(liveVersion));
  }

  private async onLockLost(err: unknown): Promise<void> {
    if (this.role === 'stopped') return;
    this.deps.logger.error({ err: String(err) }, 'leader lock lost; stopping and standing by');
    if (this.watcher) clearInterval(this.watcher);
    const live = this.live;
    const build = this.build;
    this.live = undefined;
    this.build = undefined;
    this.role = 'standby';
    await Promise.all([live?.stop(), this.stopBuild(build)]);
    this.start();
  }
}
