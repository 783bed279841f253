import { budgetAlertSubject, budgetRatio, crossedThresholds, periodWindow } from '@ccpulse/domain';
import { budgetSpend, listBudgets, liveSchema, recordBudgetAlerts, type Database, type NewBudgetAlert } from '@ccpulse/db';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import type { BudgetMetrics } from './budget.metrics';

export interface BudgetEvaluatorDeps {
  db: Kysely<Database>;
  nc: NatsConnection;
  subjectPrefix: string;
  metrics: BudgetMetrics;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  clock?: () => Date;
  /** Called after new alerts were recorded (the outbox delivers them). */
  onRecorded: () => void;
}

/**
 * Compares every budget's spend in its current (UTC) period with its thresholds, after each
 * commit of the live projection, when a budget changes, and at start. A crossing is recorded in
 * the ledger first — whose unique key decides "once" — and only the rows that insert are
 * announced and handed to the outbox, so re-evaluating (or a second aggregator) never re-alerts.
 * Runs one evaluation at a time; triggers during one fold into a single re-run.
 */
export class BudgetEvaluator {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: BudgetEvaluatorDeps) {}

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  /** Resolves once no evaluation is running (or pending). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.evaluate();
      } catch (err) {
        // The next commit evaluates again; nothing is lost, only delayed.
        this.deps.logger.warn({ err: String(err) }, 'evaluating budgets failed');
      }
    } while (this.again && !this.stopped);
  }

  private async evaluate(): Promise<void> {
    const { db, metrics } = this.deps;
    const budgets = await listBudgets(db);
    if (budgets.length === 0) {
      metrics.usedRatio.reset(); // the last budget was deleted
      return; // the common case: one cheap query per commit
    }
    let schema: string;
    try {
      schema = await liveSchema(db);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'DB_NO_LIVE_PROJECTION') return;
      throw err;
    }
    const now = (this.deps.clock ?? (() => new Date()))();
    const crossings: NewBudgetAlert[] = [];
    const ratios: [{ scope: string; subject: string; period: string }, number][] = [];
    for (const b of budgets) {
      const w = periodWindow(b.period, now);
      const spend = await budgetSpend(db, schema, b, w.start, w.end);
      ratios.push([{ scope: b.scope, subject: b.subject, period: b.period }, budgetRatio(spend, b.limitUsd)]);
      for (const threshold of crossedThresholds(spend, b.limitUsd, b.thresholds)) {
        crossings.push({ budgetId: b.id, threshold, periodStart: w.start, spendUsd: spend, limitUsd: b.limitUsd, webhookUrl: b.webhookUrl });
      }
    }
    // Replaced in one synchronous step (deleted budgets leave the gauge; a scrape never sees a gap).
    metrics.usedRatio.reset();
    for (const [labels, ratio] of ratios) metrics.usedRatio.set(labels, ratio);
    const fresh = await recordBudgetAlerts(db, crossings);
    if (fresh.length === 0) return;
    for (const a of fresh) {
      metrics.alerts.inc({ threshold: String(a.threshold) });
      this.deps.logger.info({ budget: a.budgetId, scope: a.scope, subject: a.subject, threshold: a.threshold, spendUsd: a.spendUsd }, 'budget threshold crossed');
      const { webhookUrl: _secret, ...announced } = a; // subscribers never get the webhook URL
      try {
        this.deps.nc.publish(budgetAlertSubject(this.deps.subjectPrefix), JSON.stringify(announced));
      } catch (err) {
        this.deps.logger.warn({ err: String(err) }, 'announcing a budget alert failed (it stays in the ledger)');
      }
    }
    this.deps.onRecorded();
  }
}
