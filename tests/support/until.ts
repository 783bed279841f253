/**
 * The one poll-until for the e2e, full-chain, fault and bench harnesses: tests wait on child
 * processes, PostgreSQL and NATS, none of which can push "done", so they poll with a deadline and
 * a timeout message that says what was awaited and why it never came.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How {@link until} polls and what it adds to its timeout message. */
export interface UntilOptions {
  /** Pause between probes; 200 ms unless a caller measures latency and needs finer steps. */
  everyMs?: number;
  /** Extra context for the timeout message, e.g. the recent output of the processes involved. */
  explain?: () => string;
  /** Gives up at once when this turns false (the process being waited on has exited). */
  alive?: () => boolean;
}

/**
 * Polls `probe` until it yields a value other than `undefined` or `false` and returns that value.
 * A throwing probe counts as "not yet" (a server still starting refuses connections); its last
 * error is quoted when the deadline passes.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  options: UntilOptions = {},
): Promise<T> {
  const { everyMs = 200, explain, alive } = options;
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    const gone = alive !== undefined && !alive();
    if (gone || Date.now() >= end) {
      const why = gone ? 'gave up (the process exited)' : `timed out after ${timeoutMs} ms`;
      const cause = last ? ` (last error: ${(last as Error).message})` : '';
      const context = explain ? `\n${explain()}` : '';
      throw new Error(`${why} waiting for ${what}${cause}${context}`);
    }
    await sleep(everyMs);
  }
}
