import { appendFileSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { corpora } from '../../../../libs/domain/src/test-support/corpora';
import { checkpointKey } from '../nats/offsets.store';
import { Kvm } from '@nats-io/kv';
import {
  deleteNames,
  eventually,
  line,
  lineIds,
  readLines,
  readStream,
  startIngestor,
  streamCount,
  tempDir,
  testConfig,
  type RunningIngestor,
} from '../test-support/ingest-harness';

jest.setTimeout(60_000);

/**
 * The lines expected in the stream, as `<file>:<offset>`, computed here from the raw bytes,
 * independently of the ingestor's reader: every non-blank line, a byte-order mark at the start of
 * a file dropped (UTF-8 decoders drop it), and a final line without `\n` included when it is a
 * complete JSON value (published at the end of a backfill).
 */
function expectedLines(root: string): Set<string> {
  const lines = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.jsonl')) {
        const file = relative(root, path);
        const bytes = readFileSync(path);
        let start = 0;
        for (let nl = bytes.indexOf(10); start < bytes.length; start = nl + 1, nl = bytes.indexOf(10, start)) {
          const last = nl === -1;
          let text = bytes.subarray(start, last ? bytes.length : nl).toString('utf8');
          if (start === 0) text = text.replace(/^\uFEFF/, '');
          if (text.trim() === '') {
            if (last) break;
            continue;
          }
          let raw: any;
          try {
            raw = JSON.parse(text);
          } catch {
            raw = undefined;
          }
          if (last && raw === undefined) break;
          lines.add(`${file}:${start}`);
          if (last) break;
        }
      }
    }
  };
  walk(root);
  return lines;
}

