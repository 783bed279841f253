import { parse as parseYaml } from 'yaml';
import { isSubjectToken } from '@ccpulse/domain';
import { ConfigError } from '@ccpulse/runtime';
import { corsOrigins } from './cors-origins';
import { ApiFileConfig, resolveHomeShowStatusFrame } from './home-switch';
import { apiListenHost } from './listen-host';

/** How a caller is identified: bearer tokens, or one local user for single-machine use. */
export type AuthMode = { kind: 'token' } | { kind: 'disabled'; user: string };

/** NATS connection settings, the same variables the other apps read. */
export interface NatsSettings {
  url: string;
  /** Path of a `.creds` file (`NATS_CREDS`). */
  credsFile?: string;
  user?: string;
  pass?: string;
  token?: string;
}

/** Everything the API reads from its environment, validated once at start. */
export interface ApiConfig {
  /** `0` asks the OS for a free port (the bound one is logged). */
  port: number;
  /** Listen address: loopback when auth is disabled (see listen-host.ts). */
  host: string;
  databaseUrl: string;
  nats: NatsSettings;
  auth: AuthMode;
  /** Origins other sites may call the API from (`CCPULSE_CORS_ORIGINS`); empty = CORS closed. */
  corsOrigins: string[];
  /** First token of every subject we listen on (`<prefix>.updated.>`); tests use throwaway ones. */
  subjectPrefix: string;
  /** Request/reply prefix of the aggregator's ops control plane (`<prefix>.ops` by default). */
  opsPrefix: string;
  homeShowStatusFrame: boolean;
  graphiql: boolean;
  limits: ApiLimits;
  /** Folder with the dashboard's static build, served at `/` when present. */
  webDir?: string;
}

/** Guards against expensive or abusive requests. */
export interface ApiLimits {
  /** Deepest field nesting a query may have (graphql-armor max-depth). */
  maxDepth: number;
  /** Most aliases in one operation (graphql-armor max-aliases). */
  maxAliases: number;
  /** Highest graphql-armor cost of one operation, list fields weighted by their page size. */
  maxCost: number;
  /** Most lexical tokens in one document (graphql-armor max-tokens). */
  maxTokens: number;
  /** Operations per token (or per address without one) per minute after the burst; 0 = no limit. */
  ratePerMinute: number;
  /** Operations a token may send at once before the per-minute rate applies. */
  rateBurst: number;
  maxPageSize: number;
  /** Postgres `statement_timeout` for every API connection. */
  statementTimeoutMs: number;
  /** Pending events per subscriber before newer ones are merged into the last (drop-to-latest). */
  subscriberQueue: number;
  /** Max rows a `usage` query may return before it is refused as too broad. */
  maxUsageRows: number;
  /** How long a token → user lookup is cached (a revoked token works at most this long); 0 = off. */
  tokenCacheMs: number;
  /** Failed sign-ins an address may make per minute before it is refused for the rest of it. */
  authFailuresPerMinute: number;
  /** Longest a cached `usage` answer is served without a commit notice dropping it; 0 = no cache. */
  usageCacheMs: number;
}

/** What loading the configuration may touch: injected so the rules stay testable. */
export interface ConfigIo {
  readFile(path: string): string;
  osUser(): string;
}

type Env = Record<string, string | undefined>;

function intSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function urlSetting(env: Env, name: string, fallback: string, protocols: string[]): string {
  const raw = env[name]?.trim() || fallback;
  // NATS accepts a comma-separated server list; each must parse.
  for (const part of raw.split(',')) {
    let url: URL;
    try {
      url = new URL(part.trim());
    } catch (cause) {
      throw new ConfigError(name, `not a URL: ${JSON.stringify(part)}`, { cause });
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(name, `expected ${protocols.join(' or ')} URL, got ${url.protocol}`);
    }
  }
  return raw;
}

