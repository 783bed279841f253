/** Most callers remembered at once; beyond it, full buckets (idle callers) are dropped first. */
const MAX_CALLERS = 10_000;

export interface RequestRateLimiterOptions {
  now?: () => number;
  /** Called once when a caller starts being refused, and again only after it was let through (for the log). */
  onLimited?: (caller: string) => void;
}

/**
 * Requests per caller (a token, or an address when there is none) as token buckets: each caller
 * may send `burst` requests at once and `perMinute` a minute after that. Keeps one token from
 * starving the others, over GraphQL (HTTP and WebSocket) and the CSV export alike: they share one
 * instance, so one allowance per caller.
 */
export class RequestRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; refused: boolean }>();
  private readonly perMs: number;
  private readonly now: () => number;
  private readonly onLimited: (caller: string) => void;

  constructor(
    perMinute: number,
    private readonly burst: number,
    options: RequestRateLimiterOptions = {},
  ) {
    this.perMs = perMinute / 60_000;
    this.now = options.now ?? Date.now;
    this.onLimited = options.onLimited ?? (() => undefined);
  }

  /** Takes one request from `caller`'s allowance: 0 when it may go now, else ms until it may. */
  take(caller: string): number {
    const now = this.now();
    let b = this.buckets.get(caller);
    if (!b) {
      if (this.buckets.size >= MAX_CALLERS) this.prune(now);
      b = { tokens: this.burst, at: now, refused: false };
      this.buckets.set(caller, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.refused = false;
      return 0;
    }
    if (!b.refused) {
      b.refused = true;
      this.onLimited(caller);
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
