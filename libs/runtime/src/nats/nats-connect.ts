import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { ConfigError } from '../config/config.error';
import { NatsUnavailableError } from './nats-unavailable.error';

/** Who we are to NATS (`NATS_USER`/`NATS_PASSWORD`, `NATS_TOKEN`, `NATS_CREDS`); unset fields are not sent. */
export interface NatsCredentials {
  user?: string;
  pass?: string;
  token?: string;
  /**
   * A `.creds` file: its bytes (read while the config was checked), or its path, read either once
   * when connecting (an unreadable file is a {@link ConfigError} naming `NATS_CREDS`) or on every
   * (re)connect, so a rotated file is picked up without a restart.
   */
  creds?: Uint8Array | { file: string; read: 'once' | 'every-connect' };
}

/**
 * `once`: a one-shot command fails fast, no reconnects. `forever`: a long-lived process reconnects
 * every `waitMs` without end; `waitOnFirstConnect` also waits for a NATS that is not up yet.
 */
export type NatsRetry = { kind: 'once' } | { kind: 'forever'; waitMs: number; waitOnFirstConnect: boolean };

/** Everything {@link connectNats} needs; each app states its own retry and failure policy. */
export interface NatsConnectOptions {
  servers: string[];
  /** Connection name shown by the NATS server. */
  name: string;
  credentials: NatsCredentials;
  retry: NatsRetry;
  /** A failed first connect: NATS's own error (`raw`) or a {@link NatsUnavailableError} naming `NATS_URL`. */
  firstFailure: 'raw' | 'unavailable';
}

/** `NATS_URL` is a comma-separated server list. */
export function natsServers(url: string): string[] {
  return url.split(',').map((s) => s.trim());
}

/** Connects to NATS: the one place that turns credentials and a retry policy into client options. */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  const { credentials: auth, retry } = options;
  const client: NodeConnectionOptions = {
    servers: options.servers,
    name: options.name,
    ...(retry.kind === 'once'
      ? { maxReconnectAttempts: 0 }
      : { maxReconnectAttempts: -1, reconnectTimeWait: retry.waitMs, waitOnFirstConnect: retry.waitOnFirstConnect }),
  };
  if (auth.user !== undefined) client.user = auth.user;
  if (auth.pass !== undefined) client.pass = auth.pass;
  if (auth.token !== undefined) client.token = auth.token;
  if (auth.creds) client.authenticator = credsAuthenticatorOf(auth.creds);
  if (options.firstFailure === 'raw') return connect(client);
  try {
    return await connect(client);
  } catch (err) {
    throw new NatsUnavailableError(options.servers, err);
  }
}

function credsAuthenticatorOf(creds: NonNullable<NatsCredentials['creds']>): NodeConnectionOptions['authenticator'] {
  if (creds instanceof Uint8Array) return credsAuthenticator(creds);
  const { file } = creds;
  if (creds.read === 'every-connect') return credsAuthenticator(() => readFileSync(file));
  try {
    return credsAuthenticator(readFileSync(file));
  } catch (cause) {
    throw new ConfigError('NATS_CREDS', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}