function readFileConfig(env: Env, io: ConfigIo): ApiFileConfig | undefined {
  const file = env.CCPULSE_CONFIG?.trim();
  if (!file) return undefined;
  let text: string;
  try {
    text = io.readFile(file);
  } catch (cause) {
    throw new ConfigError('CCPULSE_CONFIG', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (cause) {
    throw new ConfigError('CCPULSE_CONFIG', `${file} is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError('CCPULSE_CONFIG', `${file} must hold a mapping`);
  const home = (doc as Record<string, unknown>).home;
  if (home !== undefined && home !== null && (typeof home !== 'object' || Array.isArray(home))) {
    throw new ConfigError('home (CCPULSE_CONFIG)', 'must be a mapping');
  }
  return doc as ApiFileConfig;
}

function authSetting(env: Env, io: ConfigIo): AuthMode {
  const raw = env.CCPULSE_AUTH?.trim().toLowerCase();
  if (!raw || raw === 'token') return { kind: 'token' };
  // One spelling everywhere: look-alikes such as `enabled` or `off` are refused, not guessed.
  if (raw !== 'disabled') throw new ConfigError('CCPULSE_AUTH', `expected 'token' or 'disabled' (unset means 'token'), got ${JSON.stringify(env.CCPULSE_AUTH)}`);
  const user = env.CCPULSE_USER?.trim() || io.osUser();
  if (!isSubjectToken(user)) {
    throw new ConfigError(env.CCPULSE_USER ? 'CCPULSE_USER' : 'CCPULSE_USER (from the OS user)', `user names are [A-Za-z0-9_-]+, got ${JSON.stringify(user)}`);
  }
  return { kind: 'disabled', user };
}

function prefixSetting(env: Env): string {
  const raw = env.CCPULSE_SUBJECT_PREFIX?.trim() || 'ccpulse';
  if (!raw.split('.').every(isSubjectToken)) {
    throw new ConfigError('CCPULSE_SUBJECT_PREFIX', `dot-separated tokens of [A-Za-z0-9_-], got ${JSON.stringify(raw)}`);
  }
  return raw;
}

/** Reads and checks the API's settings; throws {@link ConfigError} naming the first bad one. */
export function loadApiConfig(env: Env, io: ConfigIo): ApiConfig {
  const file = readFileConfig(env, io);
  const subjectPrefix = prefixSetting(env);
  const opsPrefix = env.CCPULSE_OPS_PREFIX?.trim() || `${subjectPrefix}.ops`;
  if (!opsPrefix.split('.').every(isSubjectToken)) {
    throw new ConfigError('CCPULSE_OPS_PREFIX', `dot-separated tokens of [A-Za-z0-9_-], got ${JSON.stringify(opsPrefix)}`);
  }
  const auth = authSetting(env, io);
  return {
    port: intSetting(env, 'PORT', 4000, 0, 65535),
    host: apiListenHost(env, auth),
    databaseUrl: urlSetting(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:']),
    nats: {
      url: urlSetting(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:', 'ws:', 'wss:']),
      credsFile: env.NATS_CREDS?.trim() || undefined,
      user: env.NATS_USER?.trim() || undefined,
      pass: env.NATS_PASSWORD ?? env.NATS_PASS ?? undefined,
      token: env.NATS_TOKEN?.trim() || undefined,
    },
    auth,
    corsOrigins: corsOrigins(env),
    subjectPrefix,
    opsPrefix,
    homeShowStatusFrame: resolveHomeShowStatusFrame(env.CCPULSE_HOME_SHOW_STATUS_FRAME, file),
    graphiql: env.NODE_ENV !== 'production',
    limits: {
      // Sized against the dashboard's own operations (query-limits.plugin.spec.ts): its deepest is
      // 4 levels, it uses no aliases, its costliest (a 200-session page) costs 13 300.
      maxDepth: intSetting(env, 'API_MAX_DEPTH', 8, 2, 100),
      maxAliases: intSetting(env, 'API_MAX_ALIASES', 15, 0, 10000),
      maxCost: intSetting(env, 'API_MAX_COST', 30000, 100, 100000000),
      maxTokens: intSetting(env, 'API_MAX_TOKENS', 1500, 50, 1000000),
      ratePerMinute: intSetting(env, 'API_RATE_LIMIT_PER_MINUTE', 1200, 0, 10000000),
      rateBurst: intSetting(env, 'API_RATE_LIMIT_BURST', 200, 1, 10000000),
      maxPageSize: intSetting(env, 'API_MAX_PAGE_SIZE', 200, 1, 10000),
      statementTimeoutMs: intSetting(env, 'DB_STATEMENT_TIMEOUT_MS', 5000, 100, 600000),
      subscriberQueue: intSetting(env, 'API_SUBSCRIBER_QUEUE', 16, 1, 10000),
      maxUsageRows: intSetting(env, 'API_MAX_USAGE_ROWS', 50000, 100, 10000000),
      tokenCacheMs: intSetting(env, 'API_TOKEN_CACHE_MS', 5000, 0, 300000),
      usageCacheMs: intSetting(env, 'API_USAGE_CACHE_MS', 30000, 0, 3600000),
      authFailuresPerMinute: intSetting(env, 'API_AUTH_FAILURES_PER_MINUTE', 10, 1, 100000),
    },
    webDir: env.CCPULSE_WEB_DIR?.trim() || undefined,
  };
}
