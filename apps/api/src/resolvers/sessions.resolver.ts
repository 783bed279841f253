import { Inject } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { API_CONFIG, API_STORE } from '../api.tokens';
import { canSee, visibleUsers } from '../auth/viewer';
import type { ApiConfig } from '../config/api-config';
import type { ApiContext } from '../graphql/api-context';
import { badUserInput } from '../graphql/api-errors';
import { instantArg, iso, pageSizeArg } from '../graphql/args';
import { efficiencyOf, progressOf, sessionCostProjection, summaryTextOf } from '../insights/session-insights';
import type { ApiStore } from '../store/api-store';
import { sessionView, type SessionView } from './views';

const TIMELINE_POINTS = 2000;

interface SessionFilterArg {
  user?: string | null;
  project?: string | null;
  model?: string | null;
  from?: string | null;
  to?: string | null;
}

/** `sessions` (cursor pages), `session(id)` and the computed fields of `Session`. */
@Resolver('Session')
export class SessionsResolver {
  constructor(
    @Inject(API_STORE) private readonly store: ApiStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Query('sessions')
  async sessions(
    @Context() ctx: ApiContext,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('filter') filter: SessionFilterArg | null,
  ) {
    const viewer = await ctx.viewer();
    const size = pageSizeArg(first ?? 50, this.config.limits.maxPageSize);
    const f = filter ?? {};
    const from = f.from ? instantArg('filter.from', f.from) : undefined;
    const to = f.to ? instantArg('filter.to', f.to, true) : undefined;
    if (after !== null && after !== undefined && (after.length === 0 || after.length > 512)) throw badUserInput('after', 'not a cursor from a previous page');
    const page = await this.store.sessions({
      first: size,
      after: after ?? undefined,
      users: visibleUsers(viewer, f.user ? [f.user] : undefined, 'filter.user'),
      project: f.project ?? undefined,
      model: f.model ?? undefined,
      from,
      to,
    });
    const nodes = page.rows.map(sessionView);
    return {
      nodes,
      edges: nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors[page.cursors.length - 1] ?? null },
    };
  }

  /** Another member's session is reported as absent, so ids cannot be probed. */
  @Query('session')
  async session(@Context() ctx: ApiContext, @Args('id') id: string) {
    const viewer = await ctx.viewer();
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw badUserInput('id', 'not a session id');
    const s = await this.store.session(id);
    return s && canSee(viewer, s.user) ? sessionView(s) : null;
  }

  @ResolveField('timeline')
  async timeline(@Parent() s: SessionView) {
    const rows = await this.store.sessionMessages(s.id, TIMELINE_POINTS);
    let cumulative = 0;
    return rows.map((m) => {
      cumulative += m.costUsd;
      return { at: iso(m.at), model: m.model, totalTokens: m.totalTokens, outputTokens: m.outputTokens, costUsd: m.costUsd, cumulativeCostUsd: cumulative };
    });
  }

  @ResolveField('models')
  models(@Parent() s: SessionView) {
    return this.store.sessionModels(s.id);
  }

  @ResolveField('tools')
  tools(@Parent() s: SessionView) {
    return this.store.sessionTools(s.id);
  }

  @ResolveField('efficiency')
  efficiency(@Parent() s: SessionView) {
    return efficiencyOf(s.record);
  }

  @ResolveField('progress')
  progress(@Parent() s: SessionView) {
    return progressOf(s.record.state);
  }

  @ResolveField('costProjection')
  costProjection(@Parent() s: SessionView, @Args('budgetUsd') budgetUsd: number) {
    if (!Number.isFinite(budgetUsd) || budgetUsd <= 0) throw badUserInput('budgetUsd', 'must be a positive amount');
    return sessionCostProjection(s.record, budgetUsd);
  }

  @ResolveField('summaryText')
  summaryText(@Parent() s: SessionView) {
    return summaryTextOf(s.record);
  }
}
