import { toLineMessage, type LineContext } from './line-message';

const ctx: LineContext = {
  user: 'alice',
  host: 'box',
  file: 'proj/0b1c-session.jsonl',
  content: 'slim',
  subjectPrefix: 'ccpulse',
  maxLineBytes: 1024,
};

describe('toLineMessage', () => {
  it('given a line with a uuid, uses <user>:<session>:<uuid> and leaves no prompt text in the payload', () => {
    const raw = JSON.stringify({ type: 'user', uuid: 'u1', sessionId: 's-1', message: { role: 'user', content: 'top secret' } });
    const m = toLineMessage(Buffer.from(raw), 42, ctx);
    expect(m.msgId).toBe('alice:s-1:u1');
    expect(m.subject).toBe('ccpulse.entries.alice.s-1');
    expect(m.rejected).toBeUndefined();
    const body = JSON.parse(Buffer.from(m.data).toString());
    expect(body).toMatchObject({ v: 1, user: 'alice', host: 'box', file: ctx.file, offset: 42 });
    expect(Buffer.from(m.data).toString()).not.toContain('top secret');
  });

  it('given INGEST_CONTENT=full, keeps the content', () => {
    const raw = JSON.stringify({ type: 'user', uuid: 'u1', sessionId: 's-1', message: { role: 'user', content: 'top secret' } });
    expect(Buffer.from(toLineMessage(Buffer.from(raw), 0, { ...ctx, content: 'full' }).data).toString()).toContain('top secret');
  });

  it('given a line without uuid, keys it by file and offset, on the session of the file', () => {
    const m = toLineMessage(Buffer.from('{"type":"summary","summary":"x"}'), 7, { ...ctx, subjectPrefix: 'tx' });
    expect(m.msgId).toBe('alice:proj/0b1c-session.jsonl:7');
    expect(m.subject).toBe('tx.entries.alice.0b1c-session');
  });

  it.each([
    ['{"type":', 'malformed_json'],
    ['[1,2]', 'not_object'],
  ])('given %s, publishes a rejection (%s) keyed by file and offset', (raw, reason) => {
    const m = toLineMessage(Buffer.from(raw), 3, ctx);
    expect(m.rejected).toBe(reason);
    expect(m.msgId).toBe('alice:proj/0b1c-session.jsonl:3');
    const body = JSON.parse(Buffer.from(m.data).toString());
    expect(body.entry).toBeUndefined();
    expect(body.rejected.reason).toBe(reason);
  });

  it('given invalid UTF-8, rejects it as invalid_utf8', () => {
    expect(toLineMessage(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 0, ctx).rejected).toBe('invalid_utf8');
  });
});
