import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Database, assertMigrated, liveSchema } from '@ccpulse/db';
import type { ApiStore, MessageRecord, PluginDayRecord, StoreReadiness, ToolDayRecord, UserRecord } from './api-store';
import { queryUsage } from './usage.query';
import {
  MESSAGE_COLUMNS,
  querySession,
  querySessionMessages,
  querySessionModels,
  querySessions,
  querySessionTools,
} from './sessions.query';

/** sha256 hex of a plaintext token: what `api_tokens.token_hash` stores. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toUser(r: { name: string; role: 'member' | 'admin'; onboarded: boolean; last_sync_at: Date | null }): UserRecord {
  return { name: r.name, role: r.role, onboarded: r.onboarded, lastSyncAt: r.last_sync_at };
}

const SCHEMA_TTL_MS = 1000;

/**
 * The API's reads over Postgres. The live projection schema is looked up at most once a second
 * (a replay swap is rare, and a second of the old schema is harmless).
 */
export function createPgApiStore(db: Kysely<Database>): ApiStore {
  let cached: { schema: string; at: number } | undefined;
  const schema = async (): Promise<string> => {
    const now = Date.now();
    if (cached && now - cached.at < SCHEMA_TTL_MS) return cached.schema;
    cached = { schema: await liveSchema(db), at: now };
    return cached.schema;
  };
  const users = () => db.withSchema('public').selectFrom('users').select(['name', 'role', 'onboarded', 'last_sync_at']);

  return {
    async findUserByToken(token) {
      const row = await db
        .withSchema('public')
        .selectFrom('api_tokens as t')
        .innerJoin('users as u', 'u.name', 't.user_name')
        .select(['u.name', 'u.role', 'u.onboarded', 'u.last_sync_at'])
        .where('t.token_hash', '=', hashToken(token))
        .where('t.revoked_at', 'is', null)
        .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
        .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async getUser(name) {
      const row = await users().where('name', '=', name).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async markOnboarded(name, roleIfNew) {
      const row = await db
        .withSchema('public')
        .insertInto('users')
        .values({ name, role: roleIfNew, onboarded: true })
        .onConflict((oc) => oc.column('name').doUpdateSet({ onboarded: true }))
        .returning(['name', 'role', 'onboarded', 'last_sync_at'])
        .executeTakeFirstOrThrow();
      return toUser(row);
    },
    async homeStats(user, since) {
      const s = await schema();
      const r = await sql<{ sessions: number; prompts: number; projects: number; tokens: number | bigint }>`
        select
          (select count(distinct session_id)::int from ${sql.table(`${s}.usage_entries`)} where user_name = ${user} and ts >= ${since}) as sessions,
          (select count(*)::int from ${sql.table(`${s}.usage_entries`)} where user_name = ${user} and ts >= ${since} and is_prompt) as prompts,
          (select count(distinct project)::int from ${sql.table(`${s}.usage_entries`)} where user_name = ${user} and ts >= ${since} and project is not null) as projects,
          (select coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens), 0)::int8
             from ${sql.table(`${s}.usage_messages`)} where user_name = ${user} and ts >= ${since}) as tokens`.execute(db);
      return r.rows[0];
    },
    async usage(q) {
      return queryUsage(db, await schema(), q);
    },
    async sessions(q) {
      return querySessions(db, await schema(), q);
    },
    async session(id) {
      return querySession(db, await schema(), id);
    },
    async sessionModels(id) {
      return querySessionModels(db, await schema(), id);
    },
    async sessionTools(id) {
      return querySessionTools(db, await schema(), id);
    },
    async sessionMessages(id, limit) {
      return querySessionMessages(db, await schema(), id, limit);
    },
    async messages(q) {
      const s = await schema();
      const r = await sql<MessageRecord>`
        select ${MESSAGE_COLUMNS} from ${sql.table(`${s}.usage_messages`)}
        where ts >= ${q.from} and ts < ${q.to}
          ${q.users ? sql`and user_name = any(${q.users}::text[])` : sql``}
        order by ts limit ${q.limit}`.execute(db);
      return r.rows;
    },
    async costBetween(q) {
      const s = await schema();
      const r = await sql<{ cost: number }>`
        select coalesce(sum(cost_usd), 0)::float8 as cost from ${sql.table(`${s}.usage_messages`)}
        where ts >= ${q.from} and ts < ${q.to}
          ${q.users ? sql`and user_name = any(${q.users}::text[])` : sql``}`.execute(db);
      return r.rows[0]?.cost ?? 0;
    },
    async toolDaily(q) {
      const s = await schema();
      const r = await sql<ToolDayRecord>`
        select day, user_name as "user", tool_name as tool, calls::int as calls, errors::int as errors,
          case when duration_count > 0 then duration_ms_sum::float8 / duration_count end as "avgDurationMs"
        from ${sql.table(`${s}.usage_tool_daily`)}
        where day between ${q.from}::date and ${q.to}::date
          ${q.users ? sql`and user_name = any(${q.users}::text[])` : sql``}
        order by day, "user", calls desc, tool`.execute(db);
      return r.rows;
    },
    async pluginDaily(q) {
      const s = await schema();
      const r = await sql<PluginDayRecord>`
        select day, user_name as "user", kind, name, source, ref_id as "refId", invocations::int as invocations
        from ${sql.table(`${s}.usage_plugin_daily`)}
        where day between ${q.from}::date and ${q.to}::date
          ${q.users ? sql`and user_name = any(${q.users}::text[])` : sql``}
        order by day, "user", invocations desc, kind, name`.execute(db);
      return r.rows;
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
