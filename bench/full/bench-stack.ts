/**
 * The whole ccpulse stack for one bench run, started the way the e2e tests start it: the built
 * `ccpulse` CLI as child processes on a private nats-server (fresh store, its own port) and a
 * throwaway PostgreSQL database, with a throwaway stream, KV bucket and subject prefix.
 * Everything is removed by `close()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsServerIfInstalled } from '@ccpulse/runtime';
import { freePort } from '../../tests/support/free-port';
import { adminDatabaseUrl, adminQuery } from '../../tests/support/scratch-database';
import { until } from '../../tests/support/until';
import { runOk, stopChild, watch, type Watched } from './child-process';
import { onInterrupt } from './on-interrupt';

/** One consumer line of the aggregator's `consumer.status` ops reply. */
interface ConsumerLine {
  checkpoint: number;
  numPending: number;
  numAckPending: number;
}

export class BenchStack {
  readonly env: NodeJS.ProcessEnv;
  aggregator?: Watched;
  api?: Watched;
  nc?: NatsConnection;
  token = '';
  /** Takes back the cleanup that an interrupted bench (Ctrl-C, SIGTERM) runs for this stack. */
  private forgetOnInterrupt: () => void = () => undefined;
  private constructor(
    private readonly nats: ChildProcess | undefined,
    private readonly natsStore: string | undefined,
    private readonly dbName: string,
    readonly natsUrl: string,
    readonly apiUrl: string,
    env: NodeJS.ProcessEnv,
    private readonly ccpulse: string,
  ) {
    this.env = env;
  }

  /** Starts nats-server (when the binary exists; else uses NATS_URL), creates the database, migrates, adds an admin user. */
  static async create(repo: string, configDir: string): Promise<BenchStack> {
    const suffix = randomBytes(4).toString('hex');
    let natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
    let nats: ChildProcess | undefined;
    let store: string | undefined;
    const natsServer = process.env.NATS_URL ? undefined : natsServerIfInstalled(process.env);
    if (natsServer) {
      store = mkdtempSync(join(tmpdir(), 'ccpulse-bench-nats-'));
      const port = await freePort();
      nats = spawn(natsServer, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
      natsUrl = `nats://127.0.0.1:${port}`;
      await until('the private nats-server', async () => ((await connect({ servers: natsUrl })).close(), true), 20_000, { everyMs: 50 });
    }
    const dbName = `ccpulse_bench_${suffix}`;
    await adminQuery(`create database "${dbName}"`);
    const u = new URL(adminDatabaseUrl());
    u.pathname = `/${dbName}`;
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      DATABASE_URL: u.toString(),
      NATS_URL: natsUrl,
      CCPULSE_SUBJECT_PREFIX: `bench${suffix}`,
      CCPULSE_STREAM: `BENCH_${suffix}`,
      CCPULSE_OFFSETS_BUCKET: `bench-offsets-${suffix}`,
      CCPULSE_USER: 'bench',
      CCPULSE_HOST: 'bench-host',
      CLAUDE_CONFIG_DIR: configDir,
      INGEST_METRICS_PORT: '0',
      AGGREGATOR_METRICS_PORT: '0',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const stack = new BenchStack(nats, store, dbName, natsUrl, `http://127.0.0.1:${port}`, env, join(repo, 'bin', 'ccpulse.js'));
    stack.forgetOnInterrupt = onInterrupt(() => stack.close());
    try {
      await runOk('migrate', process.execPath, [stack.ccpulse, 'migrate'], env);
      const added = await runOk('user add', process.execPath, [stack.ccpulse, 'user', 'add', 'bench', '--admin'], env);
      stack.token = (added.stdout.match(/[A-Za-z0-9_-]{32,}/g) ?? []).at(-1) ?? '';
      if (!stack.token) throw new Error(`ccpulse user add printed no token: ${added.stdout}`);
      stack.nc = await connect({ servers: natsUrl });
    } catch (err) {
      await stack.close();
      throw err;
    }
    return stack;
  }

  /** `node bin/ccpulse.js <args>` as a watched child with this stack's environment. */
  spawn(name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Watched {
    return watch(name, process.execPath, [this.ccpulse, ...args], { ...this.env, ...extraEnv });
  }

  run(name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    return runOk(name, process.execPath, [this.ccpulse, ...args], { ...this.env, ...extraEnv });
  }

  private logs(): string {
    return [this.aggregator, this.api].filter(Boolean).map((w) => `--- ${w!.name}\n${w!.tail().slice(-2500)}`).join('\n');
  }

  /** Starts the aggregator and the API and waits until the API is ready and the aggregator answers ops requests. */
  async startServices(): Promise<void> {
    this.aggregator = this.spawn('aggregator', ['aggregate']);
    this.api = this.spawn('api', ['api']);
    await until('the API /readyz', async () => ((await fetch(`${this.apiUrl}/readyz`, { signal: AbortSignal.timeout(5000) })).ok ? true : undefined), 120_000, { everyMs: 50, explain: () => this.logs() });
    await until('the aggregator ops replies', async () => (await this.consumerStatus()) ?? undefined, 120_000, { everyMs: 50, explain: () => this.logs() });
  }

  private async ops<T>(pattern: string): Promise<T> {
    const msg = await this.nc!.request(`${this.env.CCPULSE_SUBJECT_PREFIX}.ops.${pattern}`, '{}', { timeout: 5000 });
    const reply = JSON.parse(new TextDecoder().decode(msg.data)) as { ok: boolean; response: T; error?: string };
    if (!reply.ok) throw new Error(`${pattern}: ${reply.error}`);
    return reply.response;
  }

  consumerStatus(): Promise<{ streamHead: number; streamMessages: number; consumers: ConsumerLine[] }> {
    return this.ops('consumer.status');
  }

  /** Waits until every consumer's committed checkpoint reached the stream head (≥ `head` when given). */
  async drained(timeoutMs: number, head = 0): Promise<number> {
    return until(
      'the aggregator to reach the stream head',
      async () => {
        const s = await this.consumerStatus();
        const done = s.streamHead >= head && s.consumers.length > 0 && s.consumers.every((c) => c.checkpoint >= s.streamHead && c.numAckPending === 0);
        return done ? s.streamMessages : undefined;
      },
      timeoutMs,
      { everyMs: 50, explain: () => this.logs() },
    );
  }

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${this.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(120_000),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  async close(): Promise<void> {
    this.forgetOnInterrupt();
    await stopChild(this.api);
    await stopChild(this.aggregator);
    if (!this.nats && this.nc) {
      // A shared NATS server (NATS_URL given): remove this run's stream and KV bucket from it.
      const jsm = await jetstreamManager(this.nc).catch(() => undefined);
      for (const name of [this.env.CCPULSE_STREAM!, `KV_${this.env.CCPULSE_OFFSETS_BUCKET}`]) await jsm?.streams.delete(name).catch(() => false);
    }
    await this.nc?.close().catch(() => undefined);
    await adminQuery(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${this.dbName}' and pid <> pg_backend_pid()`).catch(() => undefined);
    await adminQuery(`drop database if exists "${this.dbName}"`).catch(() => undefined);
    if (this.nats) {
      const exited = new Promise((r) => this.nats!.once('exit', r));
      this.nats.kill('SIGTERM');
      await exited;
    }
    if (this.natsStore) rmSync(this.natsStore, { recursive: true, force: true });
  }
}