describe('Ingestor on real JetStream', () => {
  let run: RunningIngestor | undefined;
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(() => {
    tmp = tempDir();
  });

  afterEach(async () => {
    if (run) {
      await run.stop();
      const { connect } = await import('@nats-io/transport-node');
      const nc = await connect({ servers: run.config.natsServers });
      await deleteNames(nc, run.config);
      await nc.close();
      run = undefined;
    }
    tmp.remove();
  });

  it.each(corpora().map((c) => [c.name, c.dir] as const))('given the %s transcripts, publishes every line once in runs, then nothing on restart', async (_, corpus) => {
    const root = join(tmp.dir, 'projects');
    cpSync(join(corpus, 'claude', 'projects'), root, { recursive: true });
    const config = testConfig(tmp.dir, {}, true);
    run = await startIngestor(config);
    await run.ingestor.backfill();

    const expected = expectedLines(root);
    const lines = await readLines(run.nc, config.stream);
    const got = lines.map((l) => `${l.file}:${l.offset}`);
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got)).toEqual(expected);
    expect((await run.metrics.published.get()).values[0].value).toBe(expected.size);
    expect((await run.metrics.duplicates.get()).values[0]?.value ?? 0).toBe(0);
    expect(lines.every((l) => l.subject.startsWith(`${config.subjectPrefix}.entries.alice.`))).toBe(true);
    // Runs, not a message per line; each run's id names its file and byte range.
    const messages = await readStream(run.nc, config.stream);
    expect(messages.length).toBeLessThan(expected.size / 4);
    for (const m of messages) expect(m.id).toBe(`alice:${m.body.file}:${m.body.start}-${m.body.end}:${m.id.split(':').pop()}`);
    expect(run.ingestor.lagBytes).toBe(0);

    // A restart resumes from the stored checkpoints: nothing is sent again.
    await run.stop();
    run = await startIngestor(config);
    await run.ingestor.backfill();
    expect(await streamCount(run.nc, config.stream)).toBe(messages.length);
    expect((await run.metrics.duplicates.get()).values[0]?.value ?? 0).toBe(0);
    expect((await run.metrics.linesRead.get()).values[0]?.value ?? 0).toBe(0);
  });

  async function follow(env: Record<string, string> = {}): Promise<RunningIngestor> {
    const config = testConfig(tmp.dir, env);
    run = await startIngestor(config);
    await run.ingestor.backfill();
    run.ingestor.follow();
    return run;
  }

  const idsIn = (r: RunningIngestor) => lineIds(r.nc, r.config.stream);

  it('given lines appended (one in two halves), publishes each within a second, once, as a message of its own', async () => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 's1.jsonl');
    writeFileSync(file, line('s1', 'u1'));
    const r = await follow();
    expect(await idsIn(r)).toEqual(['u1']);

    const t0 = Date.now();
    appendFileSync(file, line('s1', 'u2'));
    expect(await eventually(async () => (await streamCount(r.nc, r.config.stream)) === 2, 1000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);

    const third = line('s1', 'u3');
    appendFileSync(file, third.slice(0, 20));
    await new Promise((res) => setTimeout(res, 400));
    expect(await streamCount(r.nc, r.config.stream)).toBe(2);
    const t1 = Date.now();
    appendFileSync(file, third.slice(20));
    expect(await eventually(async () => (await streamCount(r.nc, r.config.stream)) === 3, 1000)).toBe(true);
    expect(Date.now() - t1).toBeLessThan(1000);
    const lines = await readLines(r.nc, r.config.stream);
    expect(lines.map((l) => l.entry.uuid)).toEqual(['u1', 'u2', 'u3']);
    expect(lines[2].offset).toBe(Buffer.byteLength(line('s1', 'u1')) * 2);
    expect(JSON.stringify(await readStream(r.nc, r.config.stream))).not.toContain('secret prompt');
  });

  it('given a truncated file, re-reads it from 0, even when the new run has the old range; given a replaced file, reads the new one', async () => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 's1.jsonl');
    writeFileSync(file, line('s1', 'a'));
    const r = await follow();
    appendFileSync(file, line('s1', 'b') + line('s1', 'c'));
    expect(await eventually(async () => (await idsIn(r)).length === 3, 3000)).toBe(true);

    // `d` has the length of `a`: its run covers the same bytes as the first one, under another id.
    truncateSync(file, 0);
    writeFileSync(file, line('s1', 'd'));
    expect(await eventually(async () => (await idsIn(r)).length === 4, 3000)).toBe(true);
    expect((await r.metrics.fileResets.get()).values.find((v) => v.labels.reason === 'truncated')?.value).toBe(1);
    const messages = await readStream(r.nc, r.config.stream);
    const [first, again] = [messages[0], messages[messages.length - 1]];
    expect(again.id).not.toBe(first.id);
    expect(again.id.split(':').slice(0, -1)).toEqual(first.id.split(':').slice(0, -1));

    renameSync(file, `${file}.old`);
    writeFileSync(file, line('s1', 'a') + line('s1', 'e'));
    expect(await eventually(async () => (await idsIn(r)).includes('e'), 3000)).toBe(true);
    // The copy of `a` travels again: the aggregator's natural keys, not the stream, drop copies.
    expect(await idsIn(r)).toEqual(['a', 'b', 'c', 'd', 'a', 'e']);
    expect((await r.metrics.fileResets.get()).values.find((v) => v.labels.reason === 'replaced')?.value).toBe(1);
  });

  it('given a deleted file, forgets it and its checkpoint', async () => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 's1.jsonl');
    writeFileSync(file, line('s1', 'a'));
    const r = await follow();
    const kv = await new Kvm(r.nc).open(r.config.offsetsBucket);
    expect(await eventually(async () => (await kv.get(checkpointKey('testhost', file)))?.operation === 'PUT', 2000)).toBe(true);
    expect(r.ingestor.filesTracked).toBe(1);
    rmSync(file);
    expect(await eventually(() => r.ingestor.filesTracked === 0, 3000)).toBe(true);
    expect(await eventually(async () => (await kv.get(checkpointKey('testhost', file)))?.operation !== 'PUT', 2000)).toBe(true);
  });

  it('under INGEST_REDACT=paths, stores checkpoints without the path and still resumes from them', async () => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 's1.jsonl');
    writeFileSync(file, line('s1', 'a') + line('s1', 'b'));
    const config = testConfig(tmp.dir, { INGEST_REDACT: 'paths', INGEST_REDACT_SALT: 'a-team-wide-salt-0123' }, true);
    run = await startIngestor(config);
    await run.ingestor.backfill();
    const kv = await new Kvm(run.nc).open(config.offsetsBucket);
    const stored = await kv.get(checkpointKey('testhost', file));
    expect(stored?.operation).toBe('PUT');
    expect(stored!.string()).not.toContain(tmp.dir);
    expect(stored!.json()).toMatchObject({ offset: statSync(file).size });
    expect(stored!.json()).not.toHaveProperty('path');

    await run.stop();
    run = await startIngestor(config);
    await run.ingestor.backfill();
    expect((await run.metrics.linesRead.get()).values[0]?.value ?? 0).toBe(0);
    expect(await idsIn(run)).toEqual(['a', 'b']);
  });

  it('when INGEST_REDACT=paths is turned on, rewrites the checkpoints stored with their path, even of files that never grow again', async () => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 's1.jsonl');
    writeFileSync(file, line('s1', 'a'));
    const plain = testConfig(tmp.dir, {}, true);
    run = await startIngestor(plain);
    await run.ingestor.backfill();
    const kv = await new Kvm(run.nc).open(plain.offsetsBucket);
    expect((await kv.get(checkpointKey('testhost', file)))!.json()).toMatchObject({ path: file });
    await run.stop();

    const sameNames = { CCPULSE_STREAM: plain.stream, CCPULSE_OFFSETS_BUCKET: plain.offsetsBucket, CCPULSE_SUBJECT_PREFIX: plain.subjectPrefix };
    const redacted = testConfig(tmp.dir, { ...sameNames, INGEST_REDACT: 'paths', INGEST_REDACT_SALT: 'a-team-wide-salt-0123' }, true);
    run = await startIngestor(redacted);
    await run.ingestor.backfill();
    const after = await new Kvm(run.nc).open(plain.offsetsBucket);
    expect((await after.get(checkpointKey('testhost', file)))!.string()).not.toContain(tmp.dir);
    expect((await run.metrics.linesRead.get()).values[0]?.value ?? 0).toBe(0);
  });

  it('given a file in a new subagents/ directory, publishes it under the parent session', async () => {
    mkdirSync(join(tmp.dir, 'projects', 'p1'), { recursive: true });
    const r = await follow();
    const sub = join(tmp.dir, 'projects', 'p1', 'parent-1', 'subagents');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'agent-x.jsonl'), line('parent-1', 'sa1', { isSidechain: true, agentId: 'x' }));
    expect(await eventually(async () => (await streamCount(r.nc, r.config.stream)) === 1, 3000)).toBe(true);
    const [l] = await readLines(r.nc, r.config.stream);
    expect(l.entry.uuid).toBe('sa1');
    expect(l.msgId).toMatch(/^alice:p1\/parent-1\/subagents\/agent-x\.jsonl:0-\d+:[0-9a-f]{16}$/);
    expect(l.subject).toBe(`${r.config.subjectPrefix}.entries.alice.parent-1`);
    expect(l.file).toBe('p1/parent-1/subagents/agent-x.jsonl');
  });

  it('given a 50 MB line and invalid UTF-8, publishes rejections with reasons and keeps going', async () => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 's1.jsonl');
    writeFileSync(file, line('s1', 'before'));
    const big = `{"type":"user","uuid":"huge","text":"${'x'.repeat(50 * 1024 * 1024)}"}\n`;
    appendFileSync(file, big);
    appendFileSync(file, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]));
    appendFileSync(file, line('s1', 'after'));
    const heapBefore = process.memoryUsage().rss;
    const config = testConfig(tmp.dir, {}, true);
    run = await startIngestor(config);
    await run.ingestor.backfill();
    const lines = await readLines(run.nc, config.stream);
    expect(lines.map((l) => l.rejected?.reason ?? l.entry.uuid)).toEqual(['before', 'too_large', 'invalid_utf8', 'after']);
    const first = Buffer.byteLength(line('s1', 'before'));
    expect(lines.map((l) => l.offset)).toEqual([0, first, first + Buffer.byteLength(big), first + Buffer.byteLength(big) + 7]);
    expect((await run.metrics.rejections.get()).values.map((v) => v.labels.reason).sort()).toEqual(['invalid_utf8', 'too_large']);
    // The reader caps a line at the parse limit: it never holds the whole 50 MB.
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(48 * 1024 * 1024);
  });

  it('given a uuid with an escaped newline, publishes the line and reads on', async () => {
    const dir = join(tmp.dir, 'projects', 'p1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 's1.jsonl'), `${JSON.stringify({ type: 'user', sessionId: 's1', uuid: 'odd\r\nid' })}\n${line('s1', 'after')}`);
    const config = testConfig(tmp.dir, {}, true);
    run = await startIngestor(config);
    await run.ingestor.backfill();
    expect(await idsIn(run)).toEqual(['odd\r\nid', 'after']);
  });
});
