import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ensureBenchCorpus, listJsonl, parseSize, retag, sizeLabel } from './corpus.generator';
import { checkSmoke } from './smoke';
import { slopes, verdict, type SizeRun } from './figures';

const REPO = resolve(__dirname, '../..');
const MB = 1024 * 1024;

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of listJsonl(join(dir, 'projects'))) h.update(relative(dir, f)).update(readFileSync(f));
  return h.digest('hex');
}

describe('the bench corpus', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const generate = (seed: number, bytes = 3 * MB) => {
    const root = mkdtempSync(join(tmpdir(), 'ccpulse-corpus-spec-'));
    roots.push(root);
    return ensureBenchCorpus(REPO, root, bytes, seed, () => undefined);
  };

  it('reads sizes and names them back', () => {
    expect(parseSize('250MB')).toBe(250 * MB);
    expect(parseSize('1GB')).toBe(1024 * MB);
    expect(parseSize('20')).toBe(20 * MB);
    expect(() => parseSize('a lot')).toThrow(/--size/);
    expect(sizeLabel(1024 * MB)).toBe('1GB');
    expect(sizeLabel(250 * MB)).toBe('250MB');
  });

  it('is the same bytes for the same seed and different bytes for another seed', () => {
    const a = generate(7);
    const b = generate(7);
    const c = generate(8);
    expect(digest(a.dir)).toBe(digest(b.dir));
    expect(digest(a.dir)).not.toBe(digest(c.dir));
    expect(a.bytes).toBeGreaterThanOrEqual(3 * MB);
    // Half of it is one session file.
    expect(a.bigFileBytes / a.bytes).toBeGreaterThan(0.3);
  });

  it('gives every copy its own ids, keeps a resumed copy\'s ids, and moves timestamps', () => {
    const line = '{"type":"assistant","uuid":"u-1","parentUuid":null,"sessionId":"s-1","requestId":"req_1","timestamp":"2026-02-01T10:00:00.123Z","message":{"id":"msg_01","content":[{"type":"tool_use","id":"toolu_9"}]}}';
    const copy = retag(line, 'x3', -86_400_000);
    expect(JSON.parse(copy)).toMatchObject({ uuid: 'x3-u-1', parentUuid: null, sessionId: 'x3-s-1', requestId: 'x3-req_1', timestamp: '2026-01-31T10:00:00.123Z', message: { id: 'msg_x301', content: [{ id: 'toolu_x39' }] } });
    const resumed = retag(line, 'x3', 0, 'new-session');
    expect(JSON.parse(resumed)).toMatchObject({ uuid: 'x3-u-1', sessionId: 'new-session', message: { id: 'msg_x301' } });
  });
});

describe('the suite\'s verdicts', () => {
  const run = (figures: SizeRun['figures'], bytes = 250 * MB): SizeRun => ({ size: 'x', corpus: { bytes, lines: 0, files: 0, users: 0, resumedCopies: 0, bigFileBytes: 0, source: 'synthetic', seed: 1 }, figures, notes: [], seconds: 0 });

  it('passes or misses a target on the ratio to the same-run baseline', () => {
    expect(verdict({ key: 'a', label: 'a', value: 1, unit: 's', baseline: 4, target: { ratio: 0.5, better: 'lower' } })).toBe('ok');
    expect(verdict({ key: 'a', label: 'a', value: 3, unit: 's', baseline: 4, target: { ratio: 0.5, better: 'lower' } })).toBe('MISSED');
    expect(verdict({ key: 'a', label: 'a', value: 3, unit: 's' })).toBe('');
  });

  it('reports growth per GB between two sizes', () => {
    const [s] = slopes(run([{ key: 'rss', label: 'rss', value: 100, unit: 'MB' }], 256 * MB), run([{ key: 'rss', label: 'rss', value: 130, unit: 'MB' }], 1024 * MB));
    expect(s.perGb).toBeCloseTo(40);
    expect(s.factor).toBeCloseTo(1.3);
  });

  it('fails the smoke check on an order-of-magnitude regression only', () => {
    const figures = (reportS: number) => [
      { key: 'report.daily', label: '', value: reportS, unit: 's', baseline: 2 },
      { key: 'limit.parse.process', label: '', value: 40, unit: 'MB/s' },
      { key: 'report.rate', label: '', value: 10, unit: 'MB/s' },
    ];
    expect(checkSmoke(run(figures(1.5))).failed).toEqual([]);
    expect(checkSmoke(run(figures(20))).failed).toEqual(['report daily vs ccusage v18 (target ≤ 0.5×)']);
  });
});
