import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import {
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_RUN_BYTES,
  DEFAULT_SUBJECT_PREFIX,
  ENTRIES_STREAM,
  LOOPBACK_HOST,
  OFFSETS_BUCKET,
  isSubjectToken,
  type ContentMode,
} from '@ccpulse/domain';
import { discoverRoots } from '@ccpulse/report';
import type { Redaction } from '../publish/redact';
import { durationSetting, integerSetting, oneOf, sizeSetting } from './config-values';
import { ConfigError, type NatsConnectOptions, type NatsCredentials } from '@ccpulse/runtime';

/** How to reach NATS: user/password, a token, or a `.creds` file. */
export type NatsAuth =
  | { kind: 'none' }
  | { kind: 'user'; user: string; pass: string }
  | { kind: 'token'; token: string }
  | { kind: 'creds'; file: string; creds: Uint8Array };

/** Everything `ccpulse ingest` needs, validated once at start. */
export interface IngestConfig {
  natsServers: string[];
  natsAuth: NatsAuth;
  user: string;
  host: string;
  roots: string[];
  content: ContentMode;
  /** 0 = an ephemeral port (logged once bound). */
  metricsPort: number;
  /** Address of /metrics, /healthz, /readyz: loopback unless INGEST_METRICS_HOST says otherwise. */
  metricsHost: string;
  /** INGEST_REDACT=paths,branches with INGEST_REDACT_SALT; undefined = publish them as they are. */
  redact?: Redaction;
  stream: string;
  offsetsBucket: string;
  subjectPrefix: string;
  /** STREAM_MAX_BYTES when set (-1 = unlimited); undefined = the stream keeps the cap it has. */
  streamMaxBytes?: number;
  /** Fastest poll of a file that grew recently; idle files back off towards `sweepMs`. */
  pollMs: number;
  /** Period of the whole-tree sweep that catches what the events missed. */
  sweepMs: number;
  /** How file-system events are watched; `off` leaves everything to the polls and the sweep. */
  watch: WatchMode;
  /** A final line without `\n` that is a complete JSON value is published after this much quiet. */
  partialLineMs: number;
  publishWindow: number;
  /** INGEST_MESSAGE_BYTES: the cap of one message's body (a run of lines); NATS' max_payload caps it too. */
  messageBytes: number;
  heartbeatMs: number;
  maxLineBytes: number;
  /** Backfill, wait for every PubAck, exit. */
  once: boolean;
}

/** `auto`: one recursive watch per root where the platform has it (macOS, Windows), else one per directory. */
export type WatchMode = 'auto' | 'recursive' | 'directories' | 'off';

/** Parsed command line of `ccpulse ingest`. */
export interface IngestArgs {
  once: boolean;
  help: boolean;
  dir?: string;
  configFile?: string;
}

export const INGEST_USAGE = `usage: ccpulse ingest [--once] [--dir DIR] [--config FILE]
       ccpulse ingest install|uninstall|status   (a user service; see ccpulse ingest install --help)

Tails ~/.claude/projects/**/*.jsonl and publishes every line to NATS JetStream.
  --once          backfill everything, wait for all acknowledgements, exit
  --dir DIR       transcript directory (a Claude config dir or its projects/ dir)
  --config FILE   YAML file of settings (same names as the environment; env wins)
Settings: NATS_URL NATS_USER NATS_PASSWORD NATS_TOKEN NATS_CREDS CCPULSE_USER CCPULSE_HOST
  CLAUDE_CONFIG_DIR INGEST_CONTENT=slim|full INGEST_METRICS_PORT INGEST_METRICS_HOST INGEST_REDACT INGEST_REDACT_SALT
  INGEST_POLL_MS INGEST_SWEEP_MS INGEST_WATCH=auto|recursive|directories|off INGEST_PARTIAL_LINE_MS
  INGEST_PUBLISH_WINDOW INGEST_MESSAGE_BYTES INGEST_HEARTBEAT_MS INGEST_MAX_LINE_BYTES
  STREAM_MAX_BYTES CCPULSE_STREAM CCPULSE_OFFSETS_BUCKET CCPULSE_SUBJECT_PREFIX CCPULSE_CONFIG`;

export function parseIngestArgs(argv: string[]): IngestArgs {
  const args: IngestArgs = { once: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ConfigError(flag, 'needs a value');
      return v;
    };
    if (flag === '--once') args.once = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--dir') args.dir = value();
    else if (flag === '--config') args.configFile = value();
    else throw new ConfigError(flag, 'unknown option (see ccpulse ingest --help)');
  }
  return args;
}

