import { MAX_RUN_LINES, type RunEnvelope } from '@ccpulse/domain';
import { Run, itemBudget, lineItem, rejectionItem, runMessage, type LineContext } from './run-message';

const ctx: LineContext = {
  user: 'alice',
  host: 'box',
  file: 'proj/0b1c-session.jsonl',
  content: 'slim',
  subjectPrefix: 'ccpulse',
  maxLineBytes: 1024,
};

/** The lines as one run from `start`, each followed by `\n`. */
function runOf(lines: string[], start = 0, context = ctx): Run {
  const run = new Run(start, itemBudget(1 << 20, context));
  let offset = start;
  for (const line of lines) {
    const bytes = Buffer.from(line);
    run.add(lineItem(bytes, offset, context), offset + bytes.length + 1);
    offset += bytes.length + 1;
  }
  return run;
}

const body = (data: string) => JSON.parse(data) as RunEnvelope;

describe('a run of lines as one message (envelope v2)', () => {
  it('given lines of a file, carries each as an item at its offset, keyed <user>:<file>:<start>-<end>:<fingerprint of the last line> on the file session', () => {
    const a = JSON.stringify({ type: 'user', uuid: 'u1', sessionId: 's-1', message: { role: 'user', content: 'top secret' } });
    const b = '{"type":"summary","summary":"x"}';
    const m = runMessage(runOf([a, b], 100), ctx);
    const end = 100 + a.length + 1 + b.length + 1;
    expect(m.msgId).toMatch(new RegExp(`^alice:proj/0b1c-session\\.jsonl:100-${end}:[0-9a-f]{16}$`));
    // Another last line over the same bytes (a file rewritten) is another message.
    const other = runMessage(runOf([a, b.replace('x', 'y')], 100), ctx);
    expect(other.msgId).not.toBe(m.msgId);
    expect(runMessage(runOf([a, b], 100), ctx).msgId).toBe(m.msgId);
    expect(m.subject).toBe('ccpulse.entries.alice.0b1c-session');
    expect(m.headers).toBe(`Ccpulse-Envelope: 2\r\nCcpulse-File: proj/0b1c-session.jsonl\r\nCcpulse-Range: 100-${end}\r\n`);
    expect(m.lines).toBe(2);
    expect(m.bytes).toBe(Buffer.byteLength(m.data));
    const e = body(m.data);
    expect(e).toMatchObject({ v: 2, user: 'alice', host: 'box', file: ctx.file, start: 100, end });
    expect(e.lines.map((l) => l.o)).toEqual([100, 100 + a.length + 1]);
    expect(e.lines[0]).toMatchObject({ e: { uuid: 'u1', sessionId: 's-1' } });
    expect(m.data).not.toContain('top secret');
  });

  it('given INGEST_CONTENT=full, keeps the content', () => {
    const raw = JSON.stringify({ type: 'user', uuid: 'u1', sessionId: 's-1', message: { role: 'user', content: 'top secret' } });
    const full = { ...ctx, content: 'full' as const };
    expect(runMessage(runOf([raw], 0, full), full).data).toContain('top secret');
  });

  it.each([
    ['{"type":', 'malformed_json'],
    ['[1,2]', 'not_object'],
  ])('given %s, carries a rejection item (%s) at its offset', (raw, reason) => {
    const item = lineItem(Buffer.from(raw), 3, ctx);
    expect(item.rejected).toBe(reason);
    expect(JSON.parse(item.json)).toMatchObject({ o: 3, r: { reason } });
  });

  it('given invalid UTF-8, rejects it as invalid_utf8', () => {
    expect(lineItem(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 0, ctx).rejected).toBe('invalid_utf8');
    expect(JSON.parse(rejectionItem(9, 'too_large', '20 bytes').json)).toEqual({ o: 9, r: { reason: 'too_large', detail: '20 bytes' } });
  });

  it('given the cap, takes items while the body stays under it, and always takes a first one', () => {
    const item = lineItem(Buffer.from('{"type":"summary","summary":"xxxxxxxxxxxxxxxxxxxx"}'), 0, ctx);
    const cap = 1000;
    const run = new Run(0, itemBudget(cap, ctx));
    while (run.fits(item)) run.add(item, run.end + 10);
    expect(Buffer.byteLength(runMessage(run, ctx).data)).toBeLessThanOrEqual(cap);
    expect(Buffer.byteLength(runMessage(run, ctx).data) + item.bytes + 1).toBeGreaterThan(cap - 32);
    const tiny = new Run(0, 1);
    expect(tiny.fits(item)).toBe(true);
    tiny.add(item, 10);
    expect(tiny.fits(item)).toBe(false);
  });

  it(`given ${MAX_RUN_LINES} lines, starts a new run whatever the bytes`, () => {
    const item = rejectionItem(0, 'not_object');
    const run = new Run(0, 1 << 30);
    for (let i = 0; i < MAX_RUN_LINES; i++) run.add(item, i + 1);
    expect(run.fits(item)).toBe(false);
  });

  it('given a file name with a line break, keeps headers and id on one line', () => {
    const odd = { ...ctx, file: 'proj/a\nb.jsonl' };
    const m = runMessage(runOf(['{"type":"summary"}'], 0, odd), odd);
    expect(m.msgId).not.toMatch(/[\r\n]/);
    expect(m.headers.split('\r\n').filter(Boolean)).toHaveLength(3);
  });
});
