import type { UpdatedNotice } from '@ccpulse/domain';

const MAX_KEYS = 100;

/** One or more commit notices merged for one subscriber: what a coalesced event stands for. */
export interface NoticeBatch {
  users: string[];
  sessions: string[];
  days: string[];
  seq: number;
  /** Commit time of the oldest merged notice: push latency is measured from it (worst case). */
  firstCommittedAt: number;
  lastCommittedAt: number;
  notices: number;
}

export function batchOf(n: UpdatedNotice): NoticeBatch {
  const users = new Set<string>([n.user, ...(n.users ?? [])]);
  return {
    users: [...users],
    sessions: [...new Set(n.sessions)].slice(0, MAX_KEYS),
    days: [...new Set(n.days)].slice(0, MAX_KEYS),
    seq: n.seq,
    firstCommittedAt: n.committedAt,
    lastCommittedAt: n.committedAt,
    notices: 1,
  };
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].slice(0, MAX_KEYS);
}

/** Merges a newer batch into an older one; key sets stay capped so a merge is bounded too. */
export function mergeBatches(older: NoticeBatch, newer: NoticeBatch): NoticeBatch {
  return {
    users: union(older.users, newer.users),
    sessions: union(older.sessions, newer.sessions),
    days: union(older.days, newer.days),
    seq: Math.max(older.seq, newer.seq),
    firstCommittedAt: Math.min(older.firstCommittedAt, newer.firstCommittedAt),
    lastCommittedAt: Math.max(older.lastCommittedAt, newer.lastCommittedAt),
    notices: older.notices + newer.notices,
  };
}

/** Parses a notice off the wire; anything malformed is a rejection value, never a throw. */
export function parseNotice(data: Uint8Array): { ok: true; notice: UpdatedNotice } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return { ok: false, reason: 'malformed_json' };
  }
  if (!v || typeof v !== 'object') return { ok: false, reason: 'not_object' };
  const o = v as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (typeof o.user !== 'string') return { ok: false, reason: 'user' };
  if (o.sessions !== undefined && !strings(o.sessions)) return { ok: false, reason: 'sessions' };
  if (o.days !== undefined && !strings(o.days)) return { ok: false, reason: 'days' };
  if (o.users !== undefined && !strings(o.users)) return { ok: false, reason: 'users' };
  return {
    ok: true,
    notice: {
      v: 1,
      user: o.user,
      sessions: (o.sessions as string[] | undefined) ?? [],
      days: (o.days as string[] | undefined) ?? [],
      users: (o.users as string[] | undefined) ?? [o.user],
      seq: typeof o.seq === 'number' ? o.seq : 0,
      committedAt: typeof o.committedAt === 'number' ? o.committedAt : Date.now(),
      ...(o.syncOnly === true ? { syncOnly: true as const } : {}),
    },
  };
}
