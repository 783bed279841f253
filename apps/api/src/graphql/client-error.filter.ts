import { Catch, type ArgumentsHost } from '@nestjs/common';
import { GqlArgumentsHost, type GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { requestIdOf } from '../web/request-id';
import { isClientMistake } from './api-errors';

/**
 * Without this, Nest logs every error a resolver throws at level 50 ("ExceptionsHandler"), so a
 * mistyped time zone looked like a server failure. A client mistake is logged at `info` with the
 * request id; every error is handed back to GraphQL unchanged (maskError shapes the answer and
 * logs what is really internal). A store error that is the caller's mistake (a bad cursor) reaches
 * this filter already typed (client-error.interceptor.ts); any other error is not caught here, so
 * Nest still logs it.
 */
@Catch(GraphQLError)
export class ClientErrorFilter implements GqlExceptionFilter {
  constructor(private readonly log: Pick<Logger, 'info'>) {}

  catch(exception: GraphQLError, host: ArgumentsHost): GraphQLError {
    if (isClientMistake(exception)) {
      const gql = GqlArgumentsHost.create(host);
      const info = gql.getInfo<{ fieldName?: string } | undefined>();
      this.log.info(
        { requestId: requestIdOf(gql.getContext()), code: exception.extensions.code, argument: exception.extensions?.argument, field: info?.fieldName },
        `client error: ${exception.message}`,
      );
    }
    return exception;
  }
}
