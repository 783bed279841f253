import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { syntheticTranscripts } from '../../domain/src/test-support/synthetic-transcript';
import { PARALLEL_MIN_BYTES } from './load-transcripts';

/**
 * The built `ccpulse report` on a history large enough for reader threads (with one file long
 * enough to be read in several segments, and malformed lines): the same stdout and stderr, byte
 * for byte, with one thread and with several.
 */
const REPO = resolve(__dirname, '../../..');
const CLI = join(REPO, 'bin', 'ccpulse.js');
const built = existsSync(join(REPO, 'dist/libs/report/src/usage-load.worker.js'));
const run = promisify(execFile);

jest.setTimeout(240_000);

async function report(configDir: string, threads: number, ...argv: string[]): Promise<{ stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', CLAUDE_CONFIG_DIR: configDir, CCPULSE_REPORT_THREADS: String(threads) };
  return run(process.execPath, [CLI, 'report', ...argv], { env, cwd: REPO, maxBuffer: 64 << 20 });
}

(built ? describe : describe.skip)('ccpulse report with reader threads (built CLI)', () => {
  let corpus: string;
  let bytes = 0;
  let longLines = 0;
  beforeAll(() => {
    corpus = join(mkdtempSync(join(tmpdir(), 'ccpulse-report-threads-')), 'projects');
    const write = (path: string, data: string | Buffer) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
      bytes += Buffer.byteLength(data);
    };
    const text = (t: string) => Buffer.from(`${t}\n`);
    const odd = Buffer.concat([
      text('{"type":"user","message":{"content":"ünïcode, no closing brace"}'),
      text('["not", "an", "object"]'),
      Buffer.from('{"x":"'), Buffer.from([0xc3, 0x28]), text('"}'),
      text(JSON.stringify({ type: 'assistant', sessionId: 'odd', timestamp: '2026-02-01T00:00:00.000Z', message: { model: 'claude-opus-4-5', usage: { input_tokens: 1 } } })),
    ]);
    const long: string[] = [];
    for (let seed = 1; bytes + long.join('').length < PARALLEL_MIN_BYTES * 1.4; seed++) {
      for (const f of syntheticTranscripts({ seed, sessions: 40, turnsPerSession: 60, startMs: Date.UTC(2026, 0, seed * 3) })) {
        // Only the odd lines below are malformed, so that all their messages are printed (the first 50 are).
        const text = f.lines.filter(isJson).join('\n') + '\n';
        if (seed % 2 === 0) long.push(text); // every other batch goes into one long file
        else write(join(corpus, `batch${seed}`, f.file), text);
      }
    }
    longLines = long.join('').split('\n').length - 1;
    // The odd lines end the long file, which is read in segments: they are numbered across the cut.
    write(join(corpus, '-home-dev-long', 'long-session.jsonl'), Buffer.concat([Buffer.from(long.join('')), odd]));
    write(join(corpus, '-a-odd.jsonl'), odd);
  });
  afterAll(() => corpus && rmSync(dirname(corpus), { recursive: true, force: true }));

  it.each([
    ['daily', '--json', '-z', 'UTC'],
    ['weekly', '--breakdown', '-z', 'Asia/Tokyo'],
    ['monthly', '--json', '--project', 'proj1'],
  ])('report %s %s: one thread and several print the same bytes', async (...argv) => {
    expect(bytes).toBeGreaterThan(PARALLEL_MIN_BYTES); // else the threads are never started
    const one = await report(dirname(corpus), 1, ...argv);
    const rejected = one.stderr.split('\n').filter((l) => l.includes('skipped line')).map((l) => l.slice(l.lastIndexOf('/') + 1, l.indexOf(': skipped')));
    expect(rejected).toEqual(['-a-odd.jsonl:1', '-a-odd.jsonl:2', '-a-odd.jsonl:3', ...[1, 2, 3].map((n) => `long-session.jsonl:${longLines + n}`)]);
    expect(one.stderr).toMatch(/-a-odd\.jsonl:3: skipped line \(invalid_utf8\)/);
    for (const threads of [2, 3]) expect(await report(dirname(corpus), threads, ...argv)).toEqual(one);
  });
});

if (!built) console.warn("dist/ is missing: skipping the report thread tests (run 'npm run build')");

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
