import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import type { IngestConfig } from '../config/ingest-config';
import type { IngestRun } from './ingest-run';
import { IngestModule } from './ingest.module';
import { IngestorService } from './ingestor.service';

/** The following ingestor's Nest application context: its lifecycle, and `close` to shut it down. */
export async function createNestHost(config: IngestConfig, log: Logger): Promise<{ run: IngestRun; close(): Promise<void> }> {
  const app = await NestFactory.createApplicationContext(IngestModule.forRoot(config, log), { logger: false });
  return { run: app.get(IngestorService), close: () => app.close() };
}
