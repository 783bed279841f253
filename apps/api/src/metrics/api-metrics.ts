import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The API's Prometheus metrics, one registry per app instance (tests start several). */
export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'type' | 'outcome'>;
  requestDuration: Histogram<'operation' | 'type'>;
  activeSubscriptions: Gauge<'field'>;
  pushLatency: Histogram<'field'>;
  coalesced: Counter<'field'>;
  notices: Counter<'outcome'>;
}

export function createApiMetrics(options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'ccpulse_api_requests_total',
      help: 'GraphQL operations by operation name, type and outcome (ok | error).',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'ccpulse_api_request_duration_seconds',
      help: 'GraphQL execution time by operation name and type.',
      labelNames: ['operation', 'type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    activeSubscriptions: new Gauge({
      name: 'ccpulse_api_active_subscriptions',
      help: 'Open GraphQL subscriptions by field.',
      labelNames: ['field'],
      registers: [registry],
    }),
    pushLatency: new Histogram({
      name: 'ccpulse_api_push_latency_seconds',
      help: 'From the aggregator commit (notice committedAt) to the event handed to the client transport.',
      labelNames: ['field'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    coalesced: new Counter({
      name: 'ccpulse_api_coalesced_events_total',
      help: 'Events merged into a pending one because a subscriber was slower than the commits.',
      labelNames: ['field'],
      registers: [registry],
    }),
    notices: new Counter({
      name: 'ccpulse_api_update_notices_total',
      help: 'Update notices received from the aggregator (ok | malformed).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
