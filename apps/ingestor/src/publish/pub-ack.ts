/** What JetStream answered for one publish: its stream sequence, or why it was not stored. */
export type PubAckReply = { ok: true; seq: number; duplicate: boolean } | { ok: false; why: string };

const OPEN = Buffer.from('{"stream":"');
const SEQ = Buffer.from('"seq"');
const DUPLICATE = Buffer.from('"duplicate"');
const TRUE = Buffer.from('true');

/**
 * Reads a PubAck payload. The server writes the common answers as `{"stream":"S", "seq":N}` and
 * `{"stream":"S", "seq":N,"duplicate": true}` (2.9; whitespace varies between versions); those
 * are read from the bytes, with no string decoded and no object built — there is one PubAck per
 * published line. Anything else (an error, a domain, other fields or order) goes through
 * `JSON.parse`, so an unexpected shape is never misread.
 */
export function readPubAck(data: Uint8Array): PubAckReply {
  return readCommonPubAck(data) ?? readAnyPubAck(data);
}

function readCommonPubAck(data: Uint8Array): PubAckReply | undefined {
  const at = new Cursor(data);
  if (!at.literal(OPEN)) return undefined;
  while (at.i < data.length && isNameByte(data[at.i])) at.i++;
  if (!at.char(0x22) || !at.char(0x2c) || !at.literal(SEQ) || !at.char(0x3a)) return undefined;
  at.space();
  const seq = at.integer();
  if (seq === undefined) return undefined;
  let duplicate = false;
  if (at.char(0x2c)) {
    if (!at.literal(DUPLICATE) || !at.char(0x3a) || !at.literal(TRUE)) return undefined;
    duplicate = true;
  }
  return at.char(0x7d) && at.atEnd() ? { ok: true, seq, duplicate } : undefined;
}

/** A position in the payload; each step skips the JSON whitespace before what it expects. */
class Cursor {
  i = 0;
  constructor(private readonly data: Uint8Array) {}

  space(): void {
    while (this.i < this.data.length && (this.data[this.i] === 0x20 || this.data[this.i] === 0x09 || this.data[this.i] === 0x0a || this.data[this.i] === 0x0d)) this.i++;
  }

  char(c: number): boolean {
    this.space();
    if (this.data[this.i] !== c) return false;
    this.i++;
    return true;
  }

  literal(bytes: Uint8Array): boolean {
    this.space();
    if (this.i + bytes.length > this.data.length) return false;
    for (let j = 0; j < bytes.length; j++) if (this.data[this.i + j] !== bytes[j]) return false;
    this.i += bytes.length;
    return true;
  }

  /** A non-negative safe integer. */
  integer(): number | undefined {
    const from = this.i;
    let n = 0;
    while (this.i < this.data.length && this.data[this.i] >= 0x30 && this.data[this.i] <= 0x39) n = n * 10 + (this.data[this.i++] - 0x30);
    return this.i === from || this.i - from > 15 ? undefined : n;
  }

  atEnd(): boolean {
    this.space();
    return this.i === this.data.length;
  }
}

function readAnyPubAck(data: Uint8Array): PubAckReply {
  if (data.length === 0) return { ok: false, why: 'empty PubAck' };
  let ack: { seq?: unknown; duplicate?: unknown; error?: { description?: string } } | null;
  try {
    ack = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8'));
  } catch {
    return { ok: false, why: 'PubAck is not JSON' };
  }
  if (ack === null || typeof ack !== 'object') return { ok: false, why: 'PubAck is not an object' };
  if (ack.error) return { ok: false, why: ack.error.description ?? 'PubAck error' };
  if (typeof ack.seq !== 'number') return { ok: false, why: 'PubAck without seq' };
  return { ok: true, seq: ack.seq, duplicate: ack.duplicate === true };
}

/** Stream names are plain (`[A-Za-z0-9_-]`, checked at config time); anything else takes the JSON path. */
function isNameByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}
