import { Module, type DynamicModule } from '@nestjs/common';
import { AggregatorRuntime } from './aggregator.runtime';
import { HealthController } from './http/health.controller';
import { OpsController } from './ops/ops.controller';

/** Wires an already-built runtime to HTTP (`/metrics`, `/healthz`, `/readyz`) and the ops handlers. */
@Module({})
export class AggregatorModule {
  static forRoot(runtime: AggregatorRuntime): DynamicModule {
    return {
      module: AggregatorModule,
      controllers: [HealthController, OpsController],
      providers: [{ provide: AggregatorRuntime, useValue: runtime }],
    };
  }
}
