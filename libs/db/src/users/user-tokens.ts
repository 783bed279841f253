import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import type { UserRole } from '../tables/users.table';
import { issueToken, revokeTokens, UnknownUserError } from './users';

/** A user with what an operator needs to know about their tokens (never the tokens). */
export interface UserTokenSummary {
  name: string;
  role: UserRole;
  /** Tokens neither revoked nor expired. */
  liveTokens: number;
  /** Most recent use of any of the user's tokens, null if never used. */
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** Every user, by name, with their live token count. */
export async function listUsers(db: Kysely<Database>): Promise<UserTokenSummary[]> {
  const result = await sql<{ name: string; role: UserRole; live: number; last_used_at: Date | null; created_at: Date }>`
    select u.name, u.role, u.created_at,
      count(t.id) filter (where t.revoked_at is null and (t.expires_at is null or t.expires_at > now()))::int as live,
      max(t.last_used_at) as last_used_at
    from public.users u left join public.api_tokens t on t.user_name = u.name
    group by u.name, u.role, u.created_at
    order by u.name`.execute(db);
  return result.rows.map((r) => ({ name: r.name, role: r.role, liveTokens: r.live, lastUsedAt: r.last_used_at, createdAt: r.created_at }));
}

/**
 * Replaces every token of a user with one new token, in one transaction: no moment with both the
 * old and the new valid, none with neither. Returns the new plaintext and how many were revoked.
 */
export async function rotateTokens(db: Kysely<Database>, user: string, opts: { expiresAt?: Date } = {}): Promise<{ token: string; revoked: number }> {
  return db.transaction().execute(async (tx) => {
    const found = await tx.withSchema('public').selectFrom('users').select('name').where('name', '=', user).forUpdate().executeTakeFirst();
    if (!found) throw new UnknownUserError(user);
    const revoked = await revokeTokens(tx, user);
    const token = await issueToken(tx, user, opts);
    return { token, revoked };
  });
}
