import { createHash } from 'node:crypto';
import type { AuthMode } from '../config/api-config';
import { rateLimited, unauthenticated } from '../graphql/api-errors';
import type { ApiStore } from '../store/api-store';
import type { FailedAuthLimiter } from './failed-auth-limiter';
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

/** What guards sign-ins beyond the token itself. */
export interface AuthGuard {
  limiter?: FailedAuthLimiter;
  /** Called once when an address uses up its failed attempts (for the log). */
  onLimited?: (address: string) => void;
}

/**
 * {@link authenticate} for a client at `address`: an address that failed too often is refused
 * (RATE_LIMITED, 429) before its token is even looked at, and every failed attempt that presented
 * credentials counts against it. A request without any credentials is not counted: the dashboard
 * asks once without a token to learn that it must show the sign-in form.
 */
export async function authenticateFrom(header: unknown, address: string | undefined, mode: AuthMode, store: Pick<ApiStore, 'findUserByToken'>, guard: AuthGuard = {}): Promise<Viewer> {
  const { limiter } = guard;
  if (mode.kind === 'disabled' || !limiter || !address) return authenticate(header, mode, store);
  const wait = limiter.retryAfterMs(address);
  if (wait > 0) throw rateLimited('too many failed sign-ins from this address', wait);
  try {
    return await authenticate(header, mode, store);
  } catch (err) {
    if (header !== undefined && header !== null && header !== '' && limiter.recordFailure(address)) guard.onLimited?.(address);
    throw err;
  }
}

/** The peer address of an HTTP request or a graphql-ws connection (never a forwarded header). */
export function addressOf(initial: Record<string, any>): string | undefined {
  const socket = initial.req?.socket ?? initial.extra?.request?.socket ?? initial.request?.socket;
  const address = socket?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}

/**
 * Whom a request counts against for rate limits: its bearer token (hashed, so the limiter holds
 * no secret), else its peer address. An unknown token is refused by authentication anyway.
 */
export function callerKey(header: unknown, address: string | undefined): string {
  const token = bearerToken(header);
  if (token) return `token:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
  return `address:${address ?? 'unknown'}`;
}
