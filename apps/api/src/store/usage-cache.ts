import type { UpdatedNotice } from '@ccpulse/domain';
import type { UsageQuery, UsageRowRecord } from '@ccpulse/db';

const DAY_MS = 86_400_000;

/** What an answer could have read: UTC instants widened by a day on each side for any time zone, and its users. */
interface Scope {
  fromMs: number;
  toMs: number;
  users?: Set<string>;
}

interface Entry extends Scope {
  rows: UsageRowRecord[];
  at: number;
}

/** A query under way; `stale` once a commit it may not have seen touched its scope. */
interface Flight extends Scope {
  rows: Promise<UsageRowRecord[]>;
  stale: boolean;
}

function scopeOf(q: UsageQuery): Scope {
  return {
    fromMs: Date.parse(`${q.from}T00:00:00Z`) - DAY_MS,
    toMs: Date.parse(`${q.to}T00:00:00Z`) + 2 * DAY_MS,
    users: q.users ? new Set(q.users) : undefined,
  };
}

/**
 * Recent `usage` answers, dropped as soon as the aggregator announces a commit that touches one
 * of their users on one of their days (the same notices that drive subscriptions), and after
 * `ttlMs` regardless — so a notice lost on core NATS costs at most `ttlMs` of staleness.
 * Dashboards ask the same few questions over and over; between commits the answer is the same.
 *
 * Concurrent misses of one key share one query (`load`): with commits arriving several times a
 * second, every invalidation would otherwise send each waiting dashboard's identical query to
 * PostgreSQL at once. An answer whose query was under way when a commit touched it is returned
 * to its callers but not kept, since it may predate that commit.
 */
export class UsageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  key(schema: string, q: UsageQuery): string {
    return JSON.stringify([schema, q.from, q.to, q.timeZone, q.groupBy, q.users ?? null, q.projects ?? null, q.maxRows, q.totals ?? null]);
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
    this.entries.set(key, { ...scopeOf(q), rows, at: now });
  }

  /** The cached answer, else the one query under way for this key, else a new one (`query`). */
  async load(key: string, q: UsageQuery, query: () => Promise<UsageRowRecord[]>): Promise<UsageRowRecord[]> {
    const hit = this.get(key);
    if (hit) return hit;
    const running = this.flights.get(key);
    if (running) return running.rows;
    const flight: Flight = { ...scopeOf(q), rows: query(), stale: false };
    this.flights.set(key, flight);
    try {
      const rows = await flight.rows;
      if (!flight.stale) this.set(key, q, rows);
      return rows;
    } finally {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    }
  }

  /** Drops every answer a commit may have changed; queries under way for them are not kept, and the next caller starts afresh. */
  invalidate(n: UpdatedNotice): void {
    if (n.syncOnly) return; // a heartbeat: no usage changed
    const users = new Set([n.user, ...(n.users ?? [])]);
    const days = n.days.map((d) => Date.parse(`${d}T00:00:00Z`)).filter((t) => !Number.isNaN(t));
    const touched = (s: Scope) =>
      (!s.users || [...users].some((u) => s.users!.has(u))) && (days.length === 0 || days.some((t) => t + DAY_MS > s.fromMs && t < s.toMs));
    for (const [key, e] of this.entries) if (touched(e)) this.entries.delete(key);
    for (const [key, f] of this.flights) {
      if (!touched(f)) continue;
      f.stale = true;
      this.flights.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
