import { readinessReport, type ReadinessReport } from '@ccpulse/domain';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { connectNats, drainOrClose, ensureEntriesStream } from '@ccpulse/runtime';
import { ingestNatsOptions, type IngestConfig } from '../config/ingest-config';
import { createIngestorMetrics, type IngestorMetrics } from '../metrics/ingestor.metrics';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics.server';
import { OffsetsStore } from '../nats/offsets.store';
import { BackfillProgress } from '../progress/backfill-progress';
import { PublishWindow } from '../publish/publish-window';
import { Ingestor } from './ingestor';

/**
 * The ingest lifecycle around the `Ingestor`: connect, check the stream and the offsets bucket,
 * serve metrics, backfill, follow; on `stop` stop reading, wait for acks (bounded), store
 * checkpoints and drain the connection. Framework-free, so `--once` runs it without Nest; the
 * following ingestor runs it as a Nest provider (`IngestorService`).
 */
export class IngestRun {
  readonly metrics: IngestorMetrics = createIngestorMetrics();
  private nc?: NatsConnection;
  private ingestor?: Ingestor;
  private server?: MetricsServer;
  private ready = false;
  private stopped?: Promise<void>;

  constructor(
    private readonly config: IngestConfig,
    private readonly log: Logger,
  ) {}

  /** NATS connected, and the stream and checkpoint bucket checked (`/readyz`). */
  private readiness(): ReadinessReport {
    const nc = this.nc;
    return readinessReport({
      nats: nc && !nc.isClosed() ? { ok: true } : { ok: false, error: nc ? 'connection closed' : 'not connected yet' },
      stream: this.ready ? { ok: true } : { ok: false, error: this.stopped ? 'stopping' : 'stream and checkpoints not checked yet' },
    });
  }

  /** Connects and checks everything a run needs; throws a named error when it cannot start. */
  async start(): Promise<void> {
    const { config, log } = this;
    this.server = await startMetricsServer(this.metrics.registry, config.metricsPort, config.metricsHost, () => this.readiness());
    log.info({ host: config.metricsHost, port: this.server.port }, 'metrics on /metrics, /healthz, /readyz');
    const nc = (this.nc = await connectNats(ingestNatsOptions(config)));
    void this.watchStatus(nc);
    // The stream and the bucket are checked at once: each is a round trip to the server.
    const [notes, offsets] = await Promise.all([
      jetstreamManager(nc).then((jsm) => ensureEntriesStream(jsm, config)),
      OffsetsStore.open(nc, config.offsetsBucket, config.host, { keepPaths: !config.redact?.paths }),
    ]);
    for (const note of notes) log.warn({ stream: config.stream }, `existing stream: ${note}`);
    const window = new PublishWindow(nc, config.publishWindow, this.metrics, log);
    const tty = process.stderr.isTTY ? process.stderr : undefined;
    this.ingestor = new Ingestor({ config, nc, window, offsets, metrics: this.metrics, log, progress: new BackfillProgress(log, tty) });
    this.ready = true;
    log.info(
      { servers: config.natsServers, stream: config.stream, bucket: config.offsetsBucket, user: config.user, host: config.host, roots: config.roots, content: config.content },
      'ingest started',
    );
  }

  get metricsPort(): number | undefined {
    return this.server?.port;
  }

  /** `--once`: heartbeat, backfill everything, wait for every PubAck, heartbeat. */
  async runOnce(): Promise<void> {
    const ingestor = this.started();
    ingestor.heartbeat();
    await ingestor.backfill();
    ingestor.heartbeat();
    await this.nc?.flush();
    this.log.info(await this.totals(), 'once: every line acknowledged');
  }

  /** Counter totals for the closing log line (tests and cron logs read them). */
  async totals(): Promise<Record<string, number>> {
    const value = async (c: { get(): Promise<{ values: { value: number }[] }> }) => (await c.get()).values.reduce((n, v) => n + v.value, 0);
    const m = this.metrics;
    return {
      lines: await value(m.linesRead),
      published: await value(m.published),
      duplicates: await value(m.duplicates),
      rejections: await value(m.rejections),
      retries: await value(m.publishRetries),
      reconnects: await value(m.natsReconnects),
    };
  }

  /** Backfill, then follow the files until shutdown. */
  async follow(): Promise<void> {
    const ingestor = this.started();
    ingestor.heartbeat();
    ingestor.follow();
    await ingestor.backfill();
    this.log.info({ files: ingestor.filesTracked }, 'backfill acknowledged; following');
  }

  /** Stops once, however often it is called. */
  async stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    await this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.ready = false;
    if (this.ingestor) {
      await this.ingestor.stop();
      this.ingestor.heartbeat();
    }
    if (this.nc && !this.nc.isClosed()) {
      // A drain needs the server; when it is away, close after a bounded wait instead of hanging.
      const outcome = await drainOrClose(this.nc, 3000);
      if (!outcome.drained && outcome.error) this.log.warn({ err: (outcome.error as Error).message }, 'drain failed');
    }
    await this.server?.close();
    this.log.info('ingest stopped');
  }

  private started(): Ingestor {
    if (!this.ingestor) throw new Error('IngestRun.start() has not completed');
    return this.ingestor;
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'reconnect') {
        this.metrics.natsReconnects.inc();
        this.log.info({ server: status.server }, 'NATS reconnected');
      } else if (status.type === 'disconnect') {
        this.log.warn({ server: status.server }, 'NATS disconnected; publishing pauses, reading waits');
      }
    }
  }
}
