import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import type { NatsConnection } from '@nats-io/transport-node';
import { API_CONFIG, NATS_CONNECTION } from '../api.tokens';
import { requireAdmin } from '../auth/viewer';
import type { ApiConfig } from '../config/api-config';
import type { ApiContext } from '../graphql/api-context';
import { unavailable } from '../graphql/api-errors';

const OPS_TIMEOUT_MS = 3000;

/**
 * Asks the aggregator's ops control plane (`<opsPrefix>.<pattern>`, reply `{ ok, response }`
 * or `{ ok: false, error }`). No answer is UNAVAILABLE, never a hang.
 */
export async function opsRequest(nc: NatsConnection, opsPrefix: string, pattern: string): Promise<unknown> {
  let data: Uint8Array;
  try {
    const msg = await nc.request(`${opsPrefix}.${pattern}`, '{}', { timeout: OPS_TIMEOUT_MS });
    data = msg.data;
  } catch {
    throw unavailable(`the aggregator did not answer ${pattern}`);
  }
  let reply: { ok?: boolean; response?: unknown; error?: string };
  try {
    reply = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw unavailable(`the aggregator's ${pattern} reply is not JSON`);
  }
  if (!reply || reply.ok !== true) throw unavailable(`the aggregator refused ${pattern}: ${reply?.error ?? 'no reason given'}`);
  return reply.response ?? null;
}

/** `replayStatus` and `consumerStatus` (admins): the aggregator's own view, passed through. */
@Resolver()
export class OpsResolver {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Query('replayStatus')
  async replayStatus(@Context() ctx: ApiContext) {
    requireAdmin(await ctx.viewer(), 'replayStatus');
    return opsRequest(this.nc, this.config.opsPrefix, 'replay.status');
  }

  @Query('consumerStatus')
  async consumerStatus(@Context() ctx: ApiContext) {
    requireAdmin(await ctx.viewer(), 'consumerStatus');
    return opsRequest(this.nc, this.config.opsPrefix, 'consumer.status');
  }
}
