import type { Kysely } from 'kysely';
import {
  type Database,
  assertMigrated,
  createUser,
  encodeSessionCursor,
  findUserByToken,
  getUser,
  hashToken,
  liveSchema,
  markOnboarded,
  queryActivity,
  queryCostBetween,
  queryHomeStats,
  queryMessages,
  queryOutcomes,
  queryPluginDaily,
  querySession,
  querySessionMessages,
  querySessions,
  queryTeam,
  queryToolDaily,
  queryToolDecisions,
  queryUnpricedTokens,
  queryUsage,
} from '@ccpulse/db';
import type { ApiStore, StoreReadiness, UserRecord } from './api-store';
import { toSessionRecord } from './session-record';
import type { UsageCache } from './usage-cache';
import { withDecisions } from './with-decisions';

function toUser(u: { name: string; role: 'member' | 'admin'; onboarded: boolean; lastSyncAt: Date | null }): UserRecord {
  return { name: u.name, role: u.role, onboarded: u.onboarded, lastSyncAt: u.lastSyncAt };
}

const SCHEMA_TTL_MS = 1000;
const TOKEN_CACHE_MAX = 10_000;

/**
 * The API's reads over Postgres: the read models' queries of libs/db, with the API's caches and
 * shapes around them. The live projection schema is looked up at most once a second
 * (a replay swap is rare, and a second of the old schema is harmless).
 */
export function createPgApiStore(db: Kysely<Database>, options: { tokenCacheMs?: number; usageCache?: UsageCache } = {}): ApiStore {
  // Token → user for a few seconds: every request is authenticated, and libs/db's lookup also
  // stamps last_used_at (a write). A revoked token keeps working for at most this long.
  // Concurrent misses of one token share one lookup: when the entry expires under load, each
  // request's own UPDATE of the same token row would queue on its row lock and commit.
  // Both maps are keyed by the token's sha256, never the token: no plaintext token stays in
  // memory, and looking one up compares hashes, not the secret itself.
  const tokenCacheMs = options.tokenCacheMs ?? 5000;
  const tokens = new Map<string, { user: UserRecord | undefined; at: number }>();
  const lookups = new Map<string, Promise<UserRecord | undefined>>();
  const lookUp = async (token: string, key: string, now: number): Promise<UserRecord | undefined> => {
    try {
      const u = await findUserByToken(db, token);
      const user = u ? toUser(u) : undefined;
      if (tokenCacheMs > 0 && user) {
        if (tokens.size >= TOKEN_CACHE_MAX) tokens.clear();
        tokens.set(key, { user, at: now });
      }
      return user;
    } finally {
      lookups.delete(key);
    }
  };
  let cached: { schema: string; at: number } | undefined;
  const schema = async (): Promise<string> => {
    const now = Date.now();
    if (cached && now - cached.at < SCHEMA_TTL_MS) return cached.schema;
    cached = { schema: await liveSchema(db), at: now };
    return cached.schema;
  };

  return {
    async findUserByToken(token) {
      const now = Date.now();
      const key = hashToken(token);
      const hit = tokens.get(key);
      if (hit && now - hit.at < tokenCacheMs) return hit.user;
      let pending = lookups.get(key);
      if (!pending) {
        pending = lookUp(token, key, now);
        lookups.set(key, pending);
      }
      return pending;
    },
    async getUser(name) {
      const u = await getUser(db, name);
      return u ? toUser(u) : undefined;
    },
    async markOnboarded(name, roleIfNew) {
      if (!(await getUser(db, name))) await createUser(db, name, roleIfNew);
      await markOnboarded(db, name);
      return toUser((await getUser(db, name))!);
    },
    async homeStats(user, since, until) {
      return queryHomeStats(db, await schema(), { user, since, until });
    },
    async usage(q) {
      const s = await schema();
      const cache = options.usageCache;
      if (!cache) return queryUsage(db, s, q);
      return cache.load(cache.key(s, q), q, () => queryUsage(db, s, q));
    },
    async sessions(q) {
      if (q.users && q.users.length !== 1) throw new Error('the sessions page filters by at most one user');
      const page = await querySessions(db, await schema(), {
        user: q.users?.[0],
        project: q.project,
        model: q.model,
        from: q.from,
        to: q.to,
        limit: q.first,
        after: q.after,
        order: q.order,
      });
      const rows = page.items.map(toSessionRecord);
      // libs/db issues the exact (microsecond) cursor of the page's end; inner edges get one
      // in the same format at millisecond precision.
      const order = q.order ?? 'lastActive';
      const cursors = rows.map((r, i) =>
        i === rows.length - 1 && page.nextCursor ? page.nextCursor : encodeSessionCursor((order === 'lastActive' ? r.endedAt : r.startedAt)?.toISOString() ?? '-infinity', r.id, order),
      );
      return { rows, cursors, hasNextPage: page.nextCursor !== null };
    },
    async session(id) {
      const row = await querySession(db, await schema(), id);
      return row ? toSessionRecord(row) : undefined;
    },
    async sessionMessages(id, limit) {
      return querySessionMessages(db, await schema(), id, limit);
    },
    async unpricedTokens(ids) {
      if (!ids.length) return new Map();
      return queryUnpricedTokens(db, await schema(), ids);
    },
    async messages(q) {
      return queryMessages(db, await schema(), q);
    },
    async costBetween(q) {
      return queryCostBetween(db, await schema(), q);
    },
    async toolDaily(q) {
      const s = await schema();
      return withDecisions(await queryToolDaily(db, s, q), await queryToolDecisions(db, s, q));
    },
    async pluginDaily(q) {
      return queryPluginDaily(db, await schema(), q);
    },
    async team(q) {
      return queryTeam(db, await schema(), q);
    },
    async activity(q) {
      return queryActivity(db, await schema(), q);
    },
    async usageOutcomes(q) {
      return queryOutcomes(db, await schema(), q);
    },
    async readiness(): Promise<StoreReadiness> {
      try {
        await assertMigrated(db);
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
      return { ok: true };
    },
    async close() {
      await db.destroy();
    },
  };
}
