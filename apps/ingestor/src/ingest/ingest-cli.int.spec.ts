import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { findNatsServer } from '@ccpulse/runtime';
import { Kvm } from '@nats-io/kv';
import { checkpointKey } from '../nats/offsets.store';
import { deleteNames, eventually, line, lineIds, readStream, streamBytes, streamCount, tempDir, testConfig, throwawayNames, NATS_URL } from '../test-support/ingest-harness';
import { writeSyntheticTranscripts } from '../test-support/synthetic-transcripts';

jest.setTimeout(240_000);

const REPO = resolve(__dirname, '../../../..');
const CLI = join(REPO, 'bin', 'ccpulse.js');
/** The nats-server `ccpulse start` would run, for the tests that stop and restart their own. */
const natsServer = (): string => findNatsServer(process.env);

type CliIngestor = ChildProcess & { logs: string[]; exited: Promise<number | null> };

/** `ingest --once` over `dir` as a child process. */
const spawnIngest = (env: Record<string, string>, dir: string): CliIngestor => spawnCli(['--once', '--dir', dir], env);

/** A following `ingest` over `dir` (polling every 200 ms) as a child process. */
const spawnFollow = (env: Record<string, string>, dir: string): CliIngestor => spawnCli(['--dir', dir], { INGEST_POLL_MS: '200', ...env });

/** The child ingestor: its stderr (pino JSON) is kept line by line for assertions. */
function spawnCli(args: string[], env: Record<string, string>): CliIngestor {
  const child = spawn(process.execPath, [CLI, 'ingest', ...args], {
    cwd: REPO,
    env: { ...process.env, CCPULSE_USER: 'alice', CCPULSE_HOST: 'clihost', INGEST_METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  }) as CliIngestor;
  child.logs = [];
  let rest = '';
  child.stderr!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop()!;
    child.logs.push(...parts);
  });
  // 'close' waits for the log to drain: the closing totals are its last line.
  child.exited = new Promise((res) => child.on('close', (code) => res(code)));
  return child;
}

/**
 * Runs `body` with a temporary transcript root, throwaway stream names and a connection to the
 * shared nats-server, then deletes the names, closes the connection and removes the folder.
 */
async function withThrowawayStream(body: (t: { tmp: { dir: string }; names: ReturnType<typeof throwawayNames>; nc: NatsConnection }) => Promise<void>): Promise<void> {
  const tmp = tempDir();
  const names = throwawayNames();
  const nc = await connect({ servers: NATS_URL });
  try {
    await body({ tmp, names, nc });
  } finally {
    await deleteNames(nc, testConfig(tmp.dir, names));
    await nc.close();
    tmp.remove();
  }
}

function closingTotals(logs: string[]): Record<string, number> {
  const line = logs.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).find((l) => l.msg === 'once: every line acknowledged');
  if (!line) throw new Error(`no closing line in:\n${logs.slice(-10).join('\n')}`);
  return line;
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** Bytes of every transcript under `dir`. */
function transcriptBytes(dir: string, files: number): number {
  let total = 0;
  for (let f = 0; f < files; f++) total += statSync(join(dir, 'projects', `p${f % 4}`, `s${f}.jsonl`)).size;
  return total;
}

