import { DEFAULT_SUBJECT_PREFIX, ENTRIES_STREAM, LOOPBACK_HOST, PROCESSOR_VERSION, isSubjectToken } from '@ccpulse/domain';
import type { WebhookPolicy } from '../alerts/post-webhook';
import { parseWebhookAllow, WEBHOOK_ALLOW_SETTING } from '../alerts/webhook-allow';
import { ConfigError, type NatsCredentials } from '@ccpulse/runtime';

/** How the aggregator authenticates to NATS; at most one kind may be configured. */
export type NatsAuth =
  | { kind: 'none' }
  | { kind: 'user'; user: string; pass: string }
  | { kind: 'token'; token: string }
  | { kind: 'creds'; credsFile: string };

/** Everything `ccpulse aggregate` reads from its environment, validated once at start. */
export interface AggregatorConfig {
  natsUrl: string;
  natsAuth: NatsAuth;
  databaseUrl: string;
  /** A batch closes after this many messages… */
  batchSize: number;
  /** …or this long after its first message, whichever comes first… */
  batchMs: number;
  /**
   * …or once no message arrived for this long (0: none by the next event-loop turn): the stream
   * is quiet, and waiting out `batchMs` would only delay a live update.
   */
  batchIdleMs: number;
  /** `0` binds an ephemeral port (logged). */
  metricsPort: number;
  /** Address of /metrics, /healthz, /readyz: loopback unless AGGREGATOR_METRICS_HOST says otherwise. */
  metricsHost: string;
  stream: string;
  /** First token of every subject (`<prefix>.entries.>`, `<prefix>.updated.…`, `<prefix>.heartbeat.*`). */
  subjectPrefix: string;
  /** Request/reply subjects of the ops control plane: `<opsPrefix>.replay.start`, … */
  opsPrefix: string;
  /**
   * The processor version this process builds. Normally `PROCESSOR_VERSION` from the domain;
   * `CCPULSE_PROCESSOR_VERSION_OVERRIDE` exists for tests of the replay path only.
   */
  processorVersion: number;
  /** Deliveries before a message that keeps failing is terminated and recorded as rejected. */
  maxDeliver: number;
  ackWaitMs: number;
  /** `auto` runs pending migrations before consuming; `check` refuses to start if any is pending. */
  migrate: 'auto' | 'check';
  /**
   * A rebuild (version bump or `ccpulse replay`) first loads the stream up to its head in one
   * bulk pass (`on`, the default), or folds it batch by batch like the live projection (`off`).
   */
  bulkRebuild: boolean;
  /**
   * AGGREGATOR_COLD_BULK_MB: a projection missing while the stream holds this many bytes, or
   * this far behind the stream, is built by the bulk load and swapped live, instead of folded
   * batch by batch in place.
   */
  coldBulkBytes: number;
  /** Where budget webhooks may go, and how long/large an exchange may be. */
  webhook: WebhookPolicy;
  /** Attempts per budget alert webhook before it is given up (counted in /metrics). */
  webhookAttempts: number;
  /** First retry delay of a failed webhook; doubles each attempt. */
  webhookRetryMs: number;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** A listen address: loopback unless the operator names one (a Prometheus scraping from elsewhere). */
function listenHost(env: Env, name: string): string {
  const host = env[name]?.trim();
  if (!host) return LOOPBACK_HOST;
  if (/\s/.test(host)) throw new ConfigError(name, `must be an address without spaces, got '${host}'`);
  return host;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const raw = env[name]?.trim() || fallback;
  for (const one of raw.split(',')) {
    let parsed: URL;
    try {
      parsed = new URL(one.trim());
    } catch {
      throw new ConfigError(name, `not a URL: '${one}'`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got '${parsed.protocol}'`);
    }
  }
  return raw;
}

function webhookAllow(env: Env): WebhookPolicy['allow'] {
  try {
    return parseWebhookAllow(env[WEBHOOK_ALLOW_SETTING]);
  } catch (err) {
    throw new ConfigError(WEBHOOK_ALLOW_SETTING, (err as Error).message);
  }
}

function subjectPrefix(env: Env): string {
  const raw = env.CCPULSE_SUBJECT_PREFIX?.trim() || DEFAULT_SUBJECT_PREFIX;
  if (!raw.split('.').every(isSubjectToken)) {
    throw new ConfigError('CCPULSE_SUBJECT_PREFIX', `tokens must match [A-Za-z0-9_-]+, got '${raw}'`);
  }
  return raw;
}

/** What the aggregator sends NATS; a creds file is re-read on every (re)connect so a rotated file is picked up without a restart. */
export function natsCredentials(auth: NatsAuth): NatsCredentials {
  if (auth.kind === 'user') return { user: auth.user, pass: auth.pass };
  if (auth.kind === 'token') return { token: auth.token };
  if (auth.kind === 'creds') return { creds: { file: auth.credsFile, read: 'every-connect' } };
  return {};
}

function natsAuth(env: Env): NatsAuth {
  const user = env.NATS_USER?.trim();
  const pass = env.NATS_PASSWORD;
  const token = env.NATS_TOKEN?.trim();
  const creds = env.NATS_CREDS?.trim();
  const kinds = [user || pass ? 'NATS_USER' : '', token ? 'NATS_TOKEN' : '', creds ? 'NATS_CREDS' : ''].filter(Boolean);
  if (kinds.length > 1) throw new ConfigError(kinds[1], `only one of ${kinds.join(', ')} may be set`);
  if (user || pass) {
    if (!user) throw new ConfigError('NATS_USER', 'required when NATS_PASSWORD is set');
    if (pass === undefined) throw new ConfigError('NATS_PASSWORD', 'required when NATS_USER is set');
    return { kind: 'user', user, pass };
  }
  if (token) return { kind: 'token', token };
  if (creds) return { kind: 'creds', credsFile: creds };
  return { kind: 'none' };
}

/** Reads and validates the environment; throws `ConfigError` naming the first bad setting. */
export function loadAggregatorConfig(env: Env = process.env): AggregatorConfig {
  const prefix = subjectPrefix(env);
  const stream = env.CCPULSE_STREAM?.trim() || ENTRIES_STREAM;
  if (!/^[A-Za-z0-9_-]+$/.test(stream)) {
    throw new ConfigError('CCPULSE_STREAM', `a stream name must match [A-Za-z0-9_-]+, got '${stream}'`);
  }
  const opsPrefix = env.CCPULSE_OPS_PREFIX?.trim() || `${prefix}.ops`;
  if (!opsPrefix.split('.').every(isSubjectToken)) {
    throw new ConfigError('CCPULSE_OPS_PREFIX', `tokens must match [A-Za-z0-9_-]+, got '${opsPrefix}'`);
  }
  const migrate = env.AGGREGATOR_MIGRATE?.trim() || 'auto';
  if (migrate !== 'auto' && migrate !== 'check') {
    throw new ConfigError('AGGREGATOR_MIGRATE', `expected auto or check, got '${migrate}'`);
  }
  const bulk = env.AGGREGATOR_BULK_REBUILD?.trim() || 'on';
  if (bulk !== 'on' && bulk !== 'off') {
    throw new ConfigError('AGGREGATOR_BULK_REBUILD', `expected on or off, got '${bulk}'`);
  }
  return {
    natsUrl: url(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
    natsAuth: natsAuth(env),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:']),
    batchSize: integer(env, 'AGGREGATOR_BATCH_SIZE', 1000, 1, 10_000),
    batchMs: integer(env, 'AGGREGATOR_BATCH_MS', 200, 1, 60_000),
    batchIdleMs: integer(env, 'AGGREGATOR_BATCH_IDLE_MS', 0, 0, 60_000),
    metricsPort: integer(env, 'AGGREGATOR_METRICS_PORT', 9101, 0, 65_535),
    metricsHost: listenHost(env, 'AGGREGATOR_METRICS_HOST'),
    stream,
    subjectPrefix: prefix,
    opsPrefix,
    processorVersion: integer(env, 'CCPULSE_PROCESSOR_VERSION_OVERRIDE', PROCESSOR_VERSION, 1, 1_000_000),
    maxDeliver: integer(env, 'AGGREGATOR_MAX_DELIVER', 10, 2, 1000),
    ackWaitMs: integer(env, 'AGGREGATOR_ACK_WAIT_MS', 30_000, 1000, 3_600_000),
    migrate,
    bulkRebuild: bulk === 'on',
    coldBulkBytes: integer(env, 'AGGREGATOR_COLD_BULK_MB', 16, 0, 1_000_000) * 1024 * 1024,
    webhook: {
      allow: webhookAllow(env),
      timeoutMs: integer(env, 'CCPULSE_WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
      maxResponseBytes: 64 * 1024,
    },
    webhookAttempts: integer(env, 'CCPULSE_WEBHOOK_ATTEMPTS', 6, 1, 100),
    webhookRetryMs: integer(env, 'CCPULSE_WEBHOOK_RETRY_MS', 1000, 10, 3_600_000),
  };
}
