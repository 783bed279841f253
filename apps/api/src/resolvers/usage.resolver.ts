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
import { USAGE_TOTALS, type ApiStore, type UsageDimension, type UsageRowRecord, type UsageTotal } from '../store/api-store';
import type { OutcomeRowRecord } from '../store/team.query';

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
    if (!OUTCOME_FIELDS.some((f) => fields.has(f))) return rows;
    const outcomes = await this.store.usageOutcomes({ ...scope, groupBy: dims });
    return withOutcomes(await rows, outcomes, totals, dims);
  }
}

const OUTCOME_FIELDS = ['linesAdded', 'linesRemoved', 'commits', 'pullRequests', 'editsAccepted', 'editsRejected'] as const;
const keyOf = (r: { day: string | null; week: string | null; month: string | null; model: string | null; user: string | null; project: string | null }) =>
  JSON.stringify([r.day, r.week, r.month, r.model, r.user, r.project]);

/**
 * Usage rows with the outcome sums of the same keys; a key with outcomes but no counted response
 * (all its uses made under a model whose lines are elsewhere) becomes a row with zero tokens.
 */
export function withOutcomes(rows: UsageRowRecord[], outcomes: OutcomeRowRecord[], totals: readonly UsageTotal[], dims: readonly UsageDimension[]) {
  const byKey = new Map(outcomes.map((o) => [keyOf(o), o]));
  const zero = { linesAdded: 0, linesRemoved: 0, commits: 0, pullRequests: 0, editsAccepted: 0, editsRejected: 0 };
  const out = rows.map((r) => {
    const o = byKey.get(keyOf(r));
    byKey.delete(keyOf(r));
    return { ...zero, ...r, ...(o ? pickOutcomes(o) : {}) };
  });
  if (byKey.size === 0) return out;
  for (const o of byKey.values()) {
    const empty = Object.fromEntries(totals.map((t) => [t, 0]));
    out.push({ ...empty, day: o.day, week: o.week, month: o.month, model: o.model, user: o.user, project: o.project, ...pickOutcomes(o) });
  }
  // Same order as the usage query: by each grouping key in turn (nulls last, as PostgreSQL sorts).
  const col = { DAY: 'day', WEEK: 'week', MONTH: 'month', MODEL: 'model', USER: 'user', PROJECT: 'project' } as const;
  return out.sort((a, b) => {
    for (const d of dims) {
      const x = a[col[d]];
      const y = b[col[d]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}

function pickOutcomes(o: OutcomeRowRecord) {
  return { linesAdded: o.linesAdded, linesRemoved: o.linesRemoved, commits: o.commits, pullRequests: o.pullRequests, editsAccepted: o.editsAccepted, editsRejected: o.editsRejected };
}
