import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import { catchError, throwError, type Observable } from 'rxjs';
import { asClientMistake } from './api-errors';

/**
 * A store error that is the caller's mistake (libs/db's InvalidCursorError for an `after` we never
 * issued) is not a GraphQLError, so ClientErrorFilter let it through and Nest logged it at level 50.
 * As it leaves the resolver, this swaps it for its typed client error (mapped in api-errors.ts),
 * which the filter then logs at info with the request id. Every other error passes unchanged.
 */
@Injectable()
export class ClientErrorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    return next.handle().pipe(catchError((err: unknown) => throwError(() => asClientMistake(err) ?? err)));
  }
}
