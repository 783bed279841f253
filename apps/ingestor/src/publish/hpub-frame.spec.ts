import { headers } from '@nats-io/transport-node';
import { FrameBatch, hpubFrame } from './hpub-frame';

/** The frame nats.js itself writes for `publish(subject, data, { headers, reply })`. */
function natsJsFrame(subject: string, reply: string, msgId: string, payload: string): Buffer {
  const data = Buffer.from(payload);
  const h = headers();
  h.set('Nats-Msg-Id', msgId);
  // `encode` is on nats.js's headers implementation, not on its public interface.
  const hdr = (h as unknown as { encode(): Uint8Array }).encode();
  return Buffer.concat([Buffer.from(`HPUB ${subject} ${reply} ${hdr.length} ${hdr.length + data.length}\r\n`), hdr, data, Buffer.from('\r\n')]);
}

describe('hpubFrame', () => {
  it.each([
    ['an ascii id and payload', 'alice:s-1:u1', '{"v":1}'],
    ['a non-ascii file in the id and payload', 'alice:projé/☃.jsonl:42', '{"file":"projé/☃.jsonl"}'],
    ['an id with surrounding spaces (trimmed like nats.js)', ' alice:s:u ', '{}'],
    ['an empty payload', 'alice:s:u', ''],
  ])('given %s, encodes the bytes nats.js would send', (_what, msgId, payload) => {
    expect(hpubFrame('ccpulse.entries.alice.s-1', '_INBOX.abc.7', msgId, payload)).toEqual(natsJsFrame('ccpulse.entries.alice.s-1', '_INBOX.abc.7', msgId, payload));
  });

  it('refuses an id with CR or LF, as nats.js does', () => {
    expect(() => hpubFrame('s', 'r', 'a\nb', '')).toThrow(/\\r or \\n/);
    expect(() => natsJsFrame('s', 'r', 'a\nb', '')).toThrow();
  });
});

describe('FrameBatch', () => {
  const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('hands the frames of one synchronous run over as one piece, the same bytes as one frame each', async () => {
    const pieces: Buffer[] = [];
    const batch = new FrameBatch((bytes) => pieces.push(Buffer.from(bytes)));
    const frames: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const data = `{"n":${i},"é":"☃"}`;
      batch.add('s.a', `r.${i}`, `id-${i}`, data, Buffer.byteLength(data));
      frames.push(hpubFrame('s.a', `r.${i}`, `id-${i}`, data));
    }
    expect(pieces).toHaveLength(0);
    await flushMicrotasks();
    expect(pieces).toEqual([Buffer.concat(frames)]);
    batch.add('s.b', 'r.9', 'id-9', '{}', 2);
    await flushMicrotasks();
    expect(pieces[1]).toEqual(hpubFrame('s.b', 'r.9', 'id-9', '{}'));
  });

  it('given frames past a block and one larger than a block, sends every byte once and in order', async () => {
    const pieces: Buffer[] = [];
    const batch = new FrameBatch((bytes) => pieces.push(Buffer.from(bytes)));
    const frames: Buffer[] = [];
    const sizes = [30_000, 30_000, 30_000, 200_000, 10];
    sizes.forEach((n, i) => {
      const data = String.fromCharCode(0x61 + i).repeat(n);
      batch.add('s', `r.${i}`, `id-${i}`, data, n);
      frames.push(hpubFrame('s', `r.${i}`, `id-${i}`, data));
    });
    await flushMicrotasks();
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces)).toEqual(Buffer.concat(frames));
  });

  it('queues nothing for an id nats.js would refuse', async () => {
    const pieces: Buffer[] = [];
    const batch = new FrameBatch((bytes) => pieces.push(Buffer.from(bytes)));
    expect(() => batch.add('s', 'r', 'a\rb', 'x', 1)).toThrow();
    await flushMicrotasks();
    expect(pieces).toHaveLength(0);
  });
});
