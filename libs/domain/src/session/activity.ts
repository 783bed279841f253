/** Two timestamps more than this far apart are in different activity blocks. */
export const ACTIVITY_GAP_MS = 600_000;

/**
 * Adds a timestamp to sorted, disjoint activity blocks, merging every block it bridges. The
 * result depends only on the set of timestamps, never on their order.
 */
export function addActivity(blocks: [number, number][], ts: number): void {
  let lo = 0;
  let hi = blocks.length;
  // first block whose end + gap reaches ts
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (blocks[mid][1] + ACTIVITY_GAP_MS < ts) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  let first = ts;
  let last = ts;
  while (end < blocks.length && blocks[end][0] - ACTIVITY_GAP_MS <= ts) {
    first = Math.min(first, blocks[end][0]);
    last = Math.max(last, blocks[end][1]);
    end++;
  }
  blocks.splice(lo, end - lo, [first, last]);
}

/** Σ (last − first) over the blocks, in milliseconds. */
export function activeMs(blocks: readonly [number, number][]): number {
  let sum = 0;
  for (const [a, b] of blocks) sum += b - a;
  return sum;
}

/** Active milliseconds between two instants: the blocks' overlap with [from, to]. */
export function activeMsBetween(blocks: readonly [number, number][], from: number, to: number): number {
  let sum = 0;
  for (const [a, b] of blocks) sum += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return sum;
}
