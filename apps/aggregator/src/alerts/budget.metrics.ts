import { Counter, Gauge, type Registry } from 'prom-client';

/** The budget metrics, on the aggregator's registry (its own file: one concept). */
export class BudgetMetrics {
  readonly usedRatio: Gauge<'scope' | 'subject' | 'period'>;
  readonly alerts: Counter<'threshold'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly webhookFailures: Counter<'reason'>;

  constructor(registry: Registry) {
    this.usedRatio = new Gauge({
      name: 'ccpulse_budget_used_ratio',
      help: 'Spend of a budget in its current period divided by its limit (1 = at the limit).',
      labelNames: ['scope', 'subject', 'period'] as const,
      registers: [registry],
    });
    this.alerts = new Counter({
      name: 'ccpulse_budget_alerts_total',
      help: 'Budget thresholds crossed (each recorded once per budget, threshold and period).',
      labelNames: ['threshold'] as const,
      registers: [registry],
    });
    this.webhookDeliveries = new Counter({
      name: 'ccpulse_budget_webhook_deliveries_total',
      help: 'Budget alert webhooks by final outcome: delivered, or failed after the last attempt.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.webhookFailures = new Counter({
      name: 'ccpulse_budget_webhook_failures_total',
      help: 'Failed budget webhook attempts (each retry counts), by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
  }
}
