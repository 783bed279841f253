import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { IngestConfig } from '../config/ingest-config';
import { IngestRun } from './ingest-run';
import { INGEST_CONFIG, INGEST_LOGGER } from './ingest.tokens';

/** The ingest lifecycle as a Nest provider: the application context's shutdown stops it. */
@Injectable()
export class IngestorService extends IngestRun implements OnApplicationShutdown {
  constructor(@Inject(INGEST_CONFIG) config: IngestConfig, @Inject(INGEST_LOGGER) log: Logger) {
    super(config, log);
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
