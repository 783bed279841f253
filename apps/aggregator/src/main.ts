import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AggregatorModule } from './aggregator.module';
import { AggregatorRuntime } from './aggregator.runtime';
import { loadAggregatorConfig, type AggregatorConfig } from './config/aggregator.config';
import { createAppLogger, isConfigError, isLogSettingError, shutdownSignal } from '@ccpulse/runtime';
import { NatsOpsServer } from './ops/nats-ops.server';
import type { FoldFn } from './projection/projection-runner';

export const AGGREGATE_USAGE = `usage: ccpulse aggregate

Folds the entries stream into PostgreSQL exactly once; rebuilds projections on a processor
version bump. Settings (environment):
  NATS_URL, NATS_USER/NATS_PASSWORD | NATS_TOKEN | NATS_CREDS, DATABASE_URL
  AGGREGATOR_BATCH_SIZE (1000), AGGREGATOR_BATCH_MS (200), AGGREGATOR_BATCH_IDLE_MS (0)
  AGGREGATOR_METRICS_PORT (9101, 0 = ephemeral), AGGREGATOR_METRICS_HOST (127.0.0.1; 0.0.0.0 to be scraped from elsewhere)
  AGGREGATOR_MAX_DELIVER (10), AGGREGATOR_ACK_WAIT_MS (30000), AGGREGATOR_MIGRATE (auto|check)
  CCPULSE_STREAM (CCPULSE_ENTRIES), CCPULSE_SUBJECT_PREFIX (ccpulse), CCPULSE_OPS_PREFIX (<prefix>.ops)
  CCPULSE_WEBHOOK_ALLOW (none: public only; loopback,link-local,private,cgnat,multicast,unspecified,reserved)
  CCPULSE_WEBHOOK_TIMEOUT_MS (5000), CCPULSE_WEBHOOK_ATTEMPTS (6), CCPULSE_WEBHOOK_RETRY_MS (1000)
  CCPULSE_PROCESSOR_VERSION_OVERRIDE  test-only: pretend to be another processor version`;

/** A running aggregator: the Nest app (HTTP + ops transport) around its runtime. */
export interface RunningAggregator {
  app: INestApplication;
  runtime: AggregatorRuntime;
  port: number;
  close(): Promise<void>;
}

/** Builds and starts an aggregator (used by `run` and by tests that need several in one process). */
export async function startAggregator(
  config: AggregatorConfig,
  options: { fold?: FoldFn; logger?: ReturnType<typeof createAppLogger> } = {},
): Promise<RunningAggregator> {
  const logger = options.logger ?? createAppLogger({ fd: 1, pino: { name: 'ccpulse-aggregate' } });
  const runtime = new AggregatorRuntime(config, logger, options.fold ? { fold: options.fold } : {});
  const app = await NestFactory.create(AggregatorModule.forRoot(runtime), { logger: false });
  try {
    await runtime.start();
    app.connectMicroservice({ strategy: new NatsOpsServer(() => runtime.nc!, config.opsPrefix, () => runtime.coordinator?.role === 'leader') }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.listen(config.metricsPort, config.metricsHost);
  } catch (err) {
    await runtime.stop();
    await app.close().catch(() => undefined);
    throw err;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  logger.info({ port, stream: config.stream, version: config.processorVersion }, 'aggregator listening (/metrics, /healthz, /readyz)');
  return {
    app,
    runtime,
    port,
    async close() {
      await runtime.stop();
      await app.close();
    },
  };
}

/**
 * Exit code when a newer processor version went live and this aggregator stepped down. Distinct
 * from 0 so a supervisor (`ccpulse start`, tools/start/restart.policy.ts) can tell "outdated"
 * from "asked to stop" and from a crash.
 */
export const OUTDATED_EXIT_CODE = 3;

/** `ccpulse aggregate`: 0 after a signal, 3 when a newer version went live, 2 for bad settings, 1 when it cannot start. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${AGGREGATE_USAGE}\n`);
    return 0;
  }
  let config: AggregatorConfig;
  let logger: ReturnType<typeof createAppLogger>;
  try {
    config = loadAggregatorConfig(process.env);
    logger = createAppLogger({ fd: 1, pino: { name: 'ccpulse-aggregate' } });
  } catch (err) {
    if (!isConfigError(err) && !isLogSettingError(err)) throw err;
    process.stderr.write(`ccpulse aggregate: invalid setting ${err.message}\n`);
    return 2;
  }
  const signal = shutdownSignal();
  let running: RunningAggregator;
  try {
    running = await startAggregator(config, { logger });
  } catch (err) {
    logger.error({ code: (err as { code?: unknown }).code }, `cannot start: ${(err as Error).message}`);
    return 1;
  }
  const outcome = await Promise.race([signal, running.runtime.outdated.then((v) => `outdated:${v}`)]);
  logger.info({ reason: outcome }, 'stopping');
  await running.close();
  logger.info('aggregator stopped');
  return outcome.startsWith('outdated:') ? OUTDATED_EXIT_CODE : 0;
}
