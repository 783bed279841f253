import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { API_STORE, CLOCK } from '../api.tokens';
import { visibleUsers } from '../auth/viewer';
import type { ApiContext } from '../graphql/api-context';
import { badUserInput } from '../graphql/api-errors';
import { dayRangeArgs, iso, timeZoneArg } from '../graphql/args';
import { buildBlocks, type UsageBlock } from '@ccpulse/domain';
import { toUsageRecord } from '../insights/session-insights';
import { periodBounds, projectBudget, type BudgetPeriod } from '../insights/budget';
import type { ApiStore } from '../store/api-store';

/** Messages read for blocks; a wider range is refused rather than truncated silently. */
const MAX_BLOCK_MESSAGES = 200_000;

function blockView(b: UsageBlock) {
  return {
    start: b.start,
    end: iso(new Date(b.endMs)),
    lastActivityAt: iso(new Date(b.lastMs)),
    isActive: b.isActive,
    messages: b.messages,
    inputTokens: b.tokens.input,
    outputTokens: b.tokens.output,
    cacheReadTokens: b.tokens.cacheRead,
    cacheCreationTokens: b.tokens.cacheCreation,
    totalTokens: b.totalTokens,
    costUsd: b.costUsd,
    models: b.models,
    tokensPerMinute: b.tokensPerMinute,
    costUsdPerHour: b.usdPerHour,
  };
}

/** `toolDaily`, `pluginDaily`, `blocks`, `burnRate`, `budgetProjection`: the caller or (admin) the team. */
@Resolver()
export class ActivityResolver {
  constructor(
    @Inject(API_STORE) private readonly store: ApiStore,
    @Inject(CLOCK) private readonly now: () => Date,
  ) {}

  @Query('toolDaily')
  async toolDaily(@Context() ctx: ApiContext, @Args('from') from: string, @Args('to') to: string, @Args('users') users: string[] | null) {
    const viewer = await ctx.viewer();
    return this.store.toolDaily({ ...dayRangeArgs(from, to), users: visibleUsers(viewer, users) });
  }

  @Query('pluginDaily')
  async pluginDaily(@Context() ctx: ApiContext, @Args('from') from: string, @Args('to') to: string, @Args('users') users: string[] | null) {
    const viewer = await ctx.viewer();
    return this.store.pluginDaily({ ...dayRangeArgs(from, to), users: visibleUsers(viewer, users) });
  }

  @Query('blocks')
  async blocks(@Context() ctx: ApiContext, @Args('from') from: string, @Args('to') to: string, @Args('users') users: string[] | null) {
    const viewer = await ctx.viewer();
    const range = dayRangeArgs(from, to, 366);
    const messages = await this.store.messages({
      users: visibleUsers(viewer, users),
      from: new Date(`${range.from}T00:00:00Z`),
      to: new Date(Date.parse(`${range.to}T00:00:00Z`) + 86400000),
      limit: MAX_BLOCK_MESSAGES + 1,
    });
    if (messages.length > MAX_BLOCK_MESSAGES) throw badUserInput('from', 'too many messages in this range; narrow it');
    return buildBlocks(messages.map(toUsageRecord), { nowMs: this.now().getTime(), costMode: 'display' }).map(blockView);
  }

  @Query('burnRate')
  async burnRate(@Context() ctx: ApiContext, @Args('users') users: string[] | null) {
    const viewer = await ctx.viewer();
    const now = this.now();
    // An active block began at most 5 h ago but its chain of blocks may reach further back.
    const messages = await this.store.messages({
      users: visibleUsers(viewer, users),
      from: new Date(now.getTime() - 10 * 3600 * 1000),
      to: new Date(now.getTime() + 60000),
      limit: MAX_BLOCK_MESSAGES,
    });
    const active = buildBlocks(messages.map(toUsageRecord), { nowMs: now.getTime(), costMode: 'display' }).find((b) => b.isActive);
    if (!active) return null;
    const hoursLeft = Math.max(0, active.endMs - now.getTime()) / 3_600_000;
    return {
      blockStart: active.start,
      tokensPerMinute: active.tokensPerMinute,
      costUsdPerHour: active.usdPerHour,
      costUsd: active.costUsd,
      projectedBlockCostUsd: active.costUsd + active.usdPerHour * hoursLeft,
    };
  }

  @Query('budgetProjection')
  async budgetProjection(
    @Context() ctx: ApiContext,
    @Args('budgetUsd') budgetUsd: number,
    @Args('period') period: BudgetPeriod | null,
    @Args('timezone') timezone: string | null,
    @Args('users') users: string[] | null,
  ) {
    const viewer = await ctx.viewer();
    if (!Number.isFinite(budgetUsd) || budgetUsd <= 0) throw badUserInput('budgetUsd', 'must be a positive amount');
    const p = period ?? 'MONTH';
    if (!['DAY', 'WEEK', 'MONTH'].includes(p)) throw badUserInput('period', 'expected DAY, WEEK or MONTH');
    const tz = timeZoneArg('timezone', timezone ?? 'UTC');
    const now = this.now();
    const { start, end } = periodBounds(p, tz, now);
    const spentUsd = await this.store.costBetween({ users: visibleUsers(viewer, users), from: start, to: end });
    const v = projectBudget({ period: p, start, end, now, budgetUsd, spentUsd });
    return { ...v, periodStart: iso(v.periodStart), periodEnd: iso(v.periodEnd), exhaustsAt: iso(v.exhaustsAt) };
  }
}
