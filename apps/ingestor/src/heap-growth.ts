import { setFlagsFromString } from 'node:v8';

/** How much V8 may grow the old generation between full collections, in % of what survived. */
const HEAP_GROWING_PERCENT = 50;

/**
 * Keeps the ingestor's heap close to its live size. Its in-flight messages live until their
 * PubAck, longer than the few milliseconds between young-generation collections at backfill
 * speed, so about a publish window of them is promoted at every scavenge and dies soon after.
 * With V8's default growth (up to 4× the live size while allocation is fast) that garbage grew
 * the heap by tens of MB on a large backfill; growing by at most half the live size bounds it
 * for about 8 % more CPU (bench/results/profiles.md). Set at run time, so it holds however
 * the ingestor is started (`npx ccpulse ingest`, `ccpulse start`, the Docker image); V8 reads it
 * at each full collection. Unlike a heap cap it never makes a large line run out of memory.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
