import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  budgetAlertSubject,
  budgetsChangedSubject,
  BudgetInputError,
  DEFAULT_THRESHOLDS,
  normaliseBudget,
  periodWindow,
  type BudgetPeriod,
  type BudgetScope,
} from '@ccpulse/domain';
import { API_CONFIG, BUDGET_STORE, CLOCK, NATS_CONNECTION } from '../api.tokens';
import { requireAdmin } from '../auth/viewer';
import type { ApiConfig } from '../config/api-config';
import type { ApiContext } from '../graphql/api-context';
import { badUserInput } from '../graphql/api-errors';
import { alertStream } from './budget-alert-stream';
import type { BudgetStore } from './budget-store';
import { alertView, budgetView, canSeeBudget } from './budget-views';

interface SetBudgetArgs {
  scope: string;
  subject?: string | null;
  period: string;
  limitUsd: number;
  thresholds?: number[] | null;
  webhookUrl?: string | null;
}

const SCOPES: Record<string, BudgetScope> = { TEAM: 'team', USER: 'user', PROJECT: 'project' };
const PERIODS: Record<string, BudgetPeriod> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };
function idArg(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw badUserInput('id', 'not a budget id');
  return n;
}

/** `budgets`, `setBudget`, `deleteBudget` and the `budgetAlerts` subscription. */
@Resolver()
export class BudgetsResolver {
  constructor(
    @Inject(BUDGET_STORE) private readonly store: BudgetStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Query('budgets')
  async budgets(@Context() ctx: ApiContext) {
    const viewer = await ctx.viewer();
    const now = this.clock();
    const visible = (await this.store.list()).filter((b) => canSeeBudget(viewer, b));
    if (visible.length === 0) return [];
    const windows = visible.map((b) => periodWindow(b.period, now));
    const alerts = await this.store.alertsIn(visible.map((b, i) => ({ budgetId: b.id, periodStart: windows[i].start })));
    const out = [];
    for (const [i, b] of visible.entries()) {
      out.push(budgetView(viewer, b, await this.store.spend(b, windows[i].start, windows[i].end), alerts, now));
    }
    return out;
  }

  @Mutation('setBudget')
  async setBudget(@Context() ctx: ApiContext, @Args('input') input: SetBudgetArgs) {
    const viewer = await ctx.viewer();
    requireAdmin(viewer, 'setBudget');
    let spec;
    try {
      spec = normaliseBudget({
        scope: SCOPES[input.scope],
        subject: input.subject ?? '',
        period: PERIODS[input.period],
        limitUsd: input.limitUsd,
        thresholds: input.thresholds ?? [...DEFAULT_THRESHOLDS],
        webhookUrl: input.webhookUrl ?? null,
      });
    } catch (err) {
      if (err instanceof BudgetInputError) throw badUserInput(`input.${err.field}`, err.message.slice(err.field.length + 2));
      throw err;
    }
    const saved = await this.store.set(spec, viewer.name);
    this.announceChange();
    const now = this.clock();
    const w = periodWindow(saved.period, now);
    return budgetView(viewer, saved, await this.store.spend(saved, w.start, w.end), [], now);
  }

  @Mutation('deleteBudget')
  async deleteBudget(@Context() ctx: ApiContext, @Args('id') id: string) {
    requireAdmin(await ctx.viewer(), 'deleteBudget');
    const deleted = await this.store.delete(idArg(id));
    if (deleted) this.announceChange();
    return deleted;
  }

  @Subscription('budgetAlerts', { resolve: (payload: unknown) => payload })
  async budgetAlerts(@Context() ctx: ApiContext) {
    const viewer = await ctx.viewer();
    const sub = this.nc.subscribe(budgetAlertSubject(this.config.subjectPrefix));
    return alertStream(sub, (a) => (canSeeBudget(viewer, a) ? alertView(a) : undefined));
  }

  /** Lets the aggregator evaluate a new or changed budget now rather than at the next commit. */
  private announceChange(): void {
    try {
      this.nc.publish(budgetsChangedSubject(this.config.subjectPrefix), '{}');
    } catch {
      // Best effort: the aggregator also evaluates after every commit and at start.
    }
  }
}
