import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SplitLine } from '@ccpulse/domain';
import { readLines } from './line-reader';

/** Each line's text, or `<length>` for one above the cap. */
const text = (l: SplitLine) => (l.kind === 'line' ? l.bytes.toString() : `<${l.length}>`);

const collect = async (path: string, opts = {}): Promise<SplitLine[]> => {
  const out: SplitLine[] = [];
  for await (const l of readLines(path, opts)) out.push(l);
  return out;
};

describe('readLines', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ccpulse-lines-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits on \\n with byte offsets, across any chunk size, multi-byte text included', async () => {
    const lines = ['{"a":1}', '', '{"é":"ü😀"}', 'x'.repeat(50), '{}'];
    const path = join(dir, 'a.jsonl');
    writeFileSync(path, lines.join('\n') + '\n');
    for (const chunkBytes of [1, 2, 3, 7, 16, 1024]) {
      const got = await collect(path, { chunkBytes });
      expect(got.map(text)).toEqual(lines);
      let offset = 0;
      got.forEach((l, i) => {
        expect(l.offset).toBe(offset);
        offset += Buffer.byteLength(lines[i]) + 1;
      });
    }
  });

  it('yields complete lines only, unless asked for the unterminated last one, which it takes when it is a complete JSON value', async () => {
    const path = join(dir, 'b.jsonl');
    writeFileSync(path, '{"a":1}\n{"b":2}');
    expect((await collect(path, { chunkBytes: 4 })).map(text)).toEqual(['{"a":1}']);
    expect((await collect(path, { chunkBytes: 4, final: true })).map((l) => [text(l), l.offset])).toEqual([['{"a":1}', 0], ['{"b":2}', 8]]);
  });

  it('given final, leaves out an unterminated last line that may still be being written', async () => {
    const path = join(dir, 'b2.jsonl');
    for (const tail of ['{"b":', 'not json', '12', 'z'.repeat(100)]) {
      writeFileSync(path, `{"a":1}\n${tail}`);
      expect((await collect(path, { chunkBytes: 4, maxLineBytes: 20, final: true })).map(text)).toEqual(['{"a":1}']);
    }
  });

  it('starts at a checkpoint offset', async () => {
    const path = join(dir, 'c.jsonl');
    writeFileSync(path, 'one\ntwo\nthree\n');
    expect((await collect(path, { start: 4, chunkBytes: 3 })).map((l) => [text(l), l.offset])).toEqual([['two', 4], ['three', 8]]);
  });

  it('does not buffer a line longer than maxLineBytes and keeps going after it', async () => {
    const path = join(dir, 'd.jsonl');
    writeFileSync(path, `a\n${'z'.repeat(100)}\nb\n`);
    const got = await collect(path, { chunkBytes: 8, maxLineBytes: 20 });
    expect(got.map((l) => [text(l), l.offset])).toEqual([
      ['a', 0],
      ['<100>', 2],
      ['b', 103],
    ]);
  });
});
