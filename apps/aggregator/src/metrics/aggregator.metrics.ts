import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the aggregator exposes on `/metrics`, on a registry of its own (so two
 * aggregators in one test process never share counters).
 */
export class AggregatorMetrics {
  readonly registry = new Registry();

  readonly entriesApplied = new Counter({
    name: 'ccpulse_aggregator_entries_applied_total',
    help: 'Stream messages applied to a projection (first application only).',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly batches = new Counter({
    name: 'ccpulse_aggregator_batches_total',
    help: 'Batches committed.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly batchDuration = new Histogram({
    name: 'ccpulse_aggregator_batch_duration_seconds',
    help: 'Time from taking a batch to acking it, fold and commit included.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly commitDuration = new Histogram({
    name: 'ccpulse_aggregator_commit_duration_seconds',
    help: 'Duration of the one Postgres transaction that writes a batch.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'ccpulse_aggregator_batch_messages',
    help: 'Messages per batch.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [this.registry],
  });
  readonly pending = new Gauge({
    name: 'ccpulse_aggregator_consumer_pending_messages',
    help: 'Messages in the stream not yet delivered to the consumer, plus those delivered and not yet acked.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly lag = new Gauge({
    name: 'ccpulse_aggregator_consumer_lag_messages',
    help: 'Stream last sequence minus the projection checkpoint.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly checkpoint = new Gauge({
    name: 'ccpulse_aggregator_checkpoint_sequence',
    help: 'Last stream sequence committed to the projection.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly redeliveries = new Counter({
    name: 'ccpulse_aggregator_redeliveries_total',
    help: 'Deliveries the server marked as redelivered.',
    registers: [this.registry],
  });
  readonly skipped = new Counter({
    name: 'ccpulse_aggregator_skipped_total',
    help: 'Messages acked without applying: at or below the checkpoint, or repeated in a batch.',
    registers: [this.registry],
  });
  readonly gapsFilled = new Counter({
    name: 'ccpulse_aggregator_gap_messages_total',
    help: 'Sequences missing from a batch, read back from the stream (found) or found gone.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'ccpulse_aggregator_rejected_total',
    help: 'Messages that could not be parsed or applied, recorded in rejected_entries and acked.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly dbRetries = new Counter({
    name: 'ccpulse_aggregator_db_retries_total',
    help: 'Batch transactions retried after a Postgres failure (nothing acked meanwhile).',
    registers: [this.registry],
  });
  readonly unpricedTokens = new Counter({
    name: 'ccpulse_unpriced_tokens_total',
    help: 'Tokens of models without a price (counted at cost 0).',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly heartbeats = new Counter({
    name: 'ccpulse_aggregator_heartbeats_total',
    help: 'Ingestor heartbeats recorded.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly notices = new Counter({
    name: 'ccpulse_aggregator_updated_notices_total',
    help: 'Post-commit change notices published on core NATS.',
    registers: [this.registry],
  });
  readonly replayApplied = new Gauge({
    name: 'ccpulse_aggregator_replay_applied_messages',
    help: 'Stream sequence a projection rebuild has reached.',
    labelNames: ['schema'] as const,
    registers: [this.registry],
  });
  readonly replayHead = new Gauge({
    name: 'ccpulse_aggregator_replay_head_sequence',
    help: 'Stream head a projection rebuild is catching up to.',
    labelNames: ['schema'] as const,
    registers: [this.registry],
  });
  readonly replayEta = new Gauge({
    name: 'ccpulse_aggregator_replay_eta_seconds',
    help: 'Estimated seconds until a projection rebuild reaches the stream head.',
    labelNames: ['schema'] as const,
    registers: [this.registry],
  });
  readonly replayRate = new Gauge({
    name: 'ccpulse_aggregator_replay_rate_messages_per_second',
    help: 'Messages per second a projection rebuild applies.',
    labelNames: ['schema'] as const,
    registers: [this.registry],
  });
  readonly swaps = new Counter({
    name: 'ccpulse_aggregator_projection_swaps_total',
    help: 'Rebuilt projections made live.',
    registers: [this.registry],
  });

  readonly bulkLoads = new Counter({
    name: 'ccpulse_aggregator_bulk_loads_total',
    help: 'Bulk loads of rebuilds by outcome: done, retried, or handed to the batch fold (fallback).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'ccpulse_aggregator_' });
  }
}
