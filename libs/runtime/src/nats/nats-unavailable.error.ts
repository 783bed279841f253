/** NATS could not be reached at start (later outages are retried, never fatal). */
export class NatsUnavailableError extends Error {
  readonly code = 'NATS_UNAVAILABLE';

  constructor(servers: string[], cause: unknown) {
    super(`cannot connect to NATS at ${servers.join(',')} (NATS_URL): ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'NatsUnavailableError';
  }
}
