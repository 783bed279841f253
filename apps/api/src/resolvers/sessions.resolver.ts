import { Inject } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { API_CONFIG, API_STORE, CLOCK } from '../api.tokens';
import { canSee, visibleUsers } from '../auth/viewer';
import type { ApiConfig } from '../config/api-config';
import type { ApiContext } from '../graphql/api-context';
import { badUserInput } from '../graphql/api-errors';
import { instantArg, pageSizeArg } from '../graphql/args';
import type { SessionInsights } from '@ccpulse/domain';
import { efficiencyOf, insightsOf, sessionCostProjection } from '../insights/session-insights';
import type { ApiStore } from '../store/api-store';
import { sessionView, type SessionView } from './views';

/** Kept responses read for a session's insights (the domain bounds what it returns). */
const MAX_MESSAGES = 50_000;

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
    @Inject(CLOCK) private readonly now: () => Date,
  ) {}

  private readonly unpricedBatches = new WeakMap<object, { ids: Set<string>; answer: Promise<Map<string, number | bigint>> }>();

  @Query('sessions')
  async sessions(
    @Context() ctx: ApiContext,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('filter') filter: SessionFilterArg | null,
    @Args('orderBy') orderBy: 'LAST_ACTIVE' | 'STARTED' | null,
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
      order: orderBy === 'STARTED' ? 'started' : 'lastActive',
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

  /** The domain's insights of a session, computed once per parent object. */
  private insights(s: SessionView): Promise<SessionInsights> {
    s.insights ??= this.store.sessionMessages(s.id, MAX_MESSAGES).then((m) => insightsOf(s.record, m, this.now().getTime()));
    return s.insights;
  }

  /** Batched: a page of sessions asks for all its ids in one query. */
  @ResolveField('unpricedTokens')
  async unpricedTokens(@Parent() s: SessionView, @Context() ctx: ApiContext) {
    let batch = this.unpricedBatches.get(ctx);
    if (!batch) {
      const ids = new Set<string>();
      const answer = new Promise<Map<string, number | bigint>>((resolve, reject) =>
        // Sibling nodes resolve their fields in the same tick; one query then serves them all.
        setImmediate(() => {
          this.unpricedBatches.delete(ctx);
          this.store.unpricedTokens([...ids]).then(resolve, reject);
        }),
      );
      batch = { ids, answer };
      this.unpricedBatches.set(ctx, batch);
    }
    batch.ids.add(s.id);
    return (await batch.answer).get(s.id) ?? 0;
  }

  @ResolveField('worktree')
  worktree(@Parent() s: SessionView) {
    const w = (s.state as { worktree?: unknown } | null)?.worktree;
    return typeof w === 'string' ? w : null;
  }

  @ResolveField('timeline')
  async timeline(@Parent() s: SessionView) {
    return (await this.insights(s)).timeline;
  }

  @ResolveField('timelineBucketSeconds')
  async timelineBucketSeconds(@Parent() s: SessionView) {
    return (await this.insights(s)).timelineBucketSeconds;
  }

  @ResolveField('models')
  async models(@Parent() s: SessionView) {
    return (await this.insights(s)).models.map((m) => ({
      model: m.model,
      messages: m.messages,
      inputTokens: m.tokens.input,
      outputTokens: m.tokens.output,
      cacheReadTokens: m.tokens.cacheRead,
      cacheCreationTokens: m.tokens.cacheCreation,
      totalTokens: m.totalTokens,
      costUsd: m.costUsd,
    }));
  }

  @ResolveField('tools')
  async tools(@Parent() s: SessionView) {
    return (await this.insights(s)).tools.map((t) => ({ ...t, avgDurationMs: t.avgDurationMs ?? null }));
  }

  @ResolveField('efficiency')
  async efficiency(@Parent() s: SessionView) {
    return efficiencyOf(s.record, await this.insights(s));
  }

  @ResolveField('progress')
  async progress(@Parent() s: SessionView) {
    const p = (await this.insights(s)).progress;
    return p ? { done: p.done, total: p.total, donePerHour: p.donePerHour ?? null, etaAt: p.etaAt ?? null } : null;
  }

  @ResolveField('costProjection')
  async costProjection(@Parent() s: SessionView, @Args('budgetUsd') budgetUsd: number) {
    if (!Number.isFinite(budgetUsd) || budgetUsd <= 0) throw badUserInput('budgetUsd', 'must be a positive amount');
    return sessionCostProjection(await this.insights(s), budgetUsd, this.now().getTime());
  }

  @ResolveField('summaryText')
  async summaryText(@Parent() s: SessionView) {
    return (await this.insights(s)).summary;
  }
}
