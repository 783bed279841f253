import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureBenchCorpus, parseSize } from '../../../../bench/full/corpus.generator';
import { PARALLEL_MIN_BYTES } from './load-transcripts';

/**
 * The built `ccpulse report` on a history large enough for reader threads (with one session file
 * long enough to be read in several segments, resumed-session copies and malformed lines): the
 * same stdout and stderr, byte for byte, with one thread and with several.
 */
const REPO = resolve(__dirname, '../../../..');
const CLI = join(REPO, 'bin', 'ccpulse.js');
const built = existsSync(join(REPO, 'dist/apps/ingestor/src/report/usage-load.worker.js'));
const run = promisify(execFile);

jest.setTimeout(240_000);

async function report(configDir: string, threads: number, ...argv: string[]): Promise<{ stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', CLAUDE_CONFIG_DIR: configDir, CCPULSE_REPORT_THREADS: String(threads) };
  return run(process.execPath, [CLI, 'report', ...argv], { env, cwd: REPO, maxBuffer: 64 << 20 });
}

(built ? describe : describe.skip)('ccpulse report with reader threads (built CLI)', () => {
  let corpus: string;
  let bytes: number;
  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), 'ccpulse-report-threads-'));
    const manifest = ensureBenchCorpus(REPO, root, parseSize('48MB'), 5, () => undefined);
    corpus = manifest.dir;
    bytes = manifest.bytes;
    // A file of odd lines in the middle of the tree: rejections must come out in the same order and numbering.
    const text = (t: string) => Buffer.from(`${t}\n`);
    writeFileSync(join(corpus, 'projects', '-home-dev-odd.jsonl'), Buffer.concat([
      text('{"type":"user","message":{"content":"ünïcode, no closing brace"}'),
      text('["not", "an", "object"]'),
      Buffer.from('{"x":"'), Buffer.from([0xc3, 0x28]), text('"}'),
      text(JSON.stringify({ type: 'assistant', sessionId: 'odd', timestamp: '2026-02-01T00:00:00.000Z', message: { model: 'claude-opus-4-5', usage: { input_tokens: 1 } } })),
    ]));
  });
  afterAll(() => corpus && rmSync(dirname(corpus), { recursive: true, force: true }));

  it.each([
    ['daily', '--json', '-z', 'UTC'],
    ['weekly', '--breakdown', '-z', 'Asia/Tokyo'],
    ['monthly', '--json', '--project', 'dev'],
  ])('report %s %s: one thread and several print the same bytes', async (...argv) => {
    expect(bytes).toBeGreaterThan(PARALLEL_MIN_BYTES); // else the threads are never started
    const one = await report(dirname(join(corpus, 'projects')), 1, ...argv);
    expect(one.stderr).toMatch(/-home-dev-odd\.jsonl:1: skipped line \(malformed_json/);
    expect(one.stderr).toMatch(/-home-dev-odd\.jsonl:3: skipped line \(invalid_utf8\)/);
    for (const threads of [2, 3]) expect(await report(dirname(join(corpus, 'projects')), threads, ...argv)).toEqual(one);
  });
});

if (!built) console.warn("dist/ is missing: skipping the report thread tests (run 'npm run build')");
