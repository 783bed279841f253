import { once } from 'node:events';
import type { Writable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyRow, type CopyValue } from './copy-text';

/** Rows are handed to the connection in chunks of about this many characters. */
const CHUNK_CHARS = 256 * 1024;

/**
 * One `COPY … FROM STDIN` on a connection of its own, fed row by row. Rows are gathered into
 * chunks; `ready()` resolves once the server has taken what was written (so reading the stream
 * slows down to what Postgres can load), and `finish()` ends the COPY and waits for the server
 * to confirm it. Any error of the COPY is remembered and thrown by the next `ready()`/`finish()`.
 */
export class CopySink {
  private buffer = '';
  private failure: Error | undefined;
  rows = 0;

  private constructor(
    private readonly client: pg.Client,
    private readonly stream: Writable,
  ) {
    stream.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  static async open(databaseUrl: string, copySql: string): Promise<CopySink> {
    const client = new pg.Client({ connectionString: databaseUrl, options: '-c TimeZone=UTC', keepAlive: true });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return new CopySink(client, client.query(copyFrom(copySql)));
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  add(values: readonly CopyValue[]): void {
    this.buffer += copyRow(values);
    this.rows++;
    if (this.buffer.length >= CHUNK_CHARS) this.flush();
  }

  /** Resolves when the connection has room for more (immediately, mostly); rejects on its error. */
  async ready(): Promise<void> {
    this.throwIfFailed();
    if (this.stream.writableNeedDrain) {
      // `once` rejects on 'error'; the signal takes the listener of the event that did not come off.
      const settled = new AbortController();
      try {
        await Promise.race([once(this.stream, 'drain', { signal: settled.signal }), once(this.stream, 'close', { signal: settled.signal })]);
      } finally {
        settled.abort();
      }
    }
    this.throwIfFailed();
  }

  /** Ends the COPY and waits for the server's confirmation; closes the connection. */
  async finish(): Promise<void> {
    try {
      this.flush();
      this.throwIfFailed();
      const done = once(this.stream, 'finish'); // rejects on 'error'
      this.stream.end();
      await done;
      this.throwIfFailed();
    } finally {
      await this.client.end().catch(() => undefined);
    }
  }

  /** Abandons the COPY (its rows are never committed) and closes the connection. */
  async abort(): Promise<void> {
    this.stream.destroy();
    await this.client.end().catch(() => undefined);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.stream.write(this.buffer);
    this.buffer = '';
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
