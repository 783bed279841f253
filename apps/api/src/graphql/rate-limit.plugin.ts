import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { addressOf, callerKey } from '../auth/authenticate';
import type { RequestRateLimiter } from '../auth/request-rate-limiter';
import type { ApiContext } from './api-context';
import { tooManyRequests } from './api-errors';

/**
 * Every operation, over HTTP or a WebSocket, takes one request from its caller's allowance (the
 * CSV export takes from the same one); an exhausted caller gets RATE_LIMITED (HTTP 429 with
 * Retry-After). Over HTTP this happens before the query is even parsed, so a flood costs next to
 * nothing; over a WebSocket, per operation.
 */
export function rateLimitPlugin(limiter: RequestRateLimiter): Plugin<ApiContext> {
  const refuse = (caller: string): ExecutionResult | undefined => {
    const wait = limiter.take(caller);
    return wait === 0 ? undefined : { errors: [tooManyRequests(wait)] };
  };
  // graphql-ws operations carry the socket's `extra`; HTTP ones were counted in onParams.
  const overSocket = (context: unknown) => typeof context === 'object' && context !== null && 'extra' in context;
  return {
    onParams({ request, context, setResult }) {
      const server = context as Record<string, any>;
      const refused = refuse(callerKey(request.headers.get('authorization') ?? undefined, addressOf(server)));
      if (refused) setResult(refused);
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (!overSocket(args.contextValue)) return;
      const refused = refuse((args.contextValue as ApiContext).caller);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (!overSocket(args.contextValue)) return;
      const refused = refuse((args.contextValue as ApiContext).caller);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
