import {
  assertMigrated,
  assertReachable,
  createDatabase,
  migrateToLatest,
  type Database,
} from '@ccpulse/db';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { budgetsChangedSubject } from '@ccpulse/domain';
import { connectNats, drainOrClose, ensureEntriesStream, natsServers } from '@ccpulse/runtime';
import { AlertOutbox } from './alerts/alert-outbox';
import { BudgetEvaluator } from './alerts/budget-evaluator';
import { BudgetMetrics } from './alerts/budget.metrics';
import { natsCredentials, type AggregatorConfig } from './config/aggregator.config';
import { listenHeartbeats } from './heartbeat/heartbeat.listener';
import { AggregatorMetrics } from './metrics/aggregator.metrics';
import type { FoldFn } from './projection/projection-runner';
import { ProjectionCoordinator } from './replay/projection-coordinator';

/** How long a stop waits for the NATS drain before it closes the connection instead. */
const NATS_DRAIN_MS = 3000;

/**
 * Everything one aggregator process holds: the database, the NATS connection, the coordinator
 * and the heartbeat listener. Framework-free so tests can run several in one process; the Nest
 * module only wires it to HTTP and the ops transport.
 */
export class AggregatorRuntime {
  readonly metrics: AggregatorMetrics;
  readonly budgetMetrics: BudgetMetrics;
  budgets: BudgetEvaluator | undefined;
  outbox: AlertOutbox | undefined;
  private budgetChanges: Subscription | undefined;
  db: Kysely<Database> | undefined;
  nc: NatsConnection | undefined;
  js: JetStreamClient | undefined;
  jsm: JetStreamManager | undefined;
  coordinator: ProjectionCoordinator | undefined;
  private heartbeats: Subscription | undefined;
  private stopped = false;
  /** Resolves when a newer processor version went live (main exits then). */
  readonly outdated: Promise<number>;
  private resolveOutdated!: (v: number) => void;

  constructor(
    readonly config: AggregatorConfig,
    readonly logger: Logger,
    private readonly options: { fold?: FoldFn; metrics?: AggregatorMetrics } = {},
  ) {
    this.metrics = options.metrics ?? new AggregatorMetrics();
    this.budgetMetrics = new BudgetMetrics(this.metrics.registry);
    this.outdated = new Promise((resolve) => (this.resolveOutdated = resolve));
  }

  /** Connects, migrates (or checks), makes sure the stream exists, then starts leading or standing by. */
  async start(): Promise<void> {
    const { config, logger } = this;
    const db = createDatabase({ url: config.databaseUrl, statementTimeoutMs: 0 });
    this.db = db;
    await assertReachable(db);
    if (config.migrate === 'auto') {
      const report = await migrateToLatest(db);
      if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
    } else {
      await assertMigrated(db);
    }
    // Reconnects forever and waits for a NATS not up yet: the consume loop re-attaches itself.
    const nc = await connectNats({
      servers: natsServers(config.natsUrl),
      name: `ccpulse-aggregator-v${config.processorVersion}`,
      credentials: natsCredentials(config.natsAuth),
      retry: { kind: 'forever', waitMs: 1000, waitOnFirstConnect: true },
      firstFailure: 'raw',
    });
    this.nc = nc;
    void this.watchNats(nc);
    this.jsm = await jetstreamManager(nc);
    this.js = jetstream(nc);
    for (const note of await ensureEntriesStream(this.jsm, config)) logger.warn({ stream: config.stream }, `existing stream: ${note}`);
    this.heartbeats = listenHeartbeats(nc, db, config.subjectPrefix, this.metrics, (err) =>
      logger.warn({ err: String(err) }, 'recording a heartbeat failed'),
    );
    this.startBudgets(db, nc);
    this.coordinator = new ProjectionCoordinator({
      config,
      db,
      nc,
      js: this.js,
      jsm: this.jsm,
      metrics: this.metrics,
      logger,
      ...(this.options.fold ? { fold: this.options.fold } : {}),
      onOutdated: (v) => this.resolveOutdated(v),
      onCommitted: () => this.budgets?.trigger(),
    });
    this.coordinator.start();
  }

  /**
   * Budget alerts: evaluated after every live commit, when the API says a budget changed, and
   * now (a budget set while no aggregator ran); the outbox first sends what a previous process
   * recorded but did not deliver.
   */
  private startBudgets(db: Kysely<Database>, nc: NatsConnection): void {
    const { config, logger } = this;
    this.outbox = new AlertOutbox({
      db,
      policy: config.webhook,
      attempts: config.webhookAttempts,
      retryMs: config.webhookRetryMs,
      metrics: this.budgetMetrics,
      logger,
    });
    this.budgets = new BudgetEvaluator({
      db,
      nc,
      subjectPrefix: config.subjectPrefix,
      metrics: this.budgetMetrics,
      logger,
      onRecorded: () => this.outbox?.kick(),
    });
    this.budgetChanges = nc.subscribe(budgetsChangedSubject(config.subjectPrefix), { callback: () => this.budgets?.trigger() });
    this.outbox.start();
    this.budgets.trigger();
  }

  /** Serving as designed: connected, and leading or standing by. */
  ready(): boolean {
    const role = this.coordinator?.role;
    return !this.stopped && !!this.nc && !this.nc.isClosed() && (role === 'leader' || role === 'standby');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.coordinator?.stop().catch((err) => this.logger.warn({ err: String(err) }, 'stopping projections failed'));
    this.heartbeats?.unsubscribe();
    this.budgetChanges?.unsubscribe();
    await this.budgets?.stop().catch(() => undefined);
    await this.outbox?.stop().catch(() => undefined);
    if (this.nc) await this.closeNats(this.nc);
    await this.db?.destroy().catch(() => undefined);
  }

  /** Drains the connection, or closes it when the drain cannot finish (NATS away). */
  private async closeNats(nc: NatsConnection): Promise<void> {
    const outcome = await drainOrClose(nc, NATS_DRAIN_MS);
    if (outcome.drained || !outcome.forced) return;
    this.logger.warn({ err: outcome.reason }, 'NATS unreachable: closing the connection without a drain (unacked messages are redelivered)');
  }

  private async watchNats(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
        this.logger.warn({ nats: s.type }, 'NATS connection status');
      }
    }
  }
}
