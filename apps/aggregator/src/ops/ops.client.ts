import type { NatsConnection } from '@nats-io/transport-node';
import type { OpsReply } from './nats-ops.server';

/** The aggregator answered with an error, or nobody answered. */
export class OpsRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OpsRequestError';
  }
}

/** One request to the ops control plane; resolves with the handler's value. */
export async function opsRequest<T>(nc: NatsConnection, prefix: string, pattern: string, body: unknown = {}, timeoutMs = 10_000): Promise<T> {
  let reply: OpsReply<T>;
  try {
    const msg = await nc.request(`${prefix}.${pattern}`, JSON.stringify(body), { timeout: timeoutMs });
    reply = JSON.parse(new TextDecoder().decode(msg.data)) as OpsReply<T>;
  } catch (err) {
    const text = String((err as Error)?.message ?? err);
    const why = /no responders|503/i.test(text) ? 'no aggregator is listening' : /timeout/i.test(text) ? 'no aggregator answered in time' : text;
    throw new OpsRequestError('OPS_UNREACHABLE', `${pattern}: ${why} (on ${prefix}.${pattern})`, { cause: err });
  }
  if (!reply.ok) throw new OpsRequestError(reply.code ?? 'OPS_FAILED', `${pattern}: ${reply.error}`);
  return reply.response;
}
