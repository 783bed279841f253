import { GraphQLError } from 'graphql';

/** The error codes clients may rely on (`extensions.code`), and graphql-js's own about the request. */
const STABLE = new Set<string>(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'INTERNAL', 'UNAVAILABLE', 'RATE_LIMITED', 'LIMIT_EXCEEDED', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

/** Codes that mean the caller asked for something wrong or not allowed: not a server fault. */
const CLIENT_CODES = new Set<string>(['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED', 'LIMIT_EXCEEDED']);

/** Whether the error's code says the caller asked for something wrong or not allowed (logged at info, not as a fault). */
export function isClientMistake(err: GraphQLError): boolean {
  const code = err.extensions?.code;
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

export function unauthenticated(message = 'a valid bearer token is required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Too many attempts; `retryAfterMs` becomes the HTTP `Retry-After` (whole seconds). */
export function rateLimited(message: string, retryAfterMs: number): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`${message}; retry in ${seconds} s`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds, http: { status: 429, headers: { 'Retry-After': String(seconds) } } },
  });
}

/** A caller past its request allowance (RequestRateLimiter), over GraphQL or the CSV export. */
export function tooManyRequests(retryAfterMs: number): GraphQLError {
  return rateLimited('too many requests for this token', retryAfterMs);
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** A rejected argument; `argument` names it so a client can point at the field. */
export function badUserInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function unavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAVAILABLE' } });
}

function stableCode(err: unknown): string | undefined {
  const code = err instanceof GraphQLError ? err.extensions?.code : undefined;
  return typeof code === 'string' && STABLE.has(code) ? code : undefined;
}

/**
 * Named infrastructure and input errors of libs/db and our store, by their stable `code`: what
 * each means to a client. Everything not listed is INTERNAL.
 */
const KNOWN: Record<string, (err: Error & Record<string, unknown>) => GraphQLError> = {
  DB_INVALID_CURSOR: () => badUserInput('after', 'not a cursor from a previous page'),
  USAGE_TOO_LARGE: (e) => badUserInput('from', e.message),
  DB_NO_LIVE_PROJECTION: () => unavailable('no data yet: the aggregator has not built the projection'),
  DB_UNAVAILABLE: () => unavailable('the database is unavailable'),
};

function known(err: unknown): GraphQLError | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && KNOWN[code]) return KNOWN[code](err as Error & Record<string, unknown>);
  // Postgres: statement_timeout → the query was too broad; 22023 invalid zone in AT TIME ZONE.
  if (code === '57014') return unavailable('the query took too long; narrow it');
  if (code === '22023' && /time zone/i.test(err.message)) return badUserInput('timezone', err.message);
  return undefined;
}

/**
 * A named error of the store that is the caller's mistake (a cursor we never issued, too large a
 * range, an unknown time zone) as its typed client error, or undefined for anything else. Applied
 * as the error leaves the resolver (client-error.interceptor.ts), so it is logged as a client
 * mistake rather than as a server fault; {@link maskError} then keeps it as it is.
 */
export function asClientMistake(err: unknown): GraphQLError | undefined {
  if (err instanceof GraphQLError) return undefined;
  const mapped = known(err);
  return mapped && isClientMistake(mapped) ? mapped : undefined;
}

/**
 * The one place failures become client errors: errors raised on purpose keep their code; named
 * errors of the store map by code ({@link KNOWN}); errors graphql-js raised about the request
 * (bad variables) are BAD_USER_INPUT; anything else (a SQL error, a bug) becomes `INTERNAL`
 * without internals and is handed to `report` for the log.
 */
export function maskError(error: unknown, report: (err: unknown) => void): GraphQLError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const where = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
  if (stableCode(original)) {
    const o = original as GraphQLError;
    return error instanceof GraphQLError && error !== o ? new GraphQLError(o.message, { ...where, extensions: o.extensions }) : o;
  }
  const mapped = known(original);
  if (mapped) return new GraphQLError(mapped.message, { ...where, extensions: mapped.extensions });
  if (original instanceof GraphQLError) {
    return new GraphQLError(original.message, { ...where, extensions: { ...original.extensions, code: 'BAD_USER_INPUT' } });
  }
  report(original);
  return new GraphQLError('internal error', { ...where, extensions: { code: 'INTERNAL' } });
}
