import { decodeEnvelope, userOfSubject } from './decode-envelope';

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const entry = { type: 'user', kind: 'user', isSidechain: false, isMeta: false, isCompactSummary: false, toolUses: [], toolResults: [], commands: [], isPrompt: true };

describe('decodeEnvelope', () => {
  it('accepts a v1 envelope with an entry', () => {
    const d = decodeEnvelope(bytes({ v: 1, user: 'alice', host: 'h', file: 'p/s.jsonl', offset: 0, entry }));
    expect(d.ok).toBe(true);
  });

  it('turns bad input into typed rejections, never throwing', () => {
    expect(decodeEnvelope(bytes('{nope'))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(decodeEnvelope(new Uint8Array([0xff, 0xfe]))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(decodeEnvelope(bytes([1, 2]))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(decodeEnvelope(bytes({ v: 2, user: 'a', file: 'f', offset: 0, entry }))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(decodeEnvelope(bytes({ v: 1, user: 'a b', file: 'f', offset: 0, entry }))).toMatchObject({ ok: false, reason: 'bad_envelope' });
    expect(decodeEnvelope(bytes({ v: 1, user: 'a', file: 'f', offset: 0, entry: { ...entry, toolUses: 3 } }))).toMatchObject({ ok: false });
  });

  it("keeps the ingestor's own rejection reason and where the line was", () => {
    const d = decodeEnvelope(bytes({ v: 1, user: 'alice', host: 'h', file: 'f.jsonl', offset: 42, rejected: { reason: 'malformed_json', detail: 'x' } }));
    expect(d).toEqual({ ok: false, reason: 'malformed_json', detail: 'x', envelope: { user: 'alice', file: 'f.jsonl', offset: 42 } });
  });
});

describe('the publishing subject decides the user', () => {
  const body = (user: string) =>
    new TextEncoder().encode(JSON.stringify({ v: 1, user, host: 'h', file: 'p/s.jsonl', offset: 0, entry: { type: 'user', kind: 'user', toolUses: [], toolResults: [], commands: [] } }));

  it('accepts an envelope whose user is the subject user', () => {
    expect(decodeEnvelope(body('alice'), 'ccpulse.entries.alice.s1').ok).toBe(true);
  });

  it('refuses an envelope claiming another user than its subject', () => {
    expect(decodeEnvelope(body('bob'), 'ccpulse.entries.alice.s1')).toMatchObject({ ok: false, reason: 'user_mismatch' });
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
