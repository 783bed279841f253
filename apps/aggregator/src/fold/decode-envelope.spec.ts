import { decodeEnvelope } from './decode-envelope';

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
