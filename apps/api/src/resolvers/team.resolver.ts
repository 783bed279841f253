import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { API_STORE } from '../api.tokens';
import { visibleUsers } from '../auth/viewer';
import type { ApiContext } from '../graphql/api-context';
import { teamScopeArgs, activityPeriodArg } from '../graphql/team-args';
import type { ApiStore } from '../store/api-store';
import type { TeamRowRecord } from '@ccpulse/db';

/** `team` and `activity`: the team view (members see only themselves). */
@Resolver()
export class TeamResolver {
  constructor(@Inject(API_STORE) private readonly store: ApiStore) {}

  @Query('team')
  async team(
    @Context() ctx: ApiContext,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('timezone') timezone: string | null,
    @Args('projects') projects: string[] | null,
    @Args('models') models: string[] | null,
    @Args('users') users: string[] | null,
  ) {
    const viewer = await ctx.viewer();
    const scope = teamScopeArgs({ from, to, timezone, projects, models });
    const rows = await this.store.team({ ...scope, users: visibleUsers(viewer, users) });
    return rows.map(teamRowView);
  }

  @Query('activity')
  async activity(
    @Context() ctx: ApiContext,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('timezone') timezone: string | null,
    @Args('period') period: string | null,
    @Args('projects') projects: string[] | null,
    @Args('models') models: string[] | null,
    @Args('users') users: string[] | null,
  ) {
    const viewer = await ctx.viewer();
    const scope = teamScopeArgs({ from, to, timezone, projects, models });
    return this.store.activity({ ...scope, users: visibleUsers(viewer, users), period: activityPeriodArg(period ?? 'DAY') });
  }
}

export function teamRowView(r: TeamRowRecord) {
  const decided = r.editsAccepted + r.editsRejected;
  return { ...r, acceptanceRate: decided > 0 ? r.editsAccepted / decided : null };
}