describe('ccpulse ingest (built CLI)', () => {
  beforeAll(() => {
    // tsc emits even when another part of the tree has type errors; the CLI must exist afterwards.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'ignore' });
    if (!existsSync(join(REPO, 'dist/apps/ingestor/src/main.js'))) throw new Error('npm run build did not produce dist/apps/ingestor/src/main.js');
  });

  it('given no transcripts at all, --once ends cleanly and says where it looked and how to point elsewhere', () =>
    withThrowawayStream(async ({ tmp, names }) => {
      const child = spawnIngest({ ...names, NATS_URL }, tmp.dir);
      expect(await child.exited).toBe(0);
      const warning = child.logs.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).find((l) => l.level === 40 && /no transcripts found/.test(l.msg));
      expect(warning?.searched).toEqual([tmp.dir]);
      expect(warning?.msg).toMatch(/set CLAUDE_CONFIG_DIR to the directory that holds projects\/.*or pass --dir PATH/);
    }));

  it('given kill -9 during the backfill, a restart loses no line', () =>
    withThrowawayStream(async ({ tmp, names, nc }) => {
      // Small runs, so the kill lands among many messages.
      const env = { ...names, NATS_URL, INGEST_PUBLISH_WINDOW: '256', INGEST_MESSAGE_BYTES: '16384' };
      const expected = writeSyntheticTranscripts(tmp.dir, 24, 2500);
      // Killed once the stream holds an eighth of the transcripts' bytes: well inside the backfill.
      const eighth = transcriptBytes(tmp.dir, 24) / 8;
      const first = spawnIngest(env, tmp.dir);
      expect(await eventually(async () => (await streamBytes(nc, names.CCPULSE_STREAM)) > eighth, 120_000, 50)).toBe(true);
      first.kill('SIGKILL');
      await first.exited;
      const linesBefore = await lineIds(nc, names.CCPULSE_STREAM);
      const before = linesBefore.length;
      expect(new Set(linesBefore).size).toBeLessThan(expected.length);

      const second = spawnIngest(env, tmp.dir);
      expect(await second.exited).toBe(0);
      const lines = await lineIds(nc, names.CCPULSE_STREAM);
      expect(new Set(lines)).toEqual(new Set(expected));
      const totals = closingTotals(second.logs);
      // Re-sent: the runs in flight and those acknowledged but not yet checkpointed when killed,
      // cut again from their start (longer or shorter), so the stream holds those lines twice.
      console.log(`kill -9 after ${before} of ${expected.length} lines: restart re-sent ${lines.length - expected.length} lines`);
      expect(totals.published + totals.duplicates).toBe(totals.lines);
      expect(lines.length).toBe(before + totals.published);
    }));

  it('given kill -9 between publish and checkpoint, a restart re-cuts a longer run from the same start and loses nothing', () =>
    withThrowawayStream(async ({ tmp, names, nc }) => {
      const dir = join(tmp.dir, 'projects', 'p1');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 's1.jsonl');
      appendFileSync(file, line('s1', 'a') + line('s1', 'b'));
      const first = spawnFollow({ ...names, NATS_URL }, tmp.dir);
      expect(await eventually(async () => (await streamCount(nc, names.CCPULSE_STREAM).catch(() => 0)) === 1, 60_000, 20)).toBe(true);
      first.kill('SIGKILL');
      await first.exited;
      // The kill may land just after the checkpoint was stored: take it away, so the state is
      // exactly "published, acknowledged, not checkpointed", whichever way the race went.
      const kv = await new Kvm(nc).open(names.CCPULSE_OFFSETS_BUCKET);
      await kv.purge(checkpointKey('clihost', file));
      appendFileSync(file, line('s1', 'c'));

      const second = spawnIngest({ ...names, NATS_URL }, tmp.dir);
      expect(await second.exited).toBe(0);
      const [before, after] = (await readStream(nc, names.CCPULSE_STREAM)).map((m) => m.body);
      expect(after.start).toBe(before.start);
      expect(after.end).toBeGreaterThan(before.end);
      expect(await lineIds(nc, names.CCPULSE_STREAM)).toEqual(['a', 'b', 'a', 'b', 'c']);
      expect(closingTotals(second.logs)).toMatchObject({ published: 3, duplicates: 0 });
    }));

  it('given NATS stopped for 10 s mid-backfill, completes with nothing lost once it is back', async () => {
    const tmp = tempDir();
    const store = join(tmp.dir, 'jetstream');
    mkdirSync(store);
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    const startServer = () => spawn(natsServer(), ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
    let server = startServer();
    const nc0 = async () => {
      for (let i = 0; i < 50; i++) {
        try {
          return await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error('own nats-server did not start');
    };
    let nc: NatsConnection | undefined;
    try {
      nc = await nc0();
      const names = throwawayNames();
      // Enough lines that the backfill is still running when the poll below sees a twentieth of
      // them, even when this test process is scheduled late on a loaded machine (a fifth was
      // once all of it: the ingestor had published everything before the server stopped).
      const expected = writeSyntheticTranscripts(tmp.dir, 24, 5000);
      const child = spawnIngest({ ...names, NATS_URL: url, INGEST_MESSAGE_BYTES: '16384' }, tmp.dir);
      const twentieth = transcriptBytes(tmp.dir, 24) / 40;
      expect(await eventually(async () => (await streamBytes(nc!, names.CCPULSE_STREAM)) > twentieth, 120_000, 50)).toBe(true);
      const stopped = new Promise((r) => server.on('exit', r));
      server.kill('SIGTERM');
      await stopped;
      await new Promise((r) => setTimeout(r, 10_000));
      expect(child.exitCode).toBeNull();
      server = startServer();
      expect(await child.exited).toBe(0);
      const lines = await lineIds(nc, names.CCPULSE_STREAM);
      expect(lines.length).toBe(expected.length);
      expect(new Set(lines)).toEqual(new Set(expected));
      const totals = closingTotals(child.logs);
      console.log(`NATS outage: ${totals.reconnects} reconnects, ${totals.retries} publish retries, ${totals.duplicates} duplicate lines dropped by id, ${lines.length} lines`);
      // The outage hit the backfill: the process lived through it and reconnected. Whether it
      // also retried publishes depends on where it was: it may have been waiting on a checkpoint
      // write (retried by the offsets store) with every sent line already acknowledged.
      expect(totals.reconnects).toBeGreaterThan(0);
    } finally {
      await nc?.close();
      server.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      tmp.remove();
    }
  });

  it('given NATS gone and a full window, SIGTERM still exits 0 within a bounded time', async () => {
    const tmp = tempDir();
    const store = join(tmp.dir, 'jetstream');
    mkdirSync(store);
    const port = await freePort();
    const server = spawn(natsServer(), ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
    try {
      const names = throwawayNames();
      writeSyntheticTranscripts(tmp.dir, 1, 10);
      await new Promise((r) => setTimeout(r, 500));
      const child = spawnFollow({ ...names, NATS_URL: `nats://127.0.0.1:${port}`, INGEST_PUBLISH_WINDOW: '64' }, tmp.dir);
      expect(await eventually(() => child.logs.some((l) => l.includes('backfill acknowledged')), 60_000)).toBe(true);
      const gone = new Promise((r) => server.on('exit', r));
      server.kill('SIGTERM');
      await gone;
      writeSyntheticTranscripts(join(tmp.dir, 'more'), 1, 500);
      appendFileSync(join(tmp.dir, 'projects', 'p0', 's0.jsonl'), readFileSync(join(tmp.dir, 'more', 'projects', 'p0', 's0.jsonl')));
      await new Promise((r) => setTimeout(r, 2000));
      const t0 = Date.now();
      child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      console.log(`SIGTERM with NATS away: exited in ${Date.now() - t0} ms`);
      expect(Date.now() - t0).toBeLessThan(15_000);
    } finally {
      server.kill('SIGTERM');
      tmp.remove();
    }
  });
});
