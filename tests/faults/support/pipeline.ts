/**
 * The real apps as child processes (`ccpulse ingest`, `ccpulse aggregate`, run from source) on
 * throwaway stream / bucket / database names, plus the probes the fault scenarios wait on.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { lineIds } from '../../../apps/ingestor/src/test-support/ingest-harness';
import { runChild, type ChildApp } from './child-app';

export const SHARED_NATS = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Stream, offsets bucket and subject prefix of one run. */
export interface RunNames {
  stream: string;
  bucket: string;
  prefix: string;
}

export function runNames(tag: string): RunNames {
  const id = randomBytes(5).toString('hex');
  return { stream: `T_FAULT_${tag}_${id}`, bucket: `t-fault-${tag}-${id}`, prefix: `tf${tag}${id}` };
}

export const USER = 'alice';
export const HOST = 'faulthost';

export function ingestEnv(natsUrl: string, n: RunNames, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NATS_URL: natsUrl,
    CCPULSE_USER: USER,
    CCPULSE_HOST: HOST,
    CCPULSE_STREAM: n.stream,
    CCPULSE_OFFSETS_BUCKET: n.bucket,
    CCPULSE_SUBJECT_PREFIX: n.prefix,
    INGEST_METRICS_PORT: '0',
    INGEST_POLL_MS: '100',
    INGEST_HEARTBEAT_MS: '60000',
    // Short runs (a few lines each, as a following ingestor publishes them): the scenarios' kills
    // and outages then land among many messages, not inside the one run a small file makes.
    INGEST_MESSAGE_BYTES: '4096',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export function aggregateEnv(natsUrl: string, databaseUrl: string, n: RunNames, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NATS_URL: natsUrl,
    DATABASE_URL: databaseUrl,
    CCPULSE_STREAM: n.stream,
    CCPULSE_SUBJECT_PREFIX: n.prefix,
    AGGREGATOR_METRICS_PORT: '0',
    AGGREGATOR_BATCH_SIZE: '500',
    AGGREGATOR_BATCH_MS: '50',
    AGGREGATOR_ACK_WAIT_MS: '5000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export function startIngest(root: string, env: Record<string, string>, once: boolean): ChildApp {
  return runChild('ingest', [...(once ? ['--once'] : []), '--dir', root], env);
}

export function startAggregate(env: Record<string, string>): ChildApp {
  return runChild('aggregate', [], env);
}

/** `ccpulse ingest --once` to the end; throws with its output unless it exits 0. */
export async function ingestOnce(root: string, env: Record<string, string>, ms = 600_000): Promise<void> {
  const p = startIngest(root, env, true);
  const t = setTimeout(() => void p.stop(1000), ms);
  const code = await p.exited;
  clearTimeout(t);
  if (code !== 0) throw new Error(`ccpulse ingest --once exited ${code}:\n${p.output().slice(-4000)}`);
}

/** A child's exit code; throws with the tail of its output (and the others') if it runs past `ms`. */
export async function exitedWithin(child: ChildApp, ms: number, others: ChildApp[] = []): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const code = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  if (code !== 'late') return code;
  const tails = [child, ...others].map((c) => `--- pid ${c.pid}\n${c.output().slice(-4000)}`).join('\n');
  throw new Error(`still running after ${ms} ms:\n${tails}`);
}

/** Last sequence and message count of a stream (0s when it does not exist yet). */
export async function streamState(natsUrl: string, stream: string): Promise<{ lastSeq: number; messages: number }> {
  const nc = await connect({ servers: natsUrl, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream).catch(() => undefined);
    return { lastSeq: info?.state.last_seq ?? 0, messages: info?.state.messages ?? 0 };
  } finally {
    await nc.close();
  }
}

/** The uuid (else `<file>:<offset>`) of every line the stream's runs carry, in order ([] before it exists). */
export async function streamLineIds(natsUrl: string, stream: string): Promise<string[]> {
  const nc = await connect({ servers: natsUrl, reconnect: false });
  try {
    return await lineIds(nc, stream).catch(() => []);
  } finally {
    await nc.close();
  }
}

export async function deleteNatsNames(natsUrl: string, n: RunNames): Promise<void> {
  const nc = await connect({ servers: natsUrl, reconnect: false }).catch(() => undefined);
  if (!nc) return;
  const jsm = await jetstreamManager(nc);
  for (const name of [n.stream, `KV_${n.bucket}`]) await jsm.streams.delete(name).catch(() => false);
  await nc.close();
}

/** Reads the live projection's applied stream sequence over its own connection. */
export interface CheckpointProbe {
  /** The live schema and its checkpoint; seq 0 before the first batch, while rebuilding, or when the database is unreachable. */
  read(): Promise<{ schema: string; seq: number }>;
  close(): Promise<void>;
}

/**
 * A one-connection pool that survives its connections being terminated under it (errors on idle
 * and checked-out clients are swallowed; the next read reconnects), so the outage scenarios can
 * keep polling while they cut the database off.
 */
export function checkpointProbe(databaseUrl: string): CheckpointProbe {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 2000 });
  pool.on('error', () => undefined);
  pool.on('connect', (c) => c.on('error', () => undefined));
  return {
    async read() {
      try {
        const r = await pool.query<{ schema: string | null; seq: string | null; building: string | null }>(
          `select s.live_schema as schema, s.building_schema as building,
             (select max(c.last_seq) from public.projection_checkpoints c where c.schema_name = s.live_schema) as seq
           from public.projection_state s where s.name = 'usage'`,
        );
        const row = r.rows[0];
        if (!row?.schema || row.building) return { schema: row?.schema ?? '', seq: 0 };
        return { schema: row.schema, seq: Number(row.seq ?? 0) };
      } catch {
        return { schema: '', seq: 0 };
      }
    },
    close: () => pool.end().catch(() => undefined),
  };
}

export function rand(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}
