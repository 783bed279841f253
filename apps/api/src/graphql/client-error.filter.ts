import { Catch, type ArgumentsHost } from '@nestjs/common';
import { GqlArgumentsHost, type GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { requestIdOf } from '../web/request-id';

/** Codes that mean the caller asked for something wrong or not allowed: not a server fault. */
const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED', 'LIMIT_EXCEEDED']);

/**
 * Without this, Nest logs every error a resolver throws at level 50 ("ExceptionsHandler"), so a
 * mistyped time zone looked like a server failure. A client mistake is logged at `info` with the
 * request id; every error is handed back to GraphQL unchanged (maskError shapes the answer and
 * logs what is really internal).
 */
@Catch(GraphQLError)
export class ClientErrorFilter implements GqlExceptionFilter {
  constructor(private readonly log: Pick<Logger, 'info'>) {}

  catch(exception: GraphQLError, host: ArgumentsHost): GraphQLError {
    const code = exception.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const gql = GqlArgumentsHost.create(host);
      const info = gql.getInfo<{ fieldName?: string } | undefined>();
      this.log.info(
        { requestId: requestIdOf(gql.getContext()), code, argument: exception.extensions?.argument, field: info?.fieldName },
        `client error: ${exception.message}`,
      );
    }
    return exception;
  }
}
