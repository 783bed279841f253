import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { IngestConfig } from '../config/ingest-config';

/** NATS could not be reached at start (later outages are retried, never fatal). */
export class NatsUnavailableError extends Error {
  readonly code = 'NATS_UNAVAILABLE';

  constructor(servers: string[], cause: unknown) {
    super(`cannot connect to NATS at ${servers.join(',')} (NATS_URL): ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'NatsUnavailableError';
  }
}

/**
 * Connects with reconnects forever: once running, an outage only pauses publishing (the data
 * stays on disk, checkpoints do not move), it never stops the ingestor.
 */
export async function connectNats(config: IngestConfig): Promise<NatsConnection> {
  const options: NodeConnectionOptions = {
    servers: config.natsServers,
    name: `ccpulse-ingest ${config.user}@${config.host}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: false,
  };
  const auth = config.natsAuth;
  if (auth.kind === 'user') Object.assign(options, { user: auth.user, pass: auth.pass });
  else if (auth.kind === 'token') options.token = auth.token;
  else if (auth.kind === 'creds') options.authenticator = credsAuthenticator(auth.creds);
  try {
    return await connect(options);
  } catch (err) {
    throw new NatsUnavailableError(config.natsServers, err);
  }
}
