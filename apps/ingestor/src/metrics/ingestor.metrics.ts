import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The ingestor's Prometheus metrics, on a registry of its own (tests run several ingestors). */
export interface IngestorMetrics {
  registry: Registry;
  linesRead: Counter;
  bytesRead: Counter;
  published: Counter;
  duplicates: Counter;
  rejections: Counter<'reason'>;
  publishRetries: Counter;
  publishLatency: Histogram;
  inFlight: Gauge;
  filesTracked: Gauge;
  lagBytes: Gauge;
  fileResets: Counter<'reason'>;
  filesPolled: Gauge;
  sweeps: Counter;
  natsReconnects: Counter;
  checkpointsStored: Counter;
}

export function createIngestorMetrics(options: { defaults?: boolean } = {}): IngestorMetrics {
  const registry = new Registry();
  // The event-loop lag histogram samples at 1 s, not prom-client's 10 ms: a timer firing 100 times
  // a second was most of what an idle ingestor cost.
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'ccpulse_ingestor_', eventLoopMonitoringPrecision: 1000 });
  const registers = [registry];
  return {
    registry,
    linesRead: new Counter({ name: 'ccpulse_ingestor_lines_read_total', help: 'Complete transcript lines read (blank ones included).', registers }),
    bytesRead: new Counter({ name: 'ccpulse_ingestor_read_bytes_total', help: 'Transcript bytes read.', registers }),
    published: new Counter({ name: 'ccpulse_ingestor_entries_published_total', help: 'Lines acknowledged by JetStream as new messages.', registers }),
    duplicates: new Counter({ name: 'ccpulse_ingestor_duplicates_total', help: 'Lines JetStream acknowledged as duplicates (same Nats-Msg-Id inside the window).', registers }),
    rejections: new Counter({ name: 'ccpulse_ingestor_rejections_total', help: 'Lines published as rejections, by reason.', labelNames: ['reason'], registers }),
    publishRetries: new Counter({ name: 'ccpulse_ingestor_publish_retries_total', help: 'Publish attempts that failed and were retried.', registers }),
    publishLatency: new Histogram({
      name: 'ccpulse_ingestor_publish_latency_seconds',
      help: 'Time from publish to PubAck (successful attempt).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    inFlight: new Gauge({ name: 'ccpulse_ingestor_publish_inflight_messages', help: 'Publishes awaiting their PubAck (sampled every 0.5 s while any are in flight).', registers }),
    filesTracked: new Gauge({ name: 'ccpulse_ingestor_files_tracked', help: 'Transcript files being tailed.', registers }),
    lagBytes: new Gauge({ name: 'ccpulse_ingestor_lag_bytes', help: 'Bytes on disk past the acknowledged checkpoints (size - offset, summed).', registers }),
    fileResets: new Counter({ name: 'ccpulse_ingestor_file_resets_total', help: 'Files re-read from 0 (truncated, replaced, rewritten) or forgotten (deleted), by reason.', labelNames: ['reason'], registers }),
    filesPolled: new Gauge({ name: 'ccpulse_ingestor_files_polled', help: 'Recently written files polled behind the events (the rest wait for an event or the sweep).', registers }),
    sweeps: new Counter({ name: 'ccpulse_ingestor_sweeps_total', help: 'Whole-tree sweeps done (they catch changes the events missed).', registers }),
    natsReconnects: new Counter({ name: 'ccpulse_ingestor_nats_reconnects_total', help: 'Reconnections to NATS.', registers }),
    checkpointsStored: new Counter({ name: 'ccpulse_ingestor_checkpoints_stored_total', help: 'Checkpoints written to the offsets bucket.', registers }),
  };
}
