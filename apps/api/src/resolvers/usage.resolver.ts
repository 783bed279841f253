import { OUTCOME_FIELDS } from '@ccpulse/domain';
import { Inject } from '@nestjs/common';
import { Args, Context, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { API_CONFIG, API_STORE } from '../api.tokens';
import { visibleUsers } from '../auth/viewer';
import type { ApiConfig } from '../config/api-config';
import type { ApiContext } from '../graphql/api-context';
import { badUserInput } from '../graphql/api-errors';
import { dayRangeArgs, timeZoneArg } from '../graphql/args';
import { selectedFields } from '../graphql/selected-fields';
import { USAGE_TOTALS, type UsageDimension } from '@ccpulse/db';
import type { ApiStore } from '../store/api-store';
import { withOutcomes } from '../store/with-outcomes';

const DIMENSIONS = new Set<UsageDimension>(['DAY', 'WEEK', 'MONTH', 'MODEL', 'USER', 'PROJECT']);

/** `usage(...)`: token and cost totals grouped by time and keys, in any IANA zone. */
@Resolver()
export class UsageResolver {
  constructor(
    @Inject(API_STORE) private readonly store: ApiStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Query('usage')
  async usage(
    @Context() ctx: ApiContext,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('timezone') timezone: string | null,
    @Args('groupBy') groupBy: UsageDimension[] | null,
    @Args('users') users: string[] | null,
    @Args('projects') projects: string[] | null,
    @Info() info: GraphQLResolveInfo,
  ) {
    const viewer = await ctx.viewer();
    const range = dayRangeArgs(from, to);
    const timeZone = timeZoneArg('timezone', timezone ?? 'UTC');
    const dims = groupBy ?? ['DAY', 'MODEL'];
    for (const d of dims) if (!DIMENSIONS.has(d)) throw badUserInput('groupBy', `unknown dimension ${d}`);
    if (projects && projects.length > 100) throw badUserInput('projects', 'at most 100 projects');
    const fields = selectedFields(info);
    const scope = { ...range, timeZone, users: visibleUsers(viewer, users), projects: projects && projects.length ? projects : undefined };
    const totals = USAGE_TOTALS.filter((t) => fields.has(t));
    const rows = this.store.usage({ ...scope, groupBy: dims, maxRows: this.config.limits.maxUsageRows, totals });
    if (!OUTCOME_NAMES.some((f) => fields.has(f))) return rows;
    const outcomes = await this.store.usageOutcomes({ ...scope, groupBy: dims });
    return withOutcomes(await rows, outcomes, totals, dims);
  }
}

/** The outcome fields a selection may ask for; any of them makes the resolver read the outcome sums. */
const OUTCOME_NAMES = Object.keys(OUTCOME_FIELDS);
