import { Controller, Get, Inject, Res } from '@nestjs/common';
import { metricsExposition } from '@ccpulse/runtime';
import { API_METRICS } from '../api.tokens';
import type { ApiMetrics } from './api-metrics';

/** `/metrics` in the Prometheus text format. */
@Controller()
export class MetricsController {
  constructor(@Inject(API_METRICS) private readonly metrics: ApiMetrics) {}

  @Get('metrics')
  async scrape(@Res() res: any) {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await metricsExposition(this.metrics.registry));
  }
}
