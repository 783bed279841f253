import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { NatsAuth } from '../config/aggregator.config';

/** Options for a long-lived connection: reconnect forever, the consume loop re-attaches itself. */
export function natsOptions(servers: string, auth: NatsAuth, name: string, opts: { once?: boolean } = {}): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: servers.split(',').map((s) => s.trim()),
    name,
    // A one-shot command fails fast; the daemon waits for NATS and reconnects forever.
    ...(opts.once ? { maxReconnectAttempts: 0 } : { maxReconnectAttempts: -1, reconnectTimeWait: 1000, waitOnFirstConnect: true }),
  };
  if (auth.kind === 'user') Object.assign(options, { user: auth.user, pass: auth.pass });
  if (auth.kind === 'token') options.token = auth.token;
  if (auth.kind === 'creds') {
    const file = auth.credsFile;
    // Read on every (re)connect so a rotated creds file is picked up without a restart.
    options.authenticator = credsAuthenticator(() => readFileSync(file));
  }
  return options;
}

export function connectNats(servers: string, auth: NatsAuth, name: string, opts: { once?: boolean } = {}): Promise<NatsConnection> {
  return connect(natsOptions(servers, auth, name, opts));
}
