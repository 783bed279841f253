import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, isConfigError, natsServers } from '@ccpulse/runtime';
import { loadAggregatorConfig, natsCredentials, type AggregatorConfig } from '../config/aggregator.config';

/** Shared shell of `ccpulse replay` and `ccpulse status`: config, a short-lived NATS connection, exit codes. */
export async function withOpsConnection(
  command: string,
  body: (nc: NatsConnection, config: AggregatorConfig) => Promise<number>,
): Promise<number> {
  let config: AggregatorConfig;
  try {
    config = loadAggregatorConfig(process.env);
  } catch (err) {
    if (!isConfigError(err)) throw err;
    process.stderr.write(`ccpulse ${command}: invalid setting ${err.message}\n`);
    return 2;
  }
  let nc: NatsConnection;
  try {
    // A one-shot command fails fast.
    nc = await connectNats({
      servers: natsServers(config.natsUrl),
      name: `ccpulse-${command}`,
      credentials: natsCredentials(config.natsAuth),
      retry: { kind: 'once' },
      firstFailure: 'raw',
    });
  } catch (err) {
    process.stderr.write(`ccpulse ${command}: cannot reach NATS at ${config.natsUrl}: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    return await body(nc, config);
  } catch (err) {
    process.stderr.write(`ccpulse ${command}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await nc.close().catch(() => undefined);
  }
}
