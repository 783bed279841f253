import { Inject } from '@nestjs/common';
import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { API_METRICS, API_STORE, UPDATES_HUB } from '../api.tokens';
import { canSee, visibleUsers } from '../auth/viewer';
import type { ApiContext } from '../graphql/api-context';
import { badUserInput } from '../graphql/api-errors';
import { windowStart } from '../graphql/args';
import type { ApiMetrics } from '../metrics/api-metrics';
import type { ApiStore } from '../store/api-store';
import { eventStream } from '../updates/event-stream';
import type { NoticeBatch } from '../updates/notice-batch';
import type { UpdatesHub } from '../updates/updates.hub';
import { HomeStatsService } from './home-stats.service';
import { sessionView } from './views';

const asIs = (payload: unknown) => payload;

/**
 * Live updates, driven by the aggregator's post-commit notices. Each subscriber filters by what
 * its caller may see, and reads fresh rows only when its transport is ready for the next event.
 */
@Resolver()
export class SubscriptionsResolver {
  constructor(
    @Inject(UPDATES_HUB) private readonly hub: UpdatesHub,
    @Inject(API_STORE) private readonly store: ApiStore,
    @Inject(API_METRICS) private readonly metrics: ApiMetrics,
    private readonly home: HomeStatsService,
  ) {}

  private observe(field: string) {
    return (b: NoticeBatch) => this.metrics.pushLatency.observe({ field }, Math.max(0, Date.now() - b.firstCommittedAt) / 1000);
  }

  @Subscription('usageUpdated', { resolve: asIs })
  async usageUpdated(@Context() ctx: ApiContext, @Args('users') users: string[] | null) {
    const viewer = await ctx.viewer();
    const visible = visibleUsers(viewer, users);
    const wanted = visible && new Set(visible);
    const queue = this.hub.subscribe('usageUpdated', (n) => !n.syncOnly && (!wanted || [n.user, ...(n.users ?? [])].some((u) => wanted.has(u))));
    return eventStream(
      queue,
      async (b) => [
        {
          users: wanted ? b.users.filter((u) => wanted.has(u)) : b.users,
          sessions: b.sessions,
          days: b.days,
          seq: b.seq,
          committedAt: new Date(b.lastCommittedAt).toISOString(),
          notices: b.notices,
        },
      ],
      this.observe('usageUpdated'),
    );
  }

  @Subscription('sessionUpdated', { resolve: asIs })
  async sessionUpdated(@Context() ctx: ApiContext, @Args('id') id: string | null) {
    const viewer = await ctx.viewer();
    if (id !== null && id !== undefined && (id.length === 0 || id.length > 200)) throw badUserInput('id', 'not a session id');
    const queue = this.hub.subscribe('sessionUpdated', (n) => !n.syncOnly && canSee(viewer, n.user) && (!id || n.sessions.includes(id)));
    return eventStream(
      queue,
      async (b) => {
        const ids = id ? [id] : b.sessions;
        const out = [];
        for (const sid of ids) {
          const s = await this.store.session(sid);
          if (s && canSee(viewer, s.user)) out.push(sessionView(s));
        }
        return out;
      },
      this.observe('sessionUpdated'),
    );
  }

  @Subscription('homeStatsUpdated', { resolve: asIs })
  async homeStatsUpdated(@Context() ctx: ApiContext, @Args('window') window: string | null) {
    const viewer = await ctx.viewer();
    const w = window ?? 'H24';
    windowStart(w, new Date()); // validates the window before subscribing
    const queue = this.hub.subscribe('homeStatsUpdated', (n) => n.user === viewer.name || (n.users ?? []).includes(viewer.name));
    return eventStream(queue, async () => [await this.home.forViewer(viewer, w)], this.observe('homeStatsUpdated'));
  }
}
