/**
 * NATS `HPUB` protocol frames carrying a `Nats-Msg-Id` header:
 *
 *   HPUB <subject> <reply> <header bytes> <total bytes>\r\nNATS/1.0\r\nNats-Msg-Id: <id>\r\n<more headers>\r\n<data>\r\n
 *
 * the bytes nats.js writes for `publish(subject, data, { headers, reply })`. nats.js builds a
 * headers object, validates and encodes it, encodes the protocol line, and copies four buffers
 * into a fresh outbound buffer for every write; for a stream of small messages that cost as much
 * as parsing the line. The id is validated and trimmed the way nats.js does, so ids are unchanged.
 */
interface FrameParts {
  protocol: string;
  header: string;
  headerBytes: number;
  size: number;
}

/** `more`: further header lines, each `Name: value\r\n`, already free of CR and LF inside. */
function frameParts(subject: string, reply: string, msgId: string, dataBytes: number, more = ''): FrameParts {
  const header = `NATS/1.0\r\nNats-Msg-Id: ${headerValue(msgId)}\r\n${more}\r\n`;
  const headerBytes = Buffer.byteLength(header);
  // Subjects and reply subjects are plain ASCII tokens (validated at config time, sanitised per session).
  const protocol = `HPUB ${subject} ${reply} ${headerBytes} ${headerBytes + dataBytes}\r\n`;
  return { protocol, header, headerBytes, size: protocol.length + headerBytes + dataBytes + 2 };
}

function writeFrame(target: Buffer, at: number, parts: FrameParts, data: string): void {
  target.write(parts.protocol, at, 'latin1');
  target.write(parts.header, at + parts.protocol.length, 'utf8');
  target.write(data, at + parts.protocol.length + parts.headerBytes, 'utf8');
  target[at + parts.size - 2] = 0x0d;
  target[at + parts.size - 1] = 0x0a;
}

/** One frame in a buffer of its own; `data` is UTF-8 encoded. */
export function hpubFrame(subject: string, reply: string, msgId: string, data: string, more = ''): Buffer {
  const parts = frameParts(subject, reply, msgId, Buffer.byteLength(data), more);
  const frame = Buffer.allocUnsafe(parts.size);
  writeFrame(frame, 0, parts, data);
  return frame;
}

const BLOCK_BYTES = 64 * 1024;

/**
 * Frames written back to back into 64 KB blocks; the frames added in one synchronous run go to
 * the connection as one piece, on a microtask (where nats.js flushes too). One piece per write
 * means nats.js does not copy them into a fresh outbound buffer, and blocks are filled to the end
 * across writes: the bytes sent are encoded once, with no per-message buffer.
 */
export class FrameBatch {
  private block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
  /** Bytes of `block` written, and bytes of it already handed to the connection. */
  private used = 0;
  private sent = 0;
  private scheduled = false;

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  /** `dataBytes` is the UTF-8 length of `data`. Throws (queueing nothing) when the id has CR or LF, as nats.js does. */
  add(subject: string, reply: string, msgId: string, data: string, dataBytes: number, more = ''): void {
    const parts = frameParts(subject, reply, msgId, dataBytes, more);
    if (this.used + parts.size > this.block.length) {
      this.flush();
      this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, parts.size));
      this.used = this.sent = 0;
    }
    writeFrame(this.block, this.used, parts, data);
    this.used += parts.size;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Hands the frames not yet sent to the connection. */
  flush(): void {
    this.scheduled = false;
    if (this.used === this.sent) return;
    const piece = this.block.subarray(this.sent, this.used);
    this.sent = this.used;
    this.send(piece);
  }
}

/** A header value as nats.js accepts it: no CR or LF, surrounding whitespace trimmed. */
function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`'header' values cannot contain \\r or \\n`);
  return value.trim();
}
