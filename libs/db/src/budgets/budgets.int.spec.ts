import { PROCESSOR_VERSION } from '@ccpulse/domain';
import { sql } from 'kysely';
import { createProjectionSchema } from '../projection/projection-schema';
import { table } from '../sql-helpers';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { claimDueAlerts, listBudgetAlerts, markAlertAttemptFailed, markAlertDelivered, recordBudgetAlerts, releaseAlertClaims } from './budget-alerts';
import { budgetSpend, deleteBudget, listBudgets, upsertBudget } from './budgets';

jest.setTimeout(60_000);

describe('budgets and the alert ledger (real PostgreSQL)', () => {
  let t: TestDatabase;
  let schema: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    schema = await createProjectionSchema(t.db, PROCESSOR_VERSION);
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await sql`delete from public.budgets`.execute(t.db);
  });

  it('upserts a budget by scope, subject and period, lists and deletes it', async () => {
    const a = await upsertBudget(t.db, { scope: 'user', subject: 'ana', period: 'day', limitUsd: 10, thresholds: [0.5, 1], webhookUrl: null }, 'root');
    const b = await upsertBudget(t.db, { scope: 'user', subject: 'ana', period: 'day', limitUsd: 20, thresholds: [0.8], webhookUrl: 'https://x.test/h' }, 'root');
    expect(b.id).toBe(a.id);
    expect(await listBudgets(t.db)).toEqual([expect.objectContaining({ id: a.id, limitUsd: 20, thresholds: [0.8], webhookUrl: 'https://x.test/h', createdBy: 'root' })]);
    expect(await deleteBudget(t.db, a.id)).toBe(true);
    expect(await deleteBudget(t.db, a.id)).toBe(false);
    expect(await listBudgets(t.db)).toEqual([]);
  });

  it('sums spend per scope within the period only', async () => {
    const rows = [
      ['2026-12-03T10:00:00Z', 'ana', '/p1', 1.5],
      ['2026-12-03T11:00:00Z', 'bob', '/p1', 2],
      ['2026-12-03T11:00:00Z', 'ana', '/p2', 0.25],
      ['2026-12-02T23:00:00Z', 'ana', '/p1', 100],
    ] as const;
    for (const [hour, user, project, cost] of rows) {
      await sql`insert into ${table(schema, 'usage_model_hourly')} (hour, user_name, project, model, input_tokens, output_tokens, cache_read_tokens,
        cache_creation_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages)
        values (${hour}, ${user}, ${project}, 'm', 0, 0, 0, 0, 0, 0, 0, ${cost}, 1)`.execute(t.db);
    }
    await sql`insert into ${table(schema, 'usage_team_hourly')} (hour, model, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
      cache_creation_5m_tokens, cache_creation_1h_tokens, total_tokens, cost_usd, messages)
      select hour, model, 0, 0, 0, 0, 0, 0, 0, sum(cost_usd), 1 from ${table(schema, 'usage_model_hourly')} group by hour, model`.execute(t.db);
    const from = new Date('2026-12-03T00:00:00Z');
    const to = new Date('2026-12-04T00:00:00Z');
    expect(await budgetSpend(t.db, schema, { scope: 'user', subject: 'ana' }, from, to)).toBeCloseTo(1.75);
    expect(await budgetSpend(t.db, schema, { scope: 'project', subject: '/p1' }, from, to)).toBeCloseTo(3.5);
    expect(await budgetSpend(t.db, schema, { scope: 'team', subject: '' }, from, to)).toBeCloseTo(3.75);
    expect(await budgetSpend(t.db, schema, { scope: 'user', subject: 'nobody' }, from, to)).toBe(0);
  });

  it('records an alert once per budget, threshold and period, and leases deliveries', async () => {
    const b = await upsertBudget(t.db, { scope: 'team', subject: '', period: 'day', limitUsd: 10, thresholds: [0.5, 1], webhookUrl: 'https://x.test/h' }, 'root');
    const periodStart = new Date('2026-12-03T00:00:00Z');
    const alert = (threshold: number) => ({ budgetId: b.id, threshold, periodStart, spendUsd: 6, limitUsd: 10, webhookUrl: b.webhookUrl });
    const first = await recordBudgetAlerts(t.db, [alert(0.5)]);
    expect(first).toEqual([expect.objectContaining({ budgetId: b.id, threshold: 0.5, scope: 'team', delivery: 'pending', spendUsd: 6 })]);
    expect(await recordBudgetAlerts(t.db, [alert(0.5), alert(1)])).toEqual([expect.objectContaining({ threshold: 1 })]);
    expect(await recordBudgetAlerts(t.db, [alert(0.5), alert(1)])).toEqual([]);

    const claimed = await claimDueAlerts(t.db, 60_000);
    expect(claimed.map((a) => a.threshold)).toEqual([0.5, 1]);
    expect(await claimDueAlerts(t.db, 60_000)).toEqual([]); // held by the first claim
    await markAlertDelivered(t.db, claimed[0].id);
    await markAlertAttemptFailed(t.db, claimed[1].id, 'answered 500', new Date(Date.now() - 1000));
    const again = await claimDueAlerts(t.db, 60_000);
    expect(again).toEqual([expect.objectContaining({ id: claimed[1].id, attempts: 1, lastError: 'answered 500' })]);
    await releaseAlertClaims(t.db, [again[0].id]);
    expect(await claimDueAlerts(t.db, 60_000)).toHaveLength(1);
    await markAlertAttemptFailed(t.db, claimed[1].id, 'answered 500', null);
    expect(await claimDueAlerts(t.db, 60_000)).toEqual([]);
    const all = await listBudgetAlerts(t.db, [{ budgetId: b.id, periodStart }]);
    expect(all.map((a) => [a.threshold, a.delivery])).toEqual([[0.5, 'delivered'], [1, 'failed']]);
  });

  it('lists the alerts of exactly the periods asked for, however many newer alerts other budgets have', async () => {
    const month = await upsertBudget(t.db, { scope: 'team', subject: '', period: 'month', limitUsd: 10, thresholds: [0.5], webhookUrl: null }, 'root');
    const thisMonth = new Date('2026-12-01T00:00:00Z');
    await recordBudgetAlerts(t.db, [{ budgetId: month.id, threshold: 0.5, periodStart: thisMonth, spendUsd: 5, limitUsd: 10, webhookUrl: null }]);
    await recordBudgetAlerts(t.db, [{ budgetId: month.id, threshold: 0.5, periodStart: new Date('2026-11-01T00:00:00Z'), spendUsd: 5, limitUsd: 10, webhookUrl: null }]);
    // Many daily budgets alerting every day of the month after the monthly one did.
    const daily = [];
    for (let i = 0; i < 10; i++) {
      daily.push(await upsertBudget(t.db, { scope: 'user', subject: `u${i}`, period: 'day', limitUsd: 1, thresholds: [0.5, 0.8, 1], webhookUrl: null }, 'root'));
    }
    const newer = daily.flatMap((d) =>
      Array.from({ length: 28 }, (_, day) => [0.5, 0.8, 1].map((threshold) => ({ budgetId: d.id, threshold, periodStart: new Date(Date.UTC(2026, 11, day + 2)), spendUsd: 1, limitUsd: 1, webhookUrl: null }))).flat(),
    );
    await recordBudgetAlerts(t.db, newer);
    const today = new Date('2026-12-29T00:00:00Z');
    const listed = await listBudgetAlerts(t.db, [{ budgetId: month.id, periodStart: thisMonth }, { budgetId: daily[0].id, periodStart: today }]);
    expect(listed.map((a) => [a.budgetId, a.periodStart, a.threshold])).toEqual([
      [month.id, thisMonth.toISOString(), 0.5],
      [daily[0].id, today.toISOString(), 0.5],
      [daily[0].id, today.toISOString(), 0.8],
      [daily[0].id, today.toISOString(), 1],
    ]);
    expect(await listBudgetAlerts(t.db, [])).toEqual([]);
  });
});
