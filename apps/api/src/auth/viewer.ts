import { badUserInput, forbidden } from '../graphql/api-errors';

/** The authenticated caller of one request or subscription. */
export interface Viewer {
  name: string;
  role: 'member' | 'admin';
}

export function isAdmin(viewer: Viewer): boolean {
  return viewer.role === 'admin';
}

/**
 * Which users' data a request may read. A member always reads only their own (naming anyone
 * else is FORBIDDEN, not silently narrowed, so a script notices); an admin reads the named users,
 * or everyone (`undefined`) when none are named.
 */
export function visibleUsers(viewer: Viewer, requested: readonly string[] | null | undefined, argument = 'users'): string[] | undefined {
  if (requested && requested.length > 100) throw badUserInput(argument, 'at most 100 users');
  if (isAdmin(viewer)) return requested && requested.length > 0 ? [...new Set(requested)] : undefined;
  if (requested && requested.some((u) => u !== viewer.name)) {
    throw forbidden(`${argument}: a member may only read their own data`);
  }
  return [viewer.name];
}

/** Whether a viewer may see a row owned by `owner`. */
export function canSee(viewer: Viewer, owner: string): boolean {
  return isAdmin(viewer) || viewer.name === owner;
}

export function requireAdmin(viewer: Viewer, what: string): void {
  if (!isAdmin(viewer)) throw forbidden(`${what} is for admins`);
}
