/**
 * The whole ccpulse stack as real child processes, on the real PostgreSQL and NATS, with
 * throwaway names (database, stream, KV bucket, subject prefix) so runs never collide and leave
 * nothing behind. The env names are exactly those of docker-compose.yml and docs/running.md.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { freePort } from './free-port';
import { adminDatabaseUrl, adminQuery } from './scratch-database';

export const ROOT = path.resolve(__dirname, '../..');
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Compiled entry points the stack needs; the suite skips (visibly) when one is missing. */
export const BUILT = [
  'dist/apps/api/src/main.js',
  'dist/apps/aggregator/src/main.js',
  'dist/apps/ingestor/src/main.js',
  'dist/apps/api/src/auth/user.command.js',
  'dist/libs/db/src/cli/migrate.command.js',
];

export function missingBuild(): string[] {
  return BUILT.filter((f) => !fs.existsSync(path.join(ROOT, f)));
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ccpulse <args>` to completion. */
export function ccpulse(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/ccpulse.js'), ...args], { env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running `ccpulse` app whose recent output is kept for failure messages. */
export class App {
  child: ChildProcess | undefined;
  private log: string[] = [];

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): this {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/ccpulse.js'), ...this.args], { env: this.env, cwd: ROOT });
    const keep = (d: Buffer) => {
      this.log.push(String(d));
      if (this.log.length > 300) this.log.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
    return this;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.log.join('');
  }

  /** SIGKILL: a crash, nothing flushed. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((r) => this.child!.once('exit', r));
    this.child!.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, SIGKILL after `ms`; resolves with the exit code (null when killed by a signal). */
  async stop(ms = 15_000): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => this.child!.once('exit', (code) => r(code)));
    this.child!.kill('SIGTERM');
    const killer = setTimeout(() => this.child?.kill('SIGKILL'), ms);
    const code = await exited;
    clearTimeout(killer);
    return code;
  }
}

/** The token `ccpulse user add` prints (its last long word). */
export function tokenIn(stdout: string): string {
  return (stdout.match(/[A-Za-z0-9_-]{32,}/g) ?? []).at(-1) ?? '';
}

/** The recent output of `apps`, for an {@link until} timeout message. */
export function outputOf(...apps: App[]): () => string {
  return () => apps.map((a) => `--- ${a.name}\n${a.output().slice(-4000)}`).join('\n');
}

export interface Stack {
  env: NodeJS.ProcessEnv;
  /** Transcript root (`CLAUDE_CONFIG_DIR`); its `projects/` holds the transcripts. */
  configDir: string;
  apiUrl: string;
  metricsUrls: { ingestor: string; aggregator: string; api: string };
  ingestor: App;
  aggregator: App;
  api: App;
  /** Stops every app and removes the database, stream, KV bucket and temp files. */
  teardown(): Promise<void>;
}

/**
 * Lays out the throwaway names and a transcript root (`seed` copies projects into it), runs the
 * migrations, and creates the three apps (not started).
 */
export async function createStack(seed: (projectsDir: string) => void): Promise<Stack> {
  const suffix = randomBytes(4).toString('hex');
  const dbName = `ccpulse_e2e_${suffix}`;
  await adminQuery(`create database "${dbName}"`);
  const dbUrl = new URL(adminDatabaseUrl());
  dbUrl.pathname = `/${dbName}`;
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-e2e-'));
  fs.mkdirSync(path.join(configDir, 'projects'));
  seed(path.join(configDir, 'projects'));
  const [apiPort, ingestPort, aggregatePort] = [await freePort(), await freePort(), await freePort()];
  const stream = `E2E_${suffix}`;
  const bucket = `e2e-offsets-${suffix}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: dbUrl.toString(),
    NATS_URL,
    CCPULSE_SUBJECT_PREFIX: `e2e${suffix}`,
    CCPULSE_STREAM: stream,
    CCPULSE_OFFSETS_BUCKET: bucket,
    CCPULSE_USER: 'erin',
    CCPULSE_HOST: 'e2e-host',
    CLAUDE_CONFIG_DIR: configDir,
    INGEST_METRICS_PORT: String(ingestPort),
    INGEST_POLL_MS: '200',
    AGGREGATOR_METRICS_PORT: String(aggregatePort),
    AGGREGATOR_BATCH_MS: '50',
    PORT: String(apiPort),
  };
  const migrated = await ccpulse(['migrate'], env);
  if (migrated.code !== 0) throw new Error(`ccpulse migrate failed (${migrated.code}):\n${migrated.stdout}${migrated.stderr}`);
  const apps = {
    ingestor: new App('ingestor', ['ingest'], env),
    aggregator: new App('aggregator', ['aggregate'], env),
    api: new App('api', ['api'], env),
  };
  return {
    env,
    configDir,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    metricsUrls: {
      ingestor: `http://127.0.0.1:${ingestPort}/metrics`,
      aggregator: `http://127.0.0.1:${aggregatePort}/metrics`,
      api: `http://127.0.0.1:${apiPort}/metrics`,
    },
    ...apps,
    async teardown() {
      await Promise.all(Object.values(apps).map((a) => a.stop()));
      await dropNatsState(stream, bucket);
      await adminQuery(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}' and pid <> pg_backend_pid()`);
      await adminQuery(`drop database if exists "${dbName}"`);
      fs.rmSync(configDir, { recursive: true, force: true });
    },
  };
}

async function dropNatsState(stream: string, bucket: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
    await new Kvm(nc).open(bucket).then((kv) => kv.destroy()).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
