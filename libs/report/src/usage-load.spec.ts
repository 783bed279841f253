import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_MAX_LINE_BYTES, type UsageRecord } from '@ccpulse/domain';
import { corpora } from '../../domain/src/test-support/corpora';
import { syntheticTranscripts } from '../../domain/src/test-support/synthetic-transcript';
import { listTranscriptFiles } from './transcript-roots';
import { emptyLoad, loadTranscripts, projectDirMatches, unitResultTaker, type LoadOptions } from './load-transcripts';
import { planUsageUnits } from './usage-load-plan';
import { readUsageUnit } from './usage-segment.reader';

/**
 * The usage-only load (lines that cannot carry usage parsed but not slimmed, Latin-1 decoding,
 * files cut into segments read apart and merged) against the full load that session reports use
 * (every line parsed, slimmed and folded, one file after the other): the same responses in the
 * same order, and the same rejected lines, numbered the same.
 */
interface Load {
  records: UsageRecord[];
  lines: number;
  rejectedLines: number;
  rejections: string[];
}

async function fullLoad(root: string, project?: string): Promise<Load> {
  return load((opts) => loadTranscripts([root], { ...opts, entries: true, project }));
}

async function usageLoad(root: string, project?: string): Promise<Load> {
  return load((opts) => loadTranscripts([root], { ...opts, entries: false, threads: 1, project }));
}

/** Files cut into segments of about `segmentBytes`, each unit read apart, results taken in plan order. */
async function splitLoad(root: string, segmentBytes: number, project?: string): Promise<Load> {
  const files = await listTranscriptFiles(root);
  const segments = planUsageUnits(files, { segmentBytes, unitBytes: segmentBytes }).reduce((a, u) => a + u.segments.length, 0);
  expect(segments).toBeGreaterThan(files.length); // some files really are cut
  return load(async ({ onRejected }) => {
    const out = emptyLoad();
    const take = unitResultTaker(files, out, onRejected);
    const units = planUsageUnits(files, { segmentBytes, unitBytes: segmentBytes * 3 });
    const matches = projectDirMatches(files, project);
    const results = units.map((unit) => readUsageUnit(unit, project, matches)).map((r) => structuredClone(r));
    units.forEach((unit, i) => take(unit, results[i]));
    return out;
  });
}

async function load(run: (opts: Pick<LoadOptions, 'onRejected'>) => Promise<ReturnType<typeof emptyLoad>>): Promise<Load> {
  const rejections: string[] = [];
  const out = await run({ onRejected: (file, line, reason, detail) => rejections.push(`${file}:${line}: ${reason} ${detail ?? ''}`) });
  return { records: [...out.usage.records()], lines: out.lines, rejectedLines: out.rejectedLines, rejections };
}

const usage = { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 40 };
const assistant = (o: Record<string, unknown>) =>
  JSON.stringify({ type: 'assistant', sessionId: 's-edge', timestamp: '2026-01-05T10:00:00.000Z', message: { model: 'claude-sonnet-4-5', usage }, ...o });

/** One line per way a line can be odd, with the rejection each should get (1-based line numbers). */
const EDGE_LINES: { text: string | Buffer; rejected?: string }[] = [
  { text: assistant({ uuid: 'e1', requestId: 'r1', message: { id: 'm1', model: 'claude-sonnet-4-5', usage } }) },
  { text: Buffer.concat([Buffer.from('{"type":"user","x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), rejected: 'invalid_utf8' },
  { text: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(assistant({ uuid: 'e2', requestId: 'r2', message: { id: 'm2', model: 'claude-opus-4-5', usage } }))]) },
  { text: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ type: 'user', message: { content: 'hi' } }))]) },
  { text: assistant({ uuid: 'e3', requestId: 'r3', cwd: '/home/dév/prøj', message: { id: 'm3', model: 'claude-sonnet-4-5', usage, content: [{ type: 'text', text: 'ünïcode ✓ 🎉' }] } }) },
  { text: JSON.stringify({ type: 'user', message: { content: 'tool output — ✓ 🎉 ünïcode' } }) },
  { text: '{"type":"user","message":{"content":"ünïcode but no closing brace"}', rejected: 'malformed_json' },
  { text: '{"type":"progress","data":[1,2,]}', rejected: 'malformed_json' },
  { text: '["é", 1]', rejected: 'not_object' },
  { text: '42', rejected: 'not_object' },
  { text: '   ' },
  { text: '' },
  { text: assistant({ uuid: 'e4', requestId: 'r4', message: { id: 'm4', model: 'claude-sonnet-4-5', usage } }) + '\r' },
  { text: '{"typ\\u0065":"\\u0061ssistant","sessionId":"s-edge","timestamp":"2026-01-05T11:00:00.000Z","message":{"id":"m5","model":"claude-haiku-4-5","usage":{"input_tokens":7}},"requestId":"r5"}' },
  { text: '{"type":"\\u0061ssistant","sessionId":"s-edge","note":"é","timestamp":"2026-01-05T11:00:00.000Z","message":{"id":"m6","model":"claude-haiku-4-5","usage":{"input_tokens":8}},"requestId":"r6"}' },
  { text: '{"type":"progress","type":"assistant","sessionId":"s-edge","timestamp":"2026-01-05T12:00:00.000Z","message":{"model":"claude-haiku-4-5","usage":{"input_tokens":9}}}' },
  { text: '{"type":"assistant","type":"progress","message":{"model":"claude-haiku-4-5","usage":{"input_tokens":1000}}}' },
  { text: JSON.stringify({ type: 'user', message: { content: 'x'.repeat(DEFAULT_MAX_LINE_BYTES) } }), rejected: 'too_large' },
  { text: assistant({ timestamp: '2026-01-06T09:00:00.000Z' }) }, // no uuid, no ids: keyed by file and offset
  { text: assistant({ timestamp: '2026-01-06T09:00:01.000Z', note: 'ü' }) },
  { text: assistant({ uuid: 'e7', requestId: 'r7', message: { id: 'm7', model: 'claude-opus-4-5', usage } }) }, // last line, no `\n`
];

