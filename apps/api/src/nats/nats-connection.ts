import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, NatsConnection } from '@nats-io/transport-node';
import { ConfigError } from '@ccpulse/runtime';
import type { NatsSettings } from '../config/api-config';

/** Connects with the same settings the other apps read; reconnects forever once connected. */
export async function connectNats(settings: NatsSettings, name = 'ccpulse-api'): Promise<NatsConnection> {
  let authenticator;
  if (settings.credsFile) {
    let creds: Uint8Array;
    try {
      creds = readFileSync(settings.credsFile);
    } catch (cause) {
      throw new ConfigError('NATS_CREDS', `cannot read ${settings.credsFile}: ${(cause as Error).message}`, { cause });
    }
    authenticator = credsAuthenticator(creds);
  }
  return connect({
    servers: settings.url.split(',').map((s) => s.trim()),
    name,
    authenticator,
    user: settings.user,
    pass: settings.pass,
    token: settings.token,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
}
