import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ApiMetrics } from '../metrics/api-metrics';
import { parseNotice } from './notice-batch';
import type { UpdatesHub } from './updates.hub';

/** The core-NATS wildcard the aggregator posts commit notices on, for a subject prefix. */
export function updatedWildcard(prefix: string): string {
  return `${prefix}.updated.>`;
}

/**
 * Feeds `<prefix>.updated.>` into the hub. Core NATS (not JetStream): a notice only says "read
 * again", so one missed while disconnected costs a stale screen until the next commit, never a
 * wrong number.
 */
export function listenForUpdates(nc: NatsConnection, prefix: string, hub: UpdatesHub, metrics: ApiMetrics): Subscription {
  return nc.subscribe(updatedWildcard(prefix), {
    callback: (err, msg) => {
      if (err) return;
      const parsed = parseNotice(msg.data);
      if (!parsed.ok) {
        metrics.notices.inc({ outcome: 'malformed' });
        return;
      }
      metrics.notices.inc({ outcome: 'ok' });
      hub.dispatch(parsed.notice);
    },
  });
}
