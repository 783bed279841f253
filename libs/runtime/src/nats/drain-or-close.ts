import type { NatsConnection } from '@nats-io/transport-node';

/**
 * How a connection ended: drained, or not and why (`error` when the drain failed); `forced` when
 * this call closed it (it was still open after the failed or late drain).
 */
export type DrainOutcome = { drained: true } | { drained: false; reason: string; error?: unknown; forced: boolean };

/**
 * Drains the connection, or closes it when the drain fails or outlasts `timeoutMs`. A drain needs
 * the server: with NATS away it rejects (or waits out a dial) and leaves the connection open, and a
 * connection that reconnects forever keeps its dial timers — and so the process — alive.
 */
export async function drainOrClose(nc: NatsConnection, timeoutMs: number): Promise<DrainOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const drained = nc.drain().then(
    (): DrainOutcome => ({ drained: true }),
    (error: unknown): DrainOutcome => ({ drained: false, reason: String(error), error, forced: false }),
  );
  const late = new Promise<DrainOutcome>((resolve) => (timer = setTimeout(() => resolve({ drained: false, reason: `no drain within ${timeoutMs} ms`, forced: false }), timeoutMs)));
  const outcome = await Promise.race([drained, late]);
  clearTimeout(timer);
  if (outcome.drained || nc.isClosed()) return outcome;
  await nc.close().catch(() => undefined);
  return { ...outcome, forced: true };
}
