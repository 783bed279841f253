import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { YogaDriver, type YogaDriverConfig } from '@graphql-yoga/nestjs';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { API_CONFIG, API_METRICS, API_STORE, AUTH_GUARD, BUDGET_STORE, CLOCK, NATS_CONNECTION, REQUEST_RATE, UPDATES_HUB } from './api.tokens';
import { addressOf, authenticateFrom, authorizationOf, callerKey, type AuthGuard } from './auth/authenticate';
import { FailedAuthLimiter } from './auth/failed-auth-limiter';
import { RequestRateLimiter } from './auth/request-rate-limiter';
import type { BudgetStore } from './budgets/budget-store';
import { budgetTypeDefs } from './budgets/budgets.sdl';
import { BudgetsResolver } from './budgets/budgets.resolver';
import type { ApiConfig } from './config/api-config';
import { createContextFactory } from './graphql/api-context';
import { maskError } from './graphql/api-errors';
import { ClientErrorFilter } from './graphql/client-error.filter';
import { ClientErrorInterceptor } from './graphql/client-error.interceptor';
import { apiPlugin } from './graphql/api.plugin';
import { auditPlugin } from './graphql/audit.plugin';
import { queryLimitPlugins } from './graphql/query-limits.plugin';
import { rateLimitPlugin } from './graphql/rate-limit.plugin';
import { BigIntScalar } from './graphql/bigint.scalar';
import { JsonScalar } from './graphql/json.scalar';
import { typeDefs } from './graphql/schema.sdl';
import { teamTypeDefs } from './graphql/team.sdl';
import { HealthController } from './health/health.controller';
import type { ApiMetrics } from './metrics/api-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { ActivityResolver } from './resolvers/activity.resolver';
import { HomeStatsResolver } from './resolvers/home-stats.resolver';
import { HomeStatsService } from './resolvers/home-stats.service';
import { MeResolver } from './resolvers/me.resolver';
import { OpsResolver } from './resolvers/ops.resolver';
import { SessionsResolver } from './resolvers/sessions.resolver';
import { SubscriptionsResolver } from './resolvers/subscriptions.resolver';
import { UsageResolver } from './resolvers/usage.resolver';
import { TeamResolver } from './resolvers/team.resolver';
import { ExportController } from './export/export.controller';
import type { ApiStore } from './store/api-store';
import type { UpdatesHub } from './updates/updates.hub';

/** The framework-free parts the Nest app is wired around; built (and closed) by the server. */
export interface ApiRuntime {
  config: ApiConfig;
  store: ApiStore;
  budgets: BudgetStore;
  nc: NatsConnection;
  metrics: ApiMetrics;
  hub: UpdatesHub;
  log: Logger;
  clock: () => Date;
}

@Module({})
export class ApiModule {
  static forRoot(rt: ApiRuntime): DynamicModule {
    const guard: AuthGuard = {
      limiter: new FailedAuthLimiter(rt.config.limits.authFailuresPerMinute),
      onLimited: (address) => rt.log.warn({ address, failures: rt.config.limits.authFailuresPerMinute }, 'too many failed sign-ins: this address is refused for the rest of the minute'),
    };
    const context = createContextFactory(rt.config.auth, rt.store, guard);
    const { limits } = rt.config;
    const onLimited = (caller: string) =>
      rt.log.warn({ caller: caller.startsWith('token:') ? 'token' : caller, perMinute: limits.ratePerMinute, burst: limits.rateBurst }, 'too many requests: refusing this caller until its allowance refills');
    const rate = limits.ratePerMinute > 0 ? new RequestRateLimiter(limits.ratePerMinute, limits.rateBurst, { onLimited }) : undefined;
    return {
      module: ApiModule,
      imports: [
        GraphQLModule.forRoot<YogaDriverConfig>({
          driver: YogaDriver,
          typeDefs: [typeDefs, budgetTypeDefs, teamTypeDefs],
          resolvers: { BigInt: BigIntScalar, JSON: JsonScalar },
          path: '/graphql',
          graphiql: rt.config.graphiql ? { subscriptionsProtocol: 'SSE' } : false,
          landingPage: false,
          // Closed unless CCPULSE_CORS_ORIGINS lists origins (yoga would otherwise reflect any origin).
          cors: rt.config.corsOrigins.length > 0 ? { origin: rt.config.corsOrigins, credentials: false, methods: ['GET', 'POST'] } : false,
          context,
          maskedErrors: {
            maskError: (error: unknown) => maskError(error, (err) => rt.log.error({ err }, 'resolver failed')),
          },
          plugins: [
            ...(rate ? [rateLimitPlugin(rate)] : []),
            ...queryLimitPlugins(limits),
            apiPlugin({ metrics: rt.metrics }),
            auditPlugin(rt.log),
          ],
          subscriptions: {
            'graphql-ws': {
              // Refuse the socket before any subscription when the token is bad (close 4403).
              onConnect: async (ctx: any) => {
                try {
                  const initial = { connectionParams: ctx.connectionParams, req: ctx.extra?.request };
                  // Opening sockets counts against the caller too, or reconnecting would dodge the limit.
                  if (rate && rate.take(callerKey(authorizationOf(initial), addressOf(initial))) > 0) return false;
                  await authenticateFrom(authorizationOf(initial), addressOf(initial), rt.config.auth, rt.store, guard);
                  return true;
                } catch {
                  return false;
                }
              },
            },
          },
        }),
      ],
      controllers: [HealthController, MetricsController, ExportController],
      providers: [
        { provide: APP_FILTER, useFactory: () => new ClientErrorFilter(rt.log) },
        { provide: APP_INTERCEPTOR, useClass: ClientErrorInterceptor },
        { provide: API_CONFIG, useValue: rt.config },
        { provide: API_STORE, useValue: rt.store },
        { provide: BUDGET_STORE, useValue: rt.budgets },
        { provide: API_METRICS, useValue: rt.metrics },
        { provide: UPDATES_HUB, useValue: rt.hub },
        { provide: NATS_CONNECTION, useValue: rt.nc },
        { provide: CLOCK, useValue: rt.clock },
        { provide: AUTH_GUARD, useValue: guard },
        { provide: REQUEST_RATE, useValue: rate ?? null },
        HomeStatsService,
        MeResolver,
        HomeStatsResolver,
        UsageResolver,
        TeamResolver,
        SessionsResolver,
        ActivityResolver,
        OpsResolver,
        SubscriptionsResolver,
        BudgetsResolver,
      ],
    };
  }
}