/** Settings from the YAML file (if any) overlaid by the environment. */
function settings(env: NodeJS.ProcessEnv, file: string | undefined): Record<string, string | undefined> {
  if (!file) return env;
  let doc: unknown;
  try {
    // Loaded only with --config: the YAML parser was a tenth of the ingestor's start-up module load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse: parseYaml } = require('yaml') as typeof import('yaml');
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${file}: ${(err as Error).message}`);
  }
  if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
    throw new ConfigError('--config', `${file} must be a mapping of SETTING: value`);
  }
  const fromFile: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc ?? {})) fromFile[k] = Array.isArray(v) ? v.join(',') : String(v);
  return { ...fromFile, ...env };
}

/**
 * How the ingestor connects: reconnects forever, so once running an outage only pauses publishing
 * (the data stays on disk, checkpoints do not move), it never stops the ingestor.
 */
export function ingestNatsOptions(config: IngestConfig): NatsConnectOptions {
  return {
    servers: config.natsServers,
    name: `ccpulse-ingest ${config.user}@${config.host}`,
    credentials: natsCredentials(config.natsAuth),
    retry: { kind: 'forever', waitMs: 500, waitOnFirstConnect: false },
    firstFailure: 'unavailable',
  };
}

/** The creds file was read once, while the config was checked. */
function natsCredentials(auth: NatsAuth): NatsCredentials {
  if (auth.kind === 'user') return { user: auth.user, pass: auth.pass };
  if (auth.kind === 'token') return { token: auth.token };
  if (auth.kind === 'creds') return { creds: auth.creds };
  return {};
}

function natsAuth(s: Record<string, string | undefined>): NatsAuth {
  if (s.NATS_CREDS) {
    try {
      return { kind: 'creds', file: s.NATS_CREDS, creds: readFileSync(s.NATS_CREDS) };
    } catch (err) {
      throw new ConfigError('NATS_CREDS', `cannot read ${s.NATS_CREDS}: ${(err as Error).message}`);
    }
  }
  if (s.NATS_TOKEN) return { kind: 'token', token: s.NATS_TOKEN };
  if (s.NATS_USER || s.NATS_PASSWORD) {
    if (!s.NATS_USER || !s.NATS_PASSWORD) throw new ConfigError(s.NATS_USER ? 'NATS_PASSWORD' : 'NATS_USER', 'NATS_USER and NATS_PASSWORD go together');
    return { kind: 'user', user: s.NATS_USER, pass: s.NATS_PASSWORD };
  }
  return { kind: 'none' };
}

function natsServers(raw: string | undefined): string[] {
  const servers = (raw?.trim() || 'nats://127.0.0.1:4222').split(',').map((u) => u.trim()).filter(Boolean);
  for (const server of servers) {
    if (!/^(nats|tls|ws|wss):\/\/[^\s/]+/.test(server) && !/^[^\s:/]+(:\d+)?$/.test(server)) {
      throw new ConfigError('NATS_URL', `not a NATS server URL: '${server}'`);
    }
  }
  return servers;
}

/** The roots as `ccpulse report` finds them, plus the configured ones that do not exist yet (the poll picks them up). */
function tailRoots(env: NodeJS.ProcessEnv, dir: string | undefined): string[] {
  const { roots, missing } = discoverRoots(env, dir);
  return [...roots, ...missing];
}

function token(name: string, value: string): string {
  if (!isSubjectToken(value)) throw new ConfigError(name, `must match [A-Za-z0-9_-]+, got '${value}'`);
  return value;
}

/** `INGEST_REDACT=paths|branches|paths,branches` (empty or `none`: off); needs a team salt. */
function redaction(raw: string | undefined, salt: string | undefined): Redaction | undefined {
  const parts = (raw ?? '').split(',').map((p) => p.trim().toLowerCase()).filter((p) => p && p !== 'none');
  if (parts.length === 0) return undefined;
  for (const p of parts) if (p !== 'paths' && p !== 'branches') throw new ConfigError('INGEST_REDACT', `expected paths, branches or both (comma-separated), got '${raw}'`);
  if (!salt || salt.trim().length < 16) {
    throw new ConfigError('INGEST_REDACT_SALT', 'INGEST_REDACT needs a team-wide secret of at least 16 characters, the same on every machine (e.g. openssl rand -hex 16)');
  }
  return { paths: parts.includes('paths'), branches: parts.includes('branches'), salt: salt.trim() };
}

/** Metrics listen on loopback unless the operator names an address (a scraping Prometheus elsewhere). */
function metricsHost(raw: string | undefined): string {
  const host = raw?.trim();
  if (!host) return LOOPBACK_HOST;
  if (/\s/.test(host)) throw new ConfigError('INGEST_METRICS_HOST', `must be an address without spaces, got '${host}'`);
  return host;
}

/** INGEST_MESSAGE_BYTES: a size of at least 4 KiB (a run of lines has to fit a line or two). */
function messageBytes(raw: string | undefined): number {
  const bytes = sizeSetting('INGEST_MESSAGE_BYTES', raw, DEFAULT_RUN_BYTES);
  if (bytes < 4096) throw new ConfigError('INGEST_MESSAGE_BYTES', `must be a size of at least 4KB, got '${raw}'`);
  return bytes;
}

/** Builds and validates the config; throws ConfigError naming the first bad setting. */
export function loadIngestConfig(env: NodeJS.ProcessEnv, args: IngestArgs): IngestConfig {
  const s = settings(env, args.configFile ?? env.CCPULSE_CONFIG);
  const prefix = s.CCPULSE_SUBJECT_PREFIX?.trim() || DEFAULT_SUBJECT_PREFIX;
  if (!prefix.split('.').every(isSubjectToken)) {
    throw new ConfigError('CCPULSE_SUBJECT_PREFIX', `must be dot-separated [A-Za-z0-9_-]+ tokens, got '${prefix}'`);
  }
  const bucket = s.CCPULSE_OFFSETS_BUCKET?.trim() || OFFSETS_BUCKET;
  if (!/^[A-Za-z0-9_-]+$/.test(bucket)) throw new ConfigError('CCPULSE_OFFSETS_BUCKET', `must match [A-Za-z0-9_-]+, got '${bucket}'`);
  const stream = s.CCPULSE_STREAM?.trim() || ENTRIES_STREAM;
  if (!/^[A-Za-z0-9_-]+$/.test(stream)) throw new ConfigError('CCPULSE_STREAM', `must match [A-Za-z0-9_-]+, got '${stream}'`);
  // The window is one value for every app (libs/domain ENTRIES_DUPLICATE_WINDOW_MS); a setting that
  // would be silently ignored is refused instead.
  if (s.STREAM_DUPLICATE_WINDOW?.trim()) throw new ConfigError('STREAM_DUPLICATE_WINDOW', 'is no longer a setting: every app uses the one duplicate window of 1h');
  const host = s.CCPULSE_HOST?.trim() || hostname();
  if (!host || /[\s]/.test(host)) throw new ConfigError('CCPULSE_HOST', `must be a non-empty name without spaces, got '${host}'`);
  const config: IngestConfig = {
    natsServers: natsServers(s.NATS_URL),
    natsAuth: natsAuth(s),
    user: token('CCPULSE_USER', s.CCPULSE_USER?.trim() || userInfo().username),
    host,
    roots: tailRoots({ ...env, CLAUDE_CONFIG_DIR: s.CLAUDE_CONFIG_DIR }, args.dir),
    content: oneOf('INGEST_CONTENT', s.INGEST_CONTENT, ['slim', 'full'] as const, 'slim'),
    metricsPort: integerSetting('INGEST_METRICS_PORT', s.INGEST_METRICS_PORT, 9102, 0),
    metricsHost: metricsHost(s.INGEST_METRICS_HOST),
    redact: redaction(s.INGEST_REDACT, s.INGEST_REDACT_SALT),
    stream,
    offsetsBucket: bucket,
    subjectPrefix: prefix,
    streamMaxBytes: s.STREAM_MAX_BYTES?.trim() ? sizeSetting('STREAM_MAX_BYTES', s.STREAM_MAX_BYTES, -1) : undefined,
    pollMs: integerSetting('INGEST_POLL_MS', s.INGEST_POLL_MS, 1000, 10),
    sweepMs: durationSetting('INGEST_SWEEP_MS', s.INGEST_SWEEP_MS, 300_000),
    watch: oneOf('INGEST_WATCH', s.INGEST_WATCH, ['auto', 'recursive', 'directories', 'off'] as const, 'auto'),
    partialLineMs: durationSetting('INGEST_PARTIAL_LINE_MS', s.INGEST_PARTIAL_LINE_MS, 2000),
    publishWindow: integerSetting('INGEST_PUBLISH_WINDOW', s.INGEST_PUBLISH_WINDOW, 1024, 1),
    messageBytes: messageBytes(s.INGEST_MESSAGE_BYTES),
    heartbeatMs: durationSetting('INGEST_HEARTBEAT_MS', s.INGEST_HEARTBEAT_MS, 30_000),
    maxLineBytes: integerSetting('INGEST_MAX_LINE_BYTES', s.INGEST_MAX_LINE_BYTES, DEFAULT_MAX_LINE_BYTES, 1024),
    once: args.once,
  };
  if (config.sweepMs < config.pollMs) throw new ConfigError('INGEST_SWEEP_MS', `must not be shorter than INGEST_POLL_MS (${config.pollMs} ms), got ${config.sweepMs} ms`);
  return config;
}
