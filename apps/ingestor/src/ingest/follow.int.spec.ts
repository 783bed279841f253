import { appendFileSync, mkdirSync, openSync, closeSync, statSync, utimesSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { deleteNames, eventually, line, lineIds, startIngestor, streamCount, tempDir, testConfig, type RunningIngestor } from '../test-support/ingest-harness';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const counter = async (c: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> }, reason?: string) =>
  (await c.get()).values.filter((v) => reason === undefined || v.labels.reason === reason).reduce((n, v) => n + v.value, 0);

describe('following: unterminated last lines, in-place rewrites, the sweep', () => {
  let runs: RunningIngestor[] = [];
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(() => {
    tmp = tempDir();
  });

  afterEach(async () => {
    for (const r of runs) await r.stop().catch(() => undefined);
    if (runs[0]) {
      const nc = await connect({ servers: runs[0].config.natsServers });
      await deleteNames(nc, runs[0].config);
      await nc.close();
    }
    runs = [];
    tmp.remove();
  });

  const sessionFile = (name = 's1') => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    return join(dir, `${name}.jsonl`);
  };
  const start = async (env: Record<string, string>, once = false, names?: Record<string, string>) => {
    const r = await startIngestor(testConfig(tmp.dir, { ...names, ...env }, once));
    runs.push(r);
    await r.ingestor.backfill();
    if (!once) r.ingestor.follow();
    return r;
  };
  const namesOf = (r: RunningIngestor) => ({ CCPULSE_STREAM: r.config.stream, CCPULSE_OFFSETS_BUCKET: r.config.offsetsBucket, CCPULSE_SUBJECT_PREFIX: r.config.subjectPrefix });
  const ids = (r: RunningIngestor) => lineIds(r.nc, r.config.stream);

  it('given a final line without a newline, publishes it once quiet for INGEST_PARTIAL_LINE_MS; a newline appended later adds nothing', async () => {
    const file = sessionFile();
    writeFileSync(file, line('s1', 'a') + line('s1', 'b').trimEnd());
    const r = await start({ INGEST_PARTIAL_LINE_MS: '2500' });
    expect(await ids(r)).toEqual(['a']);
    expect(await eventually(async () => (await ids(r)).length === 2, 5000)).toBe(true);
    expect(await ids(r)).toEqual(['a', 'b']);

    appendFileSync(file, '\n' + line('s1', 'c'));
    expect(await eventually(async () => (await ids(r)).length === 3, 3000)).toBe(true);
    await sleep(300);
    expect(await ids(r)).toEqual(['a', 'b', 'c']);
    expect(await counter(r.metrics.rejections)).toBe(0);
    expect(await counter(r.metrics.duplicates)).toBe(0);
  });

  it('given a final line that is not yet a whole JSON value, waits for the rest of it', async () => {
    const file = sessionFile();
    writeFileSync(file, line('s1', 'a') + '{"type":"user","uuid":"b"');
    const r = await start({ INGEST_PARTIAL_LINE_MS: '300' });
    await sleep(1200);
    expect(await ids(r)).toEqual(['a']);
    expect(await counter(r.metrics.rejections)).toBe(0);
  });

  it('given --once and a final line without a newline, publishes it at the end; a restart after the newline sends nothing again', async () => {
    const file = sessionFile();
    writeFileSync(file, line('s1', 'a') + line('s1', 'b').trimEnd());
    const first = await start({}, true);
    expect(await ids(first)).toEqual(['a', 'b']);
    await first.stop();
    runs = runs.filter((r) => r !== first);
    appendFileSync(file, '\n');
    const again = await start({}, true, namesOf(first));
    expect(await ids(again)).toHaveLength(2);
    expect(await counter(again.metrics.rejections)).toBe(0);
    expect(await counter(again.metrics.duplicates)).toBe(0);
  });

  it('given a file rewritten in place while followed (same inode, lines inserted before the offset), re-reads it from 0', async () => {
    const file = sessionFile();
    writeFileSync(file, line('s1', 'a') + line('s1', 'b'));
    const r = await start({});
    const inode = statSync(file).ino;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(line('s1', 'a') + line('s1', 'x') + line('s1', 'b')), 0, undefined, 0);
    closeSync(fd);
    expect(statSync(file).ino).toBe(inode);
    expect(await eventually(async () => (await ids(r)).includes('x'), 5000)).toBe(true);
    expect(await counter(r.metrics.fileResets, 'rewritten')).toBe(1);
    expect(await counter(r.metrics.rejections)).toBe(0);
  });

  it('given a file rewritten in place while the ingestor was stopped, the stored fingerprint restarts it from 0', async () => {
    const file = sessionFile();
    writeFileSync(file, line('s1', 'aa') + line('s1', 'bb'));
    const first = await start({}, true);
    await first.stop();
    runs = runs.filter((r) => r !== first);
    // Same size, same inode, other lines: only the fingerprint can tell.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(line('s1', 'cc') + line('s1', 'dd')), 0, undefined, 0);
    closeSync(fd);
    const again = await start({}, true, namesOf(first));
    expect(await ids(again)).toEqual(['aa', 'bb', 'cc', 'dd']);
    expect(await counter(again.metrics.fileResets, 'rewritten')).toBe(1);
  });

  it('given watching disabled and a file untouched for a day, the sweep finds its growth within the sweep period, and the file is not polled', async () => {
    const file = sessionFile();
    writeFileSync(file, line('s1', 'a'));
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(file, dayAgo, dayAgo);
    const r = await start({ INGEST_WATCH: 'off', INGEST_POLL_MS: '100', INGEST_SWEEP_MS: '2000' });
    expect((await r.metrics.filesPolled.get()).values[0]?.value ?? 0).toBe(0);
    const sweepsBefore = await counter(r.metrics.sweeps);
    const t0 = Date.now();
    appendFileSync(file, line('s1', 'b'));
    // The appended line is a message of its own; counting messages is cheap enough to time.
    expect(await eventually(async () => (await streamCount(r.nc, r.config.stream)) === 2, 4000, 50)).toBe(true);
    expect(Date.now() - t0).toBeLessThanOrEqual(2000 + 1000);
    expect(await counter(r.metrics.sweeps)).toBeGreaterThan(sweepsBefore);
    // Now it grew: it is polled behind the (absent) events.
    await sleep(400);
    expect((await r.metrics.filesPolled.get()).values[0]?.value).toBe(1);
  });
});
