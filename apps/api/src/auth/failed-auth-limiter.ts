/** Most addresses remembered at once; beyond it, finished windows are dropped first. */
const MAX_ADDRESSES = 10_000;

/**
 * Failed sign-ins per client address in fixed windows: once an address has failed `max` times in
 * a window, every further attempt from it is refused until the window ends, without looking at
 * the token. Tokens are 256 random bits, so this does not protect them from guessing; it keeps a
 * guessing client from costing a database lookup per try and makes it visible.
 */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `address` may try again; 0 when it may try now. */
  retryAfterMs(address: string): number {
    const w = this.windows.get(address);
    if (!w) return 0;
    const left = w.start + this.windowMs - this.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return w.failures >= this.max ? left : 0;
  }

  /** Counts one failed attempt; returns true when this failure used up the address's allowance. */
  recordFailure(address: string): boolean {
    const now = this.now();
    let w = this.windows.get(address);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= MAX_ADDRESSES) this.prune(now);
      w = { start: now, failures: 0 };
      this.windows.set(address, w);
    }
    w.failures += 1;
    return w.failures === this.max;
  }

  get size(): number {
    return this.windows.size;
  }

  private prune(now: number): void {
    for (const [address, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(address);
    // Still full of live windows (many addresses at once): forget the oldest rather than grow.
    while (this.windows.size >= MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
  }
}
