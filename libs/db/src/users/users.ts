import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { DbError } from '../errors';
import type { UserRole } from '../tables/users.table';

/** A user as the API sees it. */
export interface User {
  name: string;
  role: UserRole;
  onboarded: boolean;
  lastSyncAt: Date | null;
  createdAt: Date;
}

/** The user named does not exist. */
export class UnknownUserError extends DbError {
  constructor(readonly user: string) {
    super('DB_UNKNOWN_USER', `no user named '${user}'`);
  }
}

/** sha256 hex of a plaintext token: the only form stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether a presented token is the one behind a stored hash, in time that does not depend on
 * where they differ. Tokens are only ever compared this way, as hashes: the plaintext is never
 * stored, and the database finds a row by the hash (an index probe on a value the caller cannot
 * steer byte by byte).
 */
export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** Creates a user, or sets the role of an existing one. */
export async function createUser(db: Kysely<Database>, name: string, role: UserRole = 'member'): Promise<User> {
  const row = await db
    .withSchema('public')
    .insertInto('users')
    .values({ name, role })
    .onConflict((oc) => oc.column('name').doUpdateSet({ role }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/** A user by name, or null. */
export async function getUser(db: Kysely<Database>, name: string): Promise<User | null> {
  const row = await db.withSchema('public').selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** Issues a new token (32 random bytes, base64url) and returns the plaintext, shown once. */
export async function issueToken(db: Kysely<Database>, user: string, opts: { expiresAt?: Date } = {}): Promise<string> {
  if (!(await getUser(db, user))) throw new UnknownUserError(user);
  const token = randomBytes(32).toString('base64url');
  await db
    .withSchema('public')
    .insertInto('api_tokens')
    .values({ user_name: user, token_hash: hashToken(token), expires_at: opts.expiresAt ?? null })
    .execute();
  return token;
}

/** Revokes every live token of a user; returns how many. */
export async function revokeTokens(db: Kysely<Database>, user: string): Promise<number> {
  const result = await db
    .withSchema('public')
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` })
    .where('user_name', '=', user)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The user a token belongs to, when it is neither revoked nor expired; stamps last_used_at. */
export async function findUserByToken(db: Kysely<Database>, token: string): Promise<User | null> {
  const result = await sql<{ name: string; role: UserRole; onboarded: boolean; last_sync_at: Date | null; created_at: Date; token_hash: string }>`
    with t as (
      update public.api_tokens set last_used_at = now()
      where token_hash = ${hashToken(token)} and revoked_at is null and (expires_at is null or expires_at > now())
      returning user_name, token_hash
    )
    select u.*, t.token_hash from public.users u join t on t.user_name = u.name`.execute(db);
  const row = result.rows[0];
  return row && tokenMatchesHash(token, row.token_hash) ? toUser(row) : null;
}

/** Marks the user as having finished onboarding (home stats show from then on). */
export async function markOnboarded(db: Kysely<Database>, user: string): Promise<void> {
  const result = await db.withSchema('public').updateTable('users').set({ onboarded: true }).where('name', '=', user).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new UnknownUserError(user);
}

function toUser(row: { name: string; role: UserRole; onboarded: boolean; last_sync_at: Date | null; created_at: Date }): User {
  return { name: row.name, role: row.role, onboarded: row.onboarded, lastSyncAt: row.last_sync_at, createdAt: row.created_at };
}
