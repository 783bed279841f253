/** Most callers remembered at once; beyond it, full buckets (idle callers) are dropped first. */
const MAX_CALLERS = 10_000;

/**
 * Requests per caller (a token, or an address when there is none) as token buckets: each caller
 * may send `burst` requests at once and `perMinute` a minute after that. Keeps one token from
 * starving the others, over HTTP and over a WebSocket alike.
 */
export class RequestRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one request from `caller`'s allowance: 0 when it may go now, else ms until it may. */
  take(caller: string): number {
    const now = this.now();
    let b = this.buckets.get(caller);
    if (!b) {
      if (this.buckets.size >= MAX_CALLERS) this.prune(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(caller, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.perMs);
  }

  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    for (const [caller, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(caller);
    while (this.buckets.size >= MAX_CALLERS) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
