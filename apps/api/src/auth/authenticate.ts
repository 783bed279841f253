import type { AuthMode } from '../config/api-config';
import { unauthenticated } from '../graphql/api-errors';
import type { ApiStore } from '../store/api-store';
import type { Viewer } from './viewer';

/** `Bearer <token>` → the token; anything else → undefined. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

/**
 * Resolves the caller from an `Authorization` value. With auth disabled everyone is the one
 * local admin. An absent, malformed, unknown, expired or revoked token is UNAUTHENTICATED — the
 * message does not say which, so tokens cannot be probed.
 */
export async function authenticate(header: unknown, mode: AuthMode, store: Pick<ApiStore, 'findUserByToken'>): Promise<Viewer> {
  if (mode.kind === 'disabled') return { name: mode.user, role: 'admin' };
  const token = bearerToken(header);
  if (!token || token.length > 512) throw unauthenticated();
  const user = await store.findUserByToken(token);
  if (!user) throw unauthenticated();
  return { name: user.name, role: user.role };
}

/** The `Authorization` value of an HTTP request or a graphql-ws connection. */
export function authorizationOf(initial: Record<string, any>): unknown {
  const params = initial.connectionParams as Record<string, unknown> | undefined;
  if (params) {
    const v = params.authorization ?? params.Authorization;
    if (v !== undefined) return v;
  }
  const fromFetch = initial.request?.headers?.get?.('authorization');
  if (fromFetch) return fromFetch;
  return initial.req?.headers?.authorization;
}
