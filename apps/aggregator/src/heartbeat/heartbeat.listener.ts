import { isSubjectToken, type Heartbeat } from '@ccpulse/domain';
import { recordHeartbeat, type Database } from '@ccpulse/db';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import type { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { syncNoticeFor } from '../notify/updated-notices';

/** A heartbeat payload, or undefined when it is not one (counted, ignored). */
export function decodeHeartbeat(data: Uint8Array): Heartbeat | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  const h = raw as Partial<Heartbeat>;
  if (!h || h.v !== 1 || typeof h.user !== 'string' || !isSubjectToken(h.user)) return undefined;
  if (typeof h.host !== 'string' || typeof h.at !== 'string' || Number.isNaN(Date.parse(h.at))) return undefined;
  return {
    v: 1,
    user: h.user,
    host: h.host,
    version: typeof h.version === 'string' ? h.version : '',
    filesTracked: Number.isSafeInteger(h.filesTracked) ? (h.filesTracked as number) : 0,
    lagBytes: Number.isSafeInteger(h.lagBytes) ? (h.lagBytes as number) : 0,
    at: h.at,
  };
}

/**
 * Records ingestor heartbeats (`<prefix>.heartbeat.*`, core NATS) so `users.last_sync_at` moves
 * even when nobody is typing, and tells the API (a sync-only notice on the user's `updated`
 * subject) so open dashboards show it. Served through a queue group: one aggregator records each beat.
 */
export function listenHeartbeats(
  nc: NatsConnection,
  db: Kysely<Database>,
  prefix: string,
  metrics: AggregatorMetrics,
  onError: (err: unknown) => void,
): Subscription {
  const sub = nc.subscribe(`${prefix}.heartbeat.*`, { queue: 'ccpulse-aggregator-heartbeats' });
  void (async () => {
    for await (const msg of sub) {
      const hb = decodeHeartbeat(msg.data);
      if (!hb) {
        metrics.heartbeats.inc({ outcome: 'invalid' });
        continue;
      }
      try {
        const moved = await recordHeartbeat(db, hb);
        metrics.heartbeats.inc({ outcome: 'recorded' });
        if (moved) {
          const { subject, notice } = syncNoticeFor(prefix, hb.user, Date.now());
          nc.publish(subject, JSON.stringify(notice));
        }
      } catch (err) {
        metrics.heartbeats.inc({ outcome: 'failed' });
        onError(err);
      }
    }
  })();
  return sub;
}
