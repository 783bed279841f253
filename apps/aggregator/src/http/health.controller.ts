import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { readinessReport, readinessStatus, type ReadinessReport } from '@ccpulse/domain';
import { metricsExposition } from '@ccpulse/runtime';
import { AggregatorRuntime } from '../aggregator.runtime';

/** `/metrics` (prom-client), `/healthz` (the process answers) and `/readyz` (connected, leading or on standby). */
@Controller()
export class HealthController {
  constructor(@Inject(AggregatorRuntime) private readonly runtime: AggregatorRuntime) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return metricsExposition(this.runtime.metrics.registry);
  }

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  readyz(@Res() res: { status(code: number): { json(body: unknown): void } }): void {
    const report = this.report();
    res.status(readinessStatus(report)).json(report);
  }

  /** NATS connected, and the projection coordinator leading or on standby (it reached Postgres). */
  private report(): ReadinessReport {
    const role = this.runtime.coordinator?.role ?? 'starting';
    const nc = this.runtime.nc;
    const projection = role === 'leader' || role === 'standby' ? { ok: true, role } : { ok: false, role, error: role === 'outdated' ? 'a newer processor version is live' : `projection ${role}` };
    return readinessReport({
      nats: nc && !nc.isClosed() ? { ok: true } : { ok: false, error: nc ? 'connection closed' : 'not connected yet' },
      projection,
    });
  }
}
