import { budgetWebhookBody } from '@ccpulse/domain';
import {
  claimDueAlerts,
  markAlertAttemptFailed,
  markAlertDelivered,
  nextAlertDueAt,
  releaseAlertClaims,
  type BudgetAlertRecord,
  type Database,
} from '@ccpulse/db';
import type { Kysely } from 'kysely';
import type { BudgetMetrics } from './budget.metrics';
import { postWebhook, WebhookError, type WebhookPolicy } from './post-webhook';

export interface AlertOutboxDeps {
  db: Kysely<Database>;
  policy: WebhookPolicy;
  /** Attempts before an alert's webhook is given up. */
  attempts: number;
  /** Delay before the first retry; doubles after each failure. */
  retryMs: number;
  metrics: BudgetMetrics;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Test seam; the real sender otherwise. */
  post?: typeof postWebhook;
}

/** Longest wait between two looks at the outbox when nothing is due sooner. */
const MAX_IDLE_MS = 60_000;

/**
 * Delivers the webhooks of recorded alerts: claim due rows (a lease, so two aggregators never
 * post the same alert at once), POST, then mark delivered — or schedule a retry with doubling
 * delay, or give up after the last attempt (counted in /metrics). Rows are claimed from the
 * database, not from memory, so alerts left undelivered by a stop or crash are sent by the
 * next start; one delivered before a crash could be marked is the only case that repeats.
 */
export class AlertOutbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: AlertOutboxDeps) {}

  /** Delivers whatever is due now (also what a previous process left), then keeps watching. */
  start(): void {
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (!this.stopped) void this.scheduleNext();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.running) await this.running;
  }

  private lease(): number {
    // Longer than one attempt can take, so a live sender never loses its claim mid-POST.
    return this.deps.policy.timeoutMs * 2 + 5000;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const batch = await claimDueAlerts(this.deps.db, this.lease());
          if (batch.length === 0) break;
          for (let i = 0; i < batch.length; i++) {
            if (this.stopped) {
              await releaseAlertClaims(this.deps.db, batch.slice(i).map((a) => a.id));
              return;
            }
            await this.deliver(batch[i]);
          }
        }
      } catch (err) {
        this.deps.logger.warn({ err: String(err) }, 'budget alert outbox pass failed; retrying later');
      }
    } while (this.again && !this.stopped);
  }

  private async deliver(alert: BudgetAlertRecord): Promise<void> {
    const { db, metrics } = this.deps;
    const post = this.deps.post ?? postWebhook;
    try {
      await post(alert.webhookUrl!, budgetWebhookBody(alert), this.deps.policy);
    } catch (err) {
      const e = err instanceof WebhookError ? err : new WebhookError('network', String(err), true);
      const attempt = alert.attempts + 1;
      const last = !e.retryable || attempt >= this.deps.attempts;
      metrics.webhookFailures.inc({ reason: e.reason });
      const retryAt = last ? null : new Date(Date.now() + this.deps.retryMs * 2 ** (attempt - 1));
      await markAlertAttemptFailed(db, alert.id, `${e.reason}: ${e.message}`, retryAt);
      if (last) metrics.webhookDeliveries.inc({ outcome: 'failed' });
      this.deps.logger.warn({ alert: alert.id, budget: alert.budgetId, attempt, reason: e.reason, err: e.message, retryAt }, last ? 'budget webhook given up' : 'budget webhook failed; will retry');
      return;
    }
    await markAlertDelivered(db, alert.id);
    metrics.webhookDeliveries.inc({ outcome: 'delivered' });
  }

  /** Sleeps until the next pending row is due (capped), so retries fire on time without polling. */
  private async scheduleNext(): Promise<void> {
    let wait = MAX_IDLE_MS;
    try {
      const due = await nextAlertDueAt(this.deps.db);
      if (due) wait = Math.min(MAX_IDLE_MS, Math.max(10, due.getTime() - Date.now()));
    } catch {
      // The database is away: look again later.
    }
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}
