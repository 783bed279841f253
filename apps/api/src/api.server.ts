import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { createDatabase } from '@ccpulse/db';
import { connectNats, natsServers, type NatsConnectOptions } from '@ccpulse/runtime';
import pino, { type Logger } from 'pino';
import { ApiModule, type ApiRuntime } from './app.module';
import { createPgBudgetStore, type BudgetStore } from './budgets/budget-store';
import type { ApiConfig, NatsSettings } from './config/api-config';
import { createApiMetrics, type ApiMetrics } from './metrics/api-metrics';
import { NestPinoLogger } from './nest-logger';
import type { ApiStore } from './store/api-store';
import { createPgApiStore } from './store/pg-api-store';
import { UsageCache } from './store/usage-cache';
import { UpdatesHub } from './updates/updates.hub';
import { listenForUpdates } from './updates/updates.listener';
import { requestId } from './web/request-id';
import { securityHeaders } from './web/security-headers';
import { findWebDir, mountWeb } from './web/static-web';

/** A started API: where it listens and how to stop it. */
export interface RunningApi {
  port: number;
  /** The address the server is bound to (`127.0.0.1` unless auth is on or HOST is set). */
  host: string;
  url: string;
  metrics: ApiMetrics;
  hub: UpdatesHub;
  /** Resolves when the server stopped (by `close()` or a lost NATS connection). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Optional seams for tests: a pinned clock, a logger, a pre-built store. */
export interface StartOptions {
  log?: Logger;
  clock?: () => Date;
  store?: ApiStore;
  budgets?: BudgetStore;
  nc?: NatsConnection;
}

/**
 * Connects Postgres and NATS, builds the Nest app and listens. Every resource opened here is
 * closed by `close()`, in reverse order, so tests can start and stop many instances.
 */
export async function startApiServer(config: ApiConfig, options: StartOptions = {}): Promise<RunningApi> {
  const log = options.log ?? pino({ base: { app: 'ccpulse-api' } });
  const metrics = createApiMetrics();
  const usageCache = config.limits.usageCacheMs > 0 ? new UsageCache(config.limits.usageCacheMs) : undefined;
  const store =
    options.store ??
    createPgApiStore(createDatabase({ url: config.databaseUrl, statementTimeoutMs: config.limits.statementTimeoutMs }), {
      tokenCacheMs: config.limits.tokenCacheMs,
      usageCache,
    });
  // Its own small pool: budgets are read rarely, and a test's fake store leaves them real.
  const budgets = options.budgets ?? createPgBudgetStore(createDatabase({ url: config.databaseUrl, poolSize: 2, statementTimeoutMs: config.limits.statementTimeoutMs }));
  let nc: NatsConnection;
  try {
    nc = options.nc ?? (await connectNats(apiNatsOptions(config.nats)));
  } catch (err) {
    await store.close();
    await budgets.close();
    throw err;
  }
  const hub = new UpdatesHub(metrics, config.limits.subscriberQueue);
  if (usageCache) hub.onNotice((n) => usageCache.invalidate(n));
  const sub: Subscription = listenForUpdates(nc, config.subjectPrefix, hub, metrics);
  const rt: ApiRuntime = { config, store, budgets, nc, metrics, hub, log, clock: options.clock ?? (() => new Date()) };

  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(rt), {
      logger: new NestPinoLogger(log),
      bodyParser: true,
    });
    // No enableShutdownHooks: `run` owns SIGINT/SIGTERM and closes everything through `close()`.
    app.disable('x-powered-by');
    app.use(requestId());
    app.use(securityHeaders({ listenHost: config.host }));
    const web = findWebDir(config.webDir);
    if (web) {
      mountWeb(app as any, web);
      log.info({ dir: web }, 'serving the dashboard');
    }
    await app.listen(config.port, config.host);
  } catch (err) {
    sub.unsubscribe();
    if (!options.nc) await nc.close();
    await store.close();
    await budgets.close();
    throw err;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = typeof address === 'object' && address ? address.address : config.host;
  log.info({ host, port }, 'listening');

  let closing: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const close = () =>
    (closing ??= (async () => {
      hub.closeAll();
      sub.unsubscribe();
      await app.close();
      if (!options.nc) await nc.close().catch(() => undefined);
      await store.close();
      await budgets.close();
      log.info('stopped');
      resolveClosed();
    })());
  return { port, host, url: `http://${urlHost(host)}:${port}`, metrics, hub, closed, close };
}

/** Where a client on this machine reaches a server bound to `host`. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Reconnects forever once connected; the creds file is read once, at connect. */
function apiNatsOptions(settings: NatsSettings): NatsConnectOptions {
  const { user, pass, token, credsFile } = settings;
  return {
    servers: natsServers(settings.url),
    name: 'ccpulse-api',
    credentials: { user, pass, token, creds: credsFile ? { file: credsFile, read: 'once' } : undefined },
    retry: { kind: 'forever', waitMs: 500, waitOnFirstConnect: false },
    firstFailure: 'raw',
  };
}