describe('report load: usage only vs everything', () => {
  let root: string;
  beforeAll(() => {
    root = join(mkdtempSync(join(tmpdir(), 'ccpulse-usage-load-')), 'projects');
    for (const f of syntheticTranscripts({ seed: 21, sessions: 9, turnsPerSession: 25, startMs: Date.UTC(2026, 0, 3, 20) })) {
      mkdirSync(dirname(join(root, f.file)), { recursive: true });
      writeFileSync(join(root, f.file), f.lines.join('\n') + '\n');
    }
    mkdirSync(join(root, '-home-dev-edge'), { recursive: true });
    const parts = EDGE_LINES.flatMap(({ text }, i) => [Buffer.from(text), ...(i + 1 < EDGE_LINES.length ? [Buffer.from('\n')] : [])]);
    writeFileSync(join(root, '-home-dev-edge', 's-edge.jsonl'), Buffer.concat(parts));
  });
  afterAll(() => rmSync(dirname(root), { recursive: true, force: true }));

  it('given odd lines, then each rejection is told with its reason at its line, and the usage around them is kept', async () => {
    const expected = EDGE_LINES.flatMap(({ rejected }, i) => (rejected ? [`s-edge.jsonl:${i + 1}: ${rejected}`] : []));
    for (const loaded of [await fullLoad(root), await usageLoad(root), await splitLoad(root, 4096)]) {
      const edge = loaded.rejections.filter((r) => r.includes('/s-edge.jsonl:')).map((r) => r.slice(r.indexOf('s-edge.jsonl:')).split(' ').slice(0, 2).join(' '));
      expect(edge).toEqual(expected);
      const models = loaded.records.filter((r) => r.sessionId === 's-edge').map((r) => `${r.model}:${r.total}`);
      expect(models).toEqual(expect.arrayContaining(['claude-opus-4-5:100', 'claude-haiku-4-5:7', 'claude-haiku-4-5:8', 'claude-haiku-4-5:9']));
      expect(models).not.toContain('claude-haiku-4-5:1000');
    }
  });

  it('given the whole tree, then the usage-only load equals the full load: responses, order, lines and rejections', async () => {
    const full = await fullLoad(root);
    expect(full.records.length).toBeGreaterThan(100);
    expect(full.rejectedLines).toBeGreaterThan(EDGE_LINES.filter((l) => l.rejected).length); // the synthetic files have bad lines too
    expect(await usageLoad(root)).toEqual(full);
  });

  it('given files cut into segments read apart, then merging them in order equals reading them in one pass', async () => {
    const full = await fullLoad(root);
    for (const segmentBytes of [512, 4096, 65536]) expect(await splitLoad(root, segmentBytes)).toEqual(full);
  });

  it('given a --project filter, then both loads keep the same responses', async () => {
    for (const project of ['proj1', 'edge', 'dév']) {
      const full = await fullLoad(root, project);
      expect(await usageLoad(root, project)).toEqual(full);
      expect(await splitLoad(root, 2048, project)).toEqual(full);
    }
  });

  it.each(corpora().map((c) => [c.name, c] as const))('given the %s transcripts, then the usage-only and split loads equal the full load', async (_, corpus) => {
    const copy = join(mkdtempSync(join(tmpdir(), 'ccpulse-usage-fixtures-')), 'projects');
    cpSync(join(corpus.dir, 'claude', 'projects'), copy, { recursive: true });
    try {
      const full = await fullLoad(copy);
      expect(full.records.length).toBeGreaterThan(100);
      expect(await usageLoad(copy)).toEqual(full);
      expect(await splitLoad(copy, corpus.generated ? 4096 : 256 * 1024)).toEqual(full);
    } finally {
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });
});

describe('report load: a last line without its newline', () => {
  let root: string;
  const line = (n: number) => assistant({ uuid: `t${n}`, requestId: `rt${n}`, message: { id: `mt${n}`, model: 'claude-sonnet-4-5', usage } });
  /** File → its unterminated last line, which the ingestor would publish only when it is a complete JSON value. */
  const tails: Record<string, string> = {
    'complete.jsonl': line(2),
    'fragment.jsonl': '{"type":"assistant","message":{"id":"mt9"',
    'number.jsonl': '12',
    'oversized.jsonl': `{"type":"user","message":{"content":"${'x'.repeat(DEFAULT_MAX_LINE_BYTES)}"}}`,
  };
  beforeAll(() => {
    root = join(mkdtempSync(join(tmpdir(), 'ccpulse-tail-')), 'projects');
    mkdirSync(join(root, '-home-dev-tail'), { recursive: true });
    Object.entries(tails).forEach(([file, tail], i) => writeFileSync(join(root, '-home-dev-tail', file), `${line(10 + i)}\n${tail}`));
  });
  afterAll(() => rmSync(dirname(root), { recursive: true, force: true }));

  it('given a complete JSON value, counts it; given anything else (still being written, or too long to judge), neither counts nor rejects it', async () => {
    for (const loaded of [await fullLoad(root), await usageLoad(root)]) {
      expect(loaded.rejections).toEqual([]);
      expect({ lines: loaded.lines, rejected: loaded.rejectedLines }).toEqual({ lines: 5, rejected: 0 });
      expect(loaded.records.map((r) => r.key).sort()).toEqual(['mt10:rt10', 'mt11:rt11', 'mt12:rt12', 'mt13:rt13', 'mt2:rt2']);
    }
  });
});
