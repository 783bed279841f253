/**
 * What `ccpulse start` reads from its command line and environment, resolved once and up front.
 * A wrong value stops the command before any child starts, naming the setting.
 */
import { ConfigError } from '@ccpulse/runtime';
import { APP_NAMES, type AppName } from './shutdown.plan';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_API_PORT = 4000;
export const DEFAULT_GRACE_MS = 15_000;

/** Everything the supervisor needs to run the group. */
export interface StartConfig {
  /** Apps to run, in start order. */
  apps: AppName[];
  /** Run `ccpulse migrate` first (default yes). */
  migrate: boolean;
  /** Environment given to every child. */
  childEnv: Record<string, string>;
  apiPort: number;
  /** How long each shutdown stage waits before SIGKILL. */
  graceMs: number;
  /** Printed once, before anything starts. */
  warnings: string[];
  /** `force` with --embedded: run PostgreSQL and nats-server on free ports; `auto`: only the missing ones. */
  embedded: 'auto' | 'force';
}

export const START_USAGE = `usage: ccpulse start [--embedded] [--without APP[,APP]] [--no-migrate] [--grace-ms N]

Runs 'ccpulse migrate', then aggregator, api and ingestor as one supervised group. When
DATABASE_URL / NATS_URL are unset and nothing answers on 127.0.0.1:5432 / 4222, it first starts
an embedded PostgreSQL / a nats-server of its own (data in CCPULSE_DATA_DIR, default
$XDG_DATA_HOME/ccpulse or ~/.local/share/ccpulse) and stops them last.

  --embedded      always run its own PostgreSQL and nats-server, on free ports

  --without APP   do not run this app (aggregator, api, ingestor); repeatable
  --no-migrate    skip the migration step
  --grace-ms N    per-app shutdown grace before SIGKILL (default ${DEFAULT_GRACE_MS}; env CCPULSE_START_GRACE_MS)

Environment: NATS_URL (default ${DEFAULT_NATS_URL}), DATABASE_URL (default ${DEFAULT_DATABASE_URL}),
PORT (api, default ${DEFAULT_API_PORT}), CCPULSE_AUTH (default 'disabled' for local use), and
everything the apps read (see docs/running.md).`;

function parsePositiveInt(setting: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(setting, `expected a positive integer, got '${raw}'`);
  const n = Number(raw);
  if (n <= 0) throw new ConfigError(setting, `expected a positive integer, got '${raw}'`);
  return n;
}

function parsePort(setting: string, raw: string): number {
  const n = parsePositiveInt(setting, raw);
  if (n > 65535) throw new ConfigError(setting, `a TCP port is at most 65535, got '${raw}'`);
  return n;
}

function parseApps(raw: string): AppName[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!(APP_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError('--without', `unknown app '${name}' (expected one of ${APP_NAMES.join(', ')})`);
    }
  }
  return names as AppName[];
}

/** Result of reading argv: either a config, or a request for help. */
export type StartArgs = { help: true } | { help: false; config: StartConfig };

/**
 * Read argv and env. Defaults that make a laptop work out of the box are filled in explicitly,
 * so every child sees the same values the supervisor printed.
 */
export function resolveStartConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): StartArgs {
  const without: AppName[] = [];
  let migrate = true;
  let embedded: StartConfig['embedded'] = 'auto';
  let graceRaw = env.CCPULSE_START_GRACE_MS;
  let graceSetting = 'CCPULSE_START_GRACE_MS';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--no-migrate') migrate = false;
    else if (arg === '--embedded') embedded = 'force';
    else if (arg === '--without' || arg === '--grace-ms') {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError(arg, 'needs a value');
      if (arg === '--without') without.push(...parseApps(value));
      else [graceRaw, graceSetting] = [value, '--grace-ms'];
    } else if (arg.startsWith('--without=')) without.push(...parseApps(arg.slice('--without='.length)));
    else if (arg.startsWith('--grace-ms=')) [graceRaw, graceSetting] = [arg.slice('--grace-ms='.length), '--grace-ms'];
    else throw new ConfigError(arg, 'unknown option (see ccpulse start --help)');
  }
  const apps = APP_NAMES.filter((a) => !without.includes(a));
  if (apps.length === 0) throw new ConfigError('--without', 'leaves nothing to run');

  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const warnings: string[] = [];
  childEnv.NATS_URL = nonEmpty(env.NATS_URL) ?? DEFAULT_NATS_URL;
  childEnv.DATABASE_URL = nonEmpty(env.DATABASE_URL) ?? DEFAULT_DATABASE_URL;
  const apiPort = env.PORT?.trim() ? parsePort('PORT', env.PORT) : DEFAULT_API_PORT;
  childEnv.PORT = String(apiPort);
  const auth = nonEmpty(env.CCPULSE_AUTH)?.trim().toLowerCase();
  if (auth !== undefined && !AUTH_MODES.includes(auth)) {
    // The api would refuse it too, but only after migrations ran and the others started.
    throw new ConfigError('CCPULSE_AUTH', `expected 'token' or 'disabled', got ${JSON.stringify(env.CCPULSE_AUTH)}`);
  }
  if (auth === undefined) {
    childEnv.CCPULSE_AUTH = 'disabled';
    if (apps.includes('api')) {
      warnings.push(
        'CCPULSE_AUTH is not set: the api runs with authentication DISABLED so the local dashboard needs no token. ' +
          'It listens on 127.0.0.1 only, so only this machine can reach port ' + apiPort + ', and everyone on it acts as the admin; ' +
          'set CCPULSE_AUTH=token (tokens from `ccpulse user add NAME`) for a shared machine or server.',
      );
    }
  }
  const graceMs = graceRaw?.trim() ? parsePositiveInt(graceSetting, graceRaw) : DEFAULT_GRACE_MS;
  return { help: false, config: { apps, migrate, childEnv, apiPort, graceMs, warnings, embedded } };
}

/** The spellings of `CCPULSE_AUTH` the api accepts (apps/api/src/config/api-config.ts). */
const AUTH_MODES: readonly string[] = ['token', 'disabled'];

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}

/** The URLs printed once the API answers /readyz. */
export function announceUrls(apiPort: number, apps: readonly AppName[], env: Readonly<Record<string, string | undefined>>): string[] {
  const base = `http://localhost:${apiPort}`;
  const lines = [`dashboard  ${base}/`, `graphql    ${base}/graphql`, `metrics    ${base}/metrics (api)`];
  const metrics = (app: string, raw: string | undefined, fallback: number): string =>
    // Port 0 means "any free port": only the app's own log knows which one it got.
    raw?.trim() === '0' ? `           (${app}: an ephemeral port, see its log)` : `           http://localhost:${raw?.trim() || fallback}/metrics (${app})`;
  if (apps.includes('aggregator')) lines.push(metrics('aggregator', env.AGGREGATOR_METRICS_PORT, 9101));
  if (apps.includes('ingestor')) lines.push(metrics('ingestor', env.INGEST_METRICS_PORT, 9102));
  return lines;
}
