import { decodeMessage, linePosition, userOfSubject } from './decode-envelope';

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const entry = { type: 'user', kind: 'user', isSidechain: false, isMeta: false, isCompactSummary: false, toolUses: [], toolResults: [], commands: [], isPrompt: true };
const run = (lines: unknown[], over: object = {}) => bytes({ v: 2, user: 'alice', host: 'h', file: 'p/s.jsonl', start: 10, end: 500, lines, ...over });

describe('decodeMessage', () => {
  it('given a v1 envelope with an entry, gives its one line', () => {
    const d = decodeMessage(bytes({ v: 1, user: 'alice', host: 'h', file: 'p/s.jsonl', offset: 7, entry }));
    expect(d).toEqual([{ ok: true, index: 0, line: { user: 'alice', host: 'h', file: 'p/s.jsonl', offset: 7, entry } }]);
  });

  it('given a v2 run, gives each line in order at its offset, rejections included', () => {
    const d = decodeMessage(run([{ o: 10, e: entry }, { o: 40, r: { reason: 'malformed_json', detail: 'x' } }, { o: 90, e: { ...entry, uuid: 'u3' } }]));
    expect(d).toEqual([
      { ok: true, index: 0, line: { user: 'alice', host: 'h', file: 'p/s.jsonl', offset: 10, entry } },
      { ok: false, index: 1, reason: 'malformed_json', detail: 'x', origin: { user: 'alice', file: 'p/s.jsonl', offset: 40 } },
      { ok: true, index: 2, line: expect.objectContaining({ offset: 90, entry: expect.objectContaining({ uuid: 'u3' }) }) },
    ]);
  });

  it('given a bad line in a run, rejects that line only', () => {
    const d = decodeMessage(run([{ o: 10, e: { ...entry, toolUses: 3 } }, { o: 9 }, { o: 600, e: entry }, 'x', { o: 20, e: entry }]));
    expect(d.map((l) => (l.ok ? 'ok' : l.reason))).toEqual(['bad_envelope', 'bad_envelope', 'bad_envelope', 'bad_envelope', 'ok']);
    expect(d.map((l) => l.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('turns bad input into typed rejections of the whole message, never throwing', () => {
    const whole = (data: Uint8Array) => {
      const d = decodeMessage(data);
      expect(d).toHaveLength(1);
      return d[0];
    };
    expect(whole(bytes('{nope'))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(whole(new Uint8Array([0xff, 0xfe]))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(whole(bytes([1, 2]))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(whole(bytes({ v: 3, user: 'a', file: 'f', offset: 0, entry }))).toMatchObject({ ok: false, reason: 'bad_envelope', detail: 'unsupported envelope version 3' });
    expect(whole(bytes({ v: 1, user: 'a b', file: 'f', offset: 0, entry }))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(whole(bytes({ v: 1, user: 'a', file: 'f', offset: 0, entry: { ...entry, toolUses: 3 } }))).toMatchObject({ ok: false });
    expect(whole(run([], { end: 5 }))).toMatchObject({ ok: false, reason: 'bad_envelope', origin: { user: 'alice', file: 'p/s.jsonl', offset: 10 } });
    expect(whole(run([], { lines: 'x' }))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(whole(run(new Array(4097).fill({ o: 10, e: entry })))).toMatchObject({ ok: false, reason: 'bad_envelope' });
  });

  it("keeps the ingestor's own rejection reason and where the line was", () => {
    const d = decodeMessage(bytes({ v: 1, user: 'alice', host: 'h', file: 'f.jsonl', offset: 42, rejected: { reason: 'malformed_json', detail: 'x' } }));
    expect(d).toEqual([{ ok: false, index: 0, reason: 'malformed_json', detail: 'x', origin: { user: 'alice', file: 'f.jsonl', offset: 42 } }]);
  });
});

describe('a line position', () => {
  it('is unique per line and follows stream order, also past rows that hold the bare sequence', () => {
    const order = [
      [1, 0],
      [1, 1],
      [1, 4095],
      [2, 0],
      [2, 7],
      [2 ** 32, 0],
    ].map(([seq, index]) => linePosition(seq, index));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
    // A row folded from a v1 message before positions existed holds its sequence s: every later message sorts after it.
    expect(linePosition(1001, 0)).toBeGreaterThan(1000);
    expect(Number.isSafeInteger(linePosition(2 ** 41 - 1, 4095))).toBe(true);
  });
});

describe('the publishing subject decides the user', () => {
  const body = (user: string) => bytes({ v: 1, user, host: 'h', file: 'p/s.jsonl', offset: 0, entry: { type: 'user', kind: 'user', toolUses: [], toolResults: [], commands: [] } });

  it('accepts an envelope whose user is the subject user', () => {
    expect(decodeMessage(body('alice'), 'ccpulse.entries.alice.s1')[0].ok).toBe(true);
    expect(decodeMessage(run([{ o: 10, e: entry }]), 'ccpulse.entries.alice.s1')[0].ok).toBe(true);
  });

  it('refuses an envelope claiming another user than its subject, a run as a whole', () => {
    expect(decodeMessage(body('bob'), 'ccpulse.entries.alice.s1')).toMatchObject([{ ok: false, reason: 'user_mismatch' }]);
    expect(decodeMessage(run([{ o: 10, e: entry }, { o: 20, e: entry }]), 'ccpulse.entries.bob.s1')).toMatchObject([{ ok: false, reason: 'user_mismatch' }]);
  });

  it('reads the user token of entries subjects only', () => {
    expect(userOfSubject('t1.entries.carol._')).toBe('carol');
    expect(userOfSubject('ccpulse.heartbeat.carol')).toBeUndefined();
    expect(userOfSubject('org.team.entries.dave.s-1')).toBe('dave');
    expect(userOfSubject('entries.dave.s1')).toBeUndefined();
    expect(userOfSubject('t1.entries.carol')).toBeUndefined();
    expect(userOfSubject('t1.other.carol.s1')).toBeUndefined();
  });
});
