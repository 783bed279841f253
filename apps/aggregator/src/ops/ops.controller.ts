import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, RpcException } from '@nestjs/microservices';
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
  replayStart() {
    return answer(() => this.coordinator().startRebuild());
  }

  @MessagePattern('replay.status')
  replayStatus() {
    return answer(() => this.coordinator().replayStatus());
  }

  @MessagePattern('consumer.status')
  consumerStatus(): Promise<ConsumerStatus> {
    return answer(() => {
      const { jsm, config } = this.runtime;
      if (!jsm) throw Object.assign(new Error('not connected to NATS yet'), { code: 'OPS_STARTING' });
      return consumerStatus(jsm, config.stream, this.coordinator());
    });
  }

  private coordinator() {
    const c = this.runtime.coordinator;
    if (!c) throw Object.assign(new Error('the aggregator is still starting'), { code: 'OPS_STARTING' });
    return c;
  }
}

/** Errors leave as RpcException so the requester sees the message and code, not "Internal server error". */
async function answer<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    const e = err as { message?: string; code?: unknown };
    throw new RpcException({ message: e?.message ?? String(err), code: typeof e?.code === 'string' ? e.code : 'OPS_FAILED' });
  }
}
