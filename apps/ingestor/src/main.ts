import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { IngestConfigError } from './config/ingest-config.error';
import { INGEST_USAGE, loadIngestConfig, parseIngestArgs, type IngestConfig } from './config/ingest-config';
import { IngestModule } from './ingest/ingest.module';
import { IngestorService } from './ingest/ingestor.service';
import { createLogger } from './logger';

/** Resolves on the first SIGINT/SIGTERM. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** `ccpulse ingest`: exit 0 after `--once` or a signal, 2 for bad settings, 1 when it cannot start. */
export async function run(argv: string[]): Promise<number> {
  let config: IngestConfig;
  try {
    const args = parseIngestArgs(argv);
    if (args.help) {
      process.stdout.write(`${INGEST_USAGE}\n`);
      return 0;
    }
    config = loadIngestConfig(process.env, args);
  } catch (err) {
    if (!(err instanceof IngestConfigError)) throw err;
    process.stderr.write(`ccpulse ingest: invalid setting ${err.message}\n`);
    return 2;
  }
  const log = createLogger('ccpulse-ingest');
  const signal = shutdownSignal();
  const app = await NestFactory.createApplicationContext(IngestModule.forRoot(config, log), { logger: false });
  const service = app.get(IngestorService);
  try {
    await service.start();
  } catch (err) {
    log.error({ code: (err as { code?: unknown }).code }, (err as Error).message);
    await app.close();
    return 1;
  }
  const work = config.once ? service.runOnce() : service.follow().then(() => new Promise<never>(() => undefined));
  const outcome = await Promise.race([work.then(() => 'done'), signal]);
  if (outcome !== 'done') log.info({ signal: outcome }, 'stopping');
  await app.close();
  return 0;
}
