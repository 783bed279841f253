import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { checkpointKey } from '../nats/offsets.store';
import { deleteNames, eventually, line, streamCount, tempDir, testConfig, throwawayNames, NATS_URL } from '../test-support/ingest-harness';

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../../../..');
const built = existsSync(join(REPO, 'dist/apps/ingestor/src/main.js'));
if (!built) console.warn('ingest-lifecycle.int.spec: dist/ is missing (run npm run build); CLI lifecycle tests skipped');
const maybe = built ? describe : describe.skip;

function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [join(REPO, 'bin/ccpulse.js'), 'ingest', ...args], {
    cwd: REPO,
    env: { ...process.env, NATS_URL, CCPULSE_USER: 'alice', CCPULSE_HOST: 'lifehost', INGEST_METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: any[] = [];
  let text = '';
  child.stderr.on('data', (d: Buffer) => {
    text += d.toString();
    for (const l of d.toString().split('\n')) {
      try {
        logs.push(JSON.parse(l));
      } catch {
        // a partial line or plain text
      }
    }
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, logs, exited, text: () => text };
}

maybe('ccpulse ingest lifecycle', () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await nc.close();
  });

  it('given a running ingestor, serves /metrics, /healthz, /readyz, sends heartbeats, and on SIGTERM stores checkpoints and exits 0', async () => {
    const tmp = tempDir();
    const names = throwawayNames();
    const file = join(tmp.dir, 'projects', 'p', 's1.jsonl');
    mkdirSync(join(tmp.dir, 'projects', 'p'), { recursive: true });
    writeFileSync(file, line('s1', 'a'));
    const beats: any[] = [];
    const sub = nc.subscribe(`${names.CCPULSE_SUBJECT_PREFIX}.heartbeat.alice`, { callback: (_e, m) => void beats.push(m.json()) });
    const run = start(['--dir', tmp.dir], { ...names, INGEST_HEARTBEAT_MS: '500', INGEST_POLL_MS: '200' });
    try {
      expect(await eventually(() => run.logs.some((l) => l.msg === 'backfill acknowledged; following'), 30_000)).toBe(true);
      const port = run.logs.find((l) => l.port)?.port;
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { nats: { ok: true }, stream: { ok: true } } });
      appendFileSync(file, line('s1', 'b'));
      expect(await eventually(async () => (await streamCount(nc, names.CCPULSE_STREAM)) === 2, 2000)).toBe(true);
      const metrics = await eventually(async () => /ccpulse_ingestor_entries_published_total 2\b/.test(await (await fetch(`${base}/metrics`)).text()), 2000);
      expect(metrics).toBe(true);
      const body = await (await fetch(`${base}/metrics`)).text();
      for (const name of ['ccpulse_ingestor_lines_read_total', 'ccpulse_ingestor_read_bytes_total', 'ccpulse_ingestor_publish_latency_seconds_bucket', 'ccpulse_ingestor_lag_bytes', 'ccpulse_ingestor_files_tracked', 'ccpulse_ingestor_publish_inflight_messages', 'ccpulse_ingestor_nats_reconnects_total']) {
        expect(body).toContain(name);
      }
      expect(await eventually(() => beats.length >= 2, 3000)).toBe(true);
      expect(beats.at(-1)).toMatchObject({ v: 1, user: 'alice', host: 'lifehost', filesTracked: 1 });

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const kv = await new Kvm(nc).open(names.CCPULSE_OFFSETS_BUCKET);
      const checkpoint = (await kv.get(checkpointKey('lifehost', file)))?.json<{ offset: number }>();
      expect(checkpoint?.offset).toBe(Buffer.byteLength(line('s1', 'a') + line('s1', 'b')));
    } finally {
      sub.unsubscribe();
      run.child.kill('SIGKILL');
      await deleteNames(nc, testConfig(tmp.dir, names));
      tmp.remove();
    }
  });

  it('given an existing stream with other subjects, refuses to start and names the problem', async () => {
    const tmp = tempDir();
    const names = throwawayNames();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: names.CCPULSE_STREAM, subjects: [`${names.CCPULSE_SUBJECT_PREFIX}.other.>`] });
    try {
      const run = start(['--once', '--dir', tmp.dir], names);
      expect(await run.exited).toBe(1);
      expect(run.text()).toContain('STREAM_CONFIG_CONFLICT');
      expect(run.text()).toContain('CCPULSE_SUBJECT_PREFIX');
    } finally {
      await deleteNames(nc, testConfig(tmp.dir, names));
      tmp.remove();
    }
  });

  it('given a bad setting, exits 2 naming it', async () => {
    const run = start(['--once'], { CCPULSE_USER: 'not valid!' });
    expect(await run.exited).toBe(2);
    expect(run.text()).toContain('CCPULSE_USER');
  });
});
