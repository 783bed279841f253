/**
 * The parse limit, run as its own process: every file read in 1 MB chunks, split on `\n` in
 * Buffers, each non-blank line handed to `JSON.parse` — nothing else. Prints one JSON object
 * `{ bytes, lines, seconds }` (seconds measured inside, without Node's start-up).
 *
 *   node dist/bench/full/parse-limit.js <projects dir>
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { listJsonl } from './corpus.generator';

const CHUNK = 1024 * 1024;

export function parseAll(dir: string): { bytes: number; lines: number; seconds: number; sink: number } {
  const t0 = performance.now();
  let bytes = 0;
  let lines = 0;
  let sink = 0;
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const file of listJsonl(dir)) {
    const fd = openSync(file, 'r');
    let carry: Buffer | undefined;
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        bytes += n;
        const data = carry ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
        let start = 0;
        for (let nl = data.indexOf(10); nl !== -1; start = nl + 1, nl = data.indexOf(10, start)) {
          if (nl === start) continue;
          lines++;
          try {
            sink += JSON.parse(data.toString('utf8', start, nl)) ? 1 : 0;
          } catch {
            sink--;
          }
        }
        carry = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
      }
      if (carry?.length) {
        lines++;
        try {
          JSON.parse(carry.toString('utf8'));
        } catch {
          sink--;
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  return { bytes, lines, seconds: (performance.now() - t0) / 1000, sink };
}

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(parseAll(process.argv[2]))}\n`);
}
