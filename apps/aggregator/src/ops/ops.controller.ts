import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { AggregatorRuntime } from '../aggregator.runtime';
import { consumerStatus, type ConsumerStatus } from './consumer-status';

/**
 * The ops control plane (request/reply on `<opsPrefix>.<pattern>` through `NatsOpsServer`):
 * start a rebuild at the current processor version, watch it, and read consumer lag.
 */
@Controller()
export class OpsController {
  constructor(@Inject(AggregatorRuntime) private readonly runtime: AggregatorRuntime) {}

  @MessagePattern('replay.start')
  async replayStart() {
    return this.coordinator().startRebuild();
  }

  @MessagePattern('replay.status')
  async replayStatus() {
    return this.coordinator().replayStatus();
  }

  @MessagePattern('consumer.status')
  async consumerStatus(): Promise<ConsumerStatus> {
    const { jsm, config } = this.runtime;
    if (!jsm) throw new Error('not connected to NATS yet');
    return consumerStatus(jsm, config.stream, this.coordinator());
  }

  private coordinator() {
    const c = this.runtime.coordinator;
    if (!c) throw new Error('the aggregator is still starting');
    return c;
  }
}
