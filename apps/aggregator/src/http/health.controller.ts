import { Controller, Get, Header, HttpException, Inject } from '@nestjs/common';
import { AggregatorRuntime } from '../aggregator.runtime';

/** `/metrics` (prom-client), `/healthz` (the process answers) and `/readyz` (connected, leading or on standby). */
@Controller()
export class HealthController {
  constructor(@Inject(AggregatorRuntime) private readonly runtime: AggregatorRuntime) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.metrics.registry.metrics();
  }

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  readyz(): { status: 'ready'; role: string } {
    const role = this.runtime.coordinator?.role ?? 'starting';
    if (!this.runtime.ready()) throw new HttpException({ status: 'not ready', role }, 503);
    return { status: 'ready', role };
  }
}
