import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createAppLogger, isConfigError, isLogSettingError, shutdownSignal } from '@ccpulse/runtime';
import { startApiServer } from './api.server';
import { loadApiConfig } from './config/api-config';

const HELP = `usage: ccpulse api

Serves GraphQL at /graphql (queries, graphql-ws and SSE subscriptions), /metrics, /healthz, /readyz.

environment:
  PORT                            listen port (default 4000; 0 = any free port, logged)
  DATABASE_URL, NATS_URL          servers (NATS_CREDS | NATS_USER+NATS_PASSWORD | NATS_TOKEN)
  CCPULSE_AUTH=disabled           single-user local use as CCPULSE_USER (or the OS user), an admin
  CCPULSE_CONFIG                  YAML file (home.show_status_frame)
  CCPULSE_HOME_SHOW_STATUS_FRAME  overrides the file; 0,false,no,off hide the home frame
  CCPULSE_SUBJECT_PREFIX          NATS subject prefix (default ccpulse)
  NODE_ENV=production             disables GraphiQL
  API_MAX_DEPTH (10), API_MAX_PAGE_SIZE (200), DB_STATEMENT_TIMEOUT_MS (5000), DB_POOL_SIZE (10),
  API_SUBSCRIBER_QUEUE (16), API_TOKEN_CACHE_MS (5000), API_USAGE_CACHE_MS (30000; 0 = off),
  CCPULSE_WEB_DIR                 dashboard build to serve at / (default apps/api/web/dist when built)`;

/** Where a token could appear in a logged object: never written to the log. */
const LOG_REDACT = ['req.headers.authorization', 'headers.authorization', 'connectionParams.authorization', 'connectionParams.Authorization', '*.authorization'];

/** `ccpulse api`: runs until SIGINT/SIGTERM; a bad setting exits 2 naming it. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let log: ReturnType<typeof createAppLogger>;
  try {
    log = createAppLogger({ fd: 1, pino: { base: { app: 'ccpulse-api' }, redact: { paths: LOG_REDACT, censor: '[redacted]' } } });
  } catch (err) {
    if (!isLogSettingError(err)) throw err;
    console.error(`ccpulse api: ${err.message}`);
    return 2;
  }
  let config;
  try {
    config = loadApiConfig(process.env, { readFile: (p) => readFileSync(p, 'utf8'), osUser: () => userInfo().username });
  } catch (err) {
    if (isConfigError(err)) {
      log.error({ setting: err.setting }, err.message);
      console.error(`ccpulse api: ${err.message}`);
      return 2;
    }
    throw err;
  }
  if (config.auth.kind === 'disabled') {
    log.warn({ user: config.auth.user }, 'CCPULSE_AUTH=disabled: every request acts as this admin; use only on a single-user machine');
  }
  let api;
  try {
    api = await startApiServer(config, { log });
  } catch (err) {
    if (isConfigError(err)) {
      console.error(`ccpulse api: ${err.message}`);
      return 2;
    }
    log.error({ err }, 'cannot start');
    console.error(`ccpulse api: cannot start: ${(err as Error).message}`);
    return 1;
  }
  void shutdownSignal().then(() => api.close());
  await api.closed;
  return 0;
}
