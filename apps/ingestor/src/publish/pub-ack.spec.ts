import { readPubAck } from './pub-ack';

const read = (text: string) => readPubAck(Buffer.from(text));

describe('readPubAck', () => {
  it.each([
    ['{"stream":"CCPULSE_ENTRIES", "seq":1}', 1, false],
    ['{"stream":"CCPULSE_ENTRIES", "seq":123456789,"duplicate": true}', 123456789, true],
    ['{"stream":"S","seq":7}', 7, false],
    ['{"stream":"S","seq":7,"duplicate":true}', 7, true],
    ['{"stream":"T_INGEST_x-1", "seq":42 }', 42, false],
  ])('reads %s', (text, seq, duplicate) => {
    expect(read(text)).toEqual({ ok: true, seq, duplicate });
  });

  it('reads other shapes through JSON: a domain, other field order, duplicate false', () => {
    expect(read('{"stream":"S", "domain":"hub", "seq":5}')).toEqual({ ok: true, seq: 5, duplicate: false });
    expect(read('{"seq":5,"stream":"S"}')).toEqual({ ok: true, seq: 5, duplicate: false });
    expect(read('{"stream":"S","seq":5,"duplicate":false}')).toEqual({ ok: true, seq: 5, duplicate: false });
  });

  it('given an error, reports its description even though it carries a seq', () => {
    const text = '{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 1"},"stream":"S","seq":0}';
    expect(read(text)).toEqual({ ok: false, why: 'wrong last sequence: 1' });
  });

  it.each([
    ['', 'empty PubAck'],
    ['{"stream":"S","seq":', 'PubAck is not JSON'],
    ['{"stream":"S","seq":"1"}', 'PubAck without seq'],
    ['{"stream":"S"}', 'PubAck without seq'],
    ['[1]', 'PubAck without seq'],
    ['null', 'PubAck is not an object'],
  ])('given %j, fails with %s', (text, why) => {
    expect(read(text)).toEqual({ ok: false, why });
  });

  it('given more fields or trailing bytes after the seq, leaves them to JSON.parse', () => {
    expect(read('{"stream":"S","seq":9,"duplicate":true,"x":1}')).toEqual({ ok: true, seq: 9, duplicate: true });
    expect(read('{"stream":"S","seq":9}x')).toEqual({ ok: false, why: 'PubAck is not JSON' });
  });

  it('reads a payload that is a view into a larger buffer', () => {
    const buf = Buffer.from('xx{"stream":"S","seq":3}yy');
    expect(readPubAck(buf.subarray(2, buf.length - 2))).toEqual({ ok: true, seq: 3, duplicate: false });
    const other = Buffer.from('xx{"seq":4}yy');
    expect(readPubAck(new Uint8Array(other.buffer, other.byteOffset + 2, other.length - 4))).toEqual({ ok: true, seq: 4, duplicate: false });
  });
});
