import { LineSplitter, type SplitLine } from './line-splitter';

const text = (l: SplitLine) => (l.kind === 'line' ? l.bytes.toString() : `<${l.length}>`);

describe('LineSplitter', () => {
  it('given whole lines, emits each with its byte offset and end', () => {
    const s = new LineSplitter(100);
    const lines = s.push(Buffer.from('ab\n\ncdé\n'));
    expect(lines.map(text)).toEqual(['ab', '', 'cdé']);
    expect(lines.map((l) => [l.offset, l.end])).toEqual([[0, 3], [3, 4], [4, 9]]);
    expect(s.nextOffset).toBe(9);
    expect(s.pendingOffset).toBe(9);
  });

  it('given a line written in two halves, emits it once when the newline arrives', () => {
    const s = new LineSplitter(100, 10);
    expect(s.push(Buffer.from('{"a":'))).toEqual([]);
    expect(s.pendingOffset).toBe(10);
    const lines = s.push(Buffer.from('1}\nx'));
    expect(lines.map(text)).toEqual(['{"a":1}']);
    expect(lines[0].offset).toBe(10);
    expect(s.pendingOffset).toBe(18);
    expect(s.nextOffset).toBe(19);
  });

  it('given a line above the cap, skips its bytes and reports its length without buffering it', () => {
    const s = new LineSplitter(8);
    expect(s.push(Buffer.from('0123456789'))).toEqual([]);
    expect(s.push(Buffer.alloc(1000, 0x41))).toEqual([]);
    const lines = s.push(Buffer.from('AA\nok\n'));
    expect(lines.map(text)).toEqual(['<1012>', 'ok']);
    expect(lines[1].offset).toBe(1013);
  });

  it('given a split at every byte, yields the same lines as one push', () => {
    const input = Buffer.from('{"x":1}\n\n{"y":"ü"}\nlast');
    const whole = new LineSplitter(1000).push(input).map(text);
    const s = new LineSplitter(1000);
    const pieces: string[] = [];
    for (let i = 0; i < input.length; i++) pieces.push(...s.push(input.subarray(i, i + 1)).map(text));
    expect(pieces).toEqual(whole);
  });

  it('given a pending line that becomes a complete JSON value, takes it once and a later newline ends an empty line', () => {
    const s = new LineSplitter(100);
    s.push(Buffer.from('{"a":1}\n{"b":'));
    expect(s.takeFinishedLine()).toBeUndefined();
    s.push(Buffer.from('2}'));
    const taken = s.takeFinishedLine();
    expect(taken && text(taken)).toBe('{"b":2}');
    expect(taken && [taken.offset, taken.end]).toEqual([8, 15]);
    expect(s.pendingOffset).toBe(15);
    expect(s.takeFinishedLine()).toBeUndefined();
    const after = s.push(Buffer.from('\n{"c":3}\n'));
    expect(after.map(text)).toEqual(['', '{"c":3}']);
    expect(after.map((l) => l.offset)).toEqual([15, 16]);
  });

  it('given a pending line that is not (yet) a complete JSON value, leaves it pending', () => {
    for (const tail of ['{"b":', 'not json', '12', '   ']) {
      const s = new LineSplitter(100);
      s.push(Buffer.from(`{"a":1}\n${tail}`));
      expect(s.takeFinishedLine()).toBeUndefined();
      expect(s.pendingOffset).toBe(8);
    }
  });

  it('given a pending line above the cap, never takes it', () => {
    const s = new LineSplitter(4);
    s.push(Buffer.from('{"long":1}'));
    expect(s.takeFinishedLine()).toBeUndefined();
  });

  it('given chunks read into one reused buffer, tells the visitor the same lines as push', () => {
    const input = Buffer.from('{"x":1}\n\n{"y":"ü"}\n' + 'z'.repeat(30) + '\nok\n');
    const want = new LineSplitter(20).push(input).map(text);
    const s = new LineSplitter(20);
    const got: string[] = [];
    const reused = Buffer.alloc(3);
    for (let i = 0; i < input.length; i += 3) {
      const n = input.copy(reused, 0, i, i + 3);
      s.scan(reused.subarray(0, n), {
        line: (buf, from, to) => got.push(buf.toString('utf8', from, to)),
        oversized: (_offset, length) => got.push(`<${length}>`),
      });
    }
    expect(got).toEqual(want);
  });
});
