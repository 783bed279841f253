import type { UpdatedNotice } from '@ccpulse/domain';
import type { UsageQuery, UsageRowRecord } from './api-store';

const DAY_MS = 86_400_000;

interface Entry {
  rows: UsageRowRecord[];
  at: number;
  /** UTC instants the query could read, widened by a day on each side for any time zone. */
  fromMs: number;
  toMs: number;
  users?: Set<string>;
}

/**
 * Recent `usage` answers, dropped as soon as the aggregator announces a commit that touches one
 * of their users on one of their days (the same notices that drive subscriptions), and after
 * `ttlMs` regardless — so a notice lost on core NATS costs at most `ttlMs` of staleness.
 * Dashboards ask the same few questions over and over; between commits the answer is the same.
 */
export class UsageCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  key(schema: string, q: UsageQuery): string {
    return JSON.stringify([schema, q.from, q.to, q.timeZone, q.groupBy, q.users ?? null, q.projects ?? null, q.maxRows]);
  }

  get(key: string, now = Date.now()): UsageRowRecord[] | undefined {
    const e = this.entries.get(key);
    if (!e || now - e.at >= this.ttlMs) {
      if (e) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return e.rows;
  }

  set(key: string, q: UsageQuery, rows: UsageRowRecord[], now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, {
      rows,
      at: now,
      fromMs: Date.parse(`${q.from}T00:00:00Z`) - DAY_MS,
      toMs: Date.parse(`${q.to}T00:00:00Z`) + 2 * DAY_MS,
      users: q.users ? new Set(q.users) : undefined,
    });
  }

  /** Drops every answer a commit may have changed. */
  invalidate(n: UpdatedNotice): void {
    const users = new Set([n.user, ...(n.users ?? [])]);
    const days = n.days.map((d) => Date.parse(`${d}T00:00:00Z`)).filter((t) => !Number.isNaN(t));
    for (const [key, e] of this.entries) {
      if (e.users && ![...users].some((u) => e.users!.has(u))) continue;
      if (days.length === 0 || days.some((t) => t + DAY_MS > e.fromMs && t < e.toMs)) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
