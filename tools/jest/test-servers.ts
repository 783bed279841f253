/**
 * The test suite's fallback servers: when `DATABASE_URL` / `NATS_URL` are unset and nothing
 * answers on 127.0.0.1:5432 / 4222, the integration and e2e tiers run against the same embedded
 * PostgreSQL and managed nats-server as `ccpulse start --embedded` (tools/start/embedded), and so
 * does the bench (bench/full/bench-servers.ts), so `npm test` needs no services on the machine. Where the servers answer (CI, a developer's
 * compose stack), nothing is started. They run on free ports with their data in a temporary
 * directory that is removed again, and their URLs reach the test workers through the
 * environment (jest starts its workers after the global setup).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planEmbedded, startEmbeddedServices, type EmbeddedServices } from '../start/embedded/embedded-services';
import { answers } from '../start/embedded/tcp-port';

type Env = Record<string, string | undefined>;

export interface TestServers {
  /** DATABASE_URL / NATS_URL of what was started (empty when the machine's servers answer). */
  env: Record<string, string>;
  dataDir: string | undefined;
  servers: EmbeddedServices['servers'];
  /** Stops them (NATS first, then PostgreSQL) and removes their data. */
  stop(): Promise<void>;
}

export interface TestServersOptions {
  /** Whether something answers on a local port (replaced in the test of this module). */
  probe?: (host: string, port: number) => Promise<boolean>;
  say?: (line: string) => void;
  /** PostgreSQL only: the caller runs its own nats-server (the benches, to count its CPU). */
  postgresOnly?: boolean;
}

const sayOnStderr = (line: string): void => void process.stderr.write(`jest: ${line}\n`);

/** Starts what is missing and writes its URLs into `env`. */
export async function startTestServers(env: Env, options: TestServersOptions = {}): Promise<TestServers> {
  const say = options.say ?? sayOnStderr;
  const found = await planEmbedded('auto', env, options.probe ?? answers);
  const plan = options.postgresOnly ? { ...found, nats: false } : found;
  if (!plan.postgres && !plan.nats) return { env: {}, dataDir: undefined, servers: [], stop: async () => undefined };
  // Run as root, PostgreSQL runs as `postgres`, which must be able to reach the directory.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-test-servers-'));
  fs.chmodSync(dataDir, 0o711);
  say(`${[plan.postgres && 'PostgreSQL', plan.nats && 'NATS'].filter(Boolean).join(' and ')} not answering and not configured: starting embedded ones`);
  let services: EmbeddedServices;
  try {
    services = await startEmbeddedServices(plan, { mode: 'auto', freePorts: true, env: { ...env, CCPULSE_DATA_DIR: dataDir }, say });
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  Object.assign(env, services.env);
  return {
    env: services.env,
    dataDir,
    servers: services.servers,
    stop: async () => {
      await services.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The running set, between jest's global setup and teardown (both run in jest's main process). */
const RUNNING = Symbol.for('ccpulse.testServers');
type Holder = { [RUNNING]?: TestServers };

export async function setupTestServers(env: Env = process.env, options: TestServersOptions = {}): Promise<TestServers> {
  const servers = await startTestServers(env, options);
  (globalThis as Holder)[RUNNING] = servers;
  return servers;
}

export async function teardownTestServers(): Promise<void> {
  const servers = (globalThis as Holder)[RUNNING];
  delete (globalThis as Holder)[RUNNING];
  await servers?.stop();
}
