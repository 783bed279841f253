import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { API_CONFIG, API_STORE, AUTH_GUARD, REQUEST_RATE } from '../api.tokens';
import { authenticateFrom, callerKey, type AuthGuard } from '../auth/authenticate';
import type { RequestRateLimiter } from '../auth/request-rate-limiter';
import type { ApiConfig } from '../config/api-config';
import { tooManyRequests } from '../graphql/api-errors';
import type { ApiStore } from '../store/api-store';
import { EXPORT_VIEWS, exportCsv, type ExportParams, type ExportView } from './export-views';

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, RATE_LIMITED: 429, UNAVAILABLE: 503 };

/**
 * `GET /export/<usage|sessions|team|tools>.csv?from=&to=&timezone=`: a dashboard table as a CSV
 * download, with the same bearer token, scoping and argument checks as the GraphQL queries, and
 * from the same per-caller request allowance (429 with Retry-After once it is used up).
 * Errors answer JSON `{ error: { code, message, argument? } }` with the matching status.
 */
@Controller('export')
export class ExportController {
  constructor(
    @Inject(API_STORE) private readonly store: ApiStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(AUTH_GUARD) private readonly guard: AuthGuard,
    @Inject(REQUEST_RATE) private readonly rate: RequestRateLimiter | null,
  ) {}

  @Get(':file')
  async download(@Param('file') file: string, @Query() query: ExportParams, @Req() req: any, @Res() res: any) {
    const view = /^([a-z]+)\.csv$/.exec(file)?.[1];
    if (!view || !(EXPORT_VIEWS as readonly string[]).includes(view)) {
      return res.status(404).json({ error: { code: 'NOT_FOUND', message: `no export '${file}'; one of ${EXPORT_VIEWS.map((v) => `${v}.csv`).join(', ')}` } });
    }
    try {
      // Counted before the token is looked at, as GraphQL counts a request before parsing it.
      const wait = this.rate?.take(callerKey(req.headers.authorization, req.socket?.remoteAddress)) ?? 0;
      if (wait > 0) throw tooManyRequests(wait);
      const viewer = await authenticateFrom(req.headers.authorization, req.socket?.remoteAddress, this.config.auth, this.store, this.guard);
      const { filename, csv } = await exportCsv(view as ExportView, query, viewer, this.store, this.config.limits.maxUsageRows);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
      res.setHeader('Cache-Control', 'no-store');
      return res.send(csv);
    } catch (err) {
      const code = err instanceof GraphQLError ? String(err.extensions?.code) : (err as { code?: string }).code === 'DB_NO_LIVE_PROJECTION' ? 'UNAVAILABLE' : 'INTERNAL';
      if (code === 'INTERNAL' || !STATUS[code]) throw err;
      const retry = err instanceof GraphQLError ? (err.extensions?.retryAfterSeconds as number | undefined) : undefined;
      if (retry) res.setHeader('Retry-After', String(retry));
      const argument = err instanceof GraphQLError ? err.extensions?.argument : undefined;
      return res.status(STATUS[code]).json({ error: { code, message: (err as Error).message, ...(argument ? { argument } : {}) } });
    }
  }
}
