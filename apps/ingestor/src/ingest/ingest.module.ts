import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { IngestConfig } from '../config/ingest-config';
import { INGEST_CONFIG, INGEST_LOGGER } from './ingest.tokens';
import { IngestorService } from './ingestor.service';

/** Wires the validated config and logger into the ingest lifecycle. */
@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig, log: Logger): DynamicModule {
    return {
      module: IngestModule,
      providers: [{ provide: INGEST_CONFIG, useValue: config }, { provide: INGEST_LOGGER, useValue: log }, IngestorService],
      exports: [IngestorService],
    };
  }
}
