import { budgetAlertSubject, budgetsChangedSubject } from '@ccpulse/domain';
import { seedMessages, seedUser } from '../test-support/seed';
import { startTestApi, type TestApi } from '../test-support/api-harness';

jest.setTimeout(60_000);

const NOW = new Date('2026-12-03T15:00:00Z');
const BUDGET_FIELDS = 'id scope subject period limitUsd thresholds webhookUrl periodStart periodEnd spendUsd ratio alerts { threshold delivery text }';
const SET = `mutation($input: SetBudgetInput!) { setBudget(input: $input) { ${BUDGET_FIELDS} } }`;
const LIST = `{ budgets { ${BUDGET_FIELDS} } }`;
const HOOK = 'https://hooks.example.com/services/T0/B0/SECRET';

/** Reads GraphQL-over-SSE `next` events. */
async function sse(url: string, query: string, token: string, onEvent: (data: any) => void): Promise<AbortController> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`SSE status ${res.status}`);
  const reader = res.body.getReader();
  void (async () => {
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += new TextDecoder().decode(value);
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (/^event: next$/m.test(frame) && data) onEvent(JSON.parse(data));
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return abort;
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('budgets in GraphQL (real PostgreSQL + NATS)', () => {
  let t: TestApi;
  let admin: string;
  let ana: string;
  beforeAll(async () => {
    t = await startTestApi({ clock: () => NOW });
    admin = await seedUser(t.db.db, 'root', { role: 'admin' });
    ana = await seedUser(t.db.db, 'ana');
    await seedMessages(t.db.db, t.schema, [
      { user: 'ana', session: 's1', project: '/w/app', model: 'm', ts: '2026-12-03T09:10:00Z', cost: 3 },
      { user: 'bob', session: 's2', project: '/w/app', model: 'm', ts: '2026-12-03T10:10:00Z', cost: 1.5 },
      { user: 'ana', session: 's3', project: '/w/app', model: 'm', ts: '2026-12-02T10:10:00Z', cost: 50 }, // yesterday
    ]);
  });
  afterAll(async () => t?.close());

  it('lets an admin set budgets, with spend and ratio in the current UTC period, and tells the aggregator', async () => {
    const changed: string[] = [];
    const sub = t.nc.subscribe(budgetsChangedSubject(t.prefix), { callback: (_e, m) => void changed.push(m.subject) });
    await t.nc.flush();
    const team = await t.gql(SET, { input: { scope: 'TEAM', period: 'DAY', limitUsd: 9, webhookUrl: HOOK } }, admin);
    expect(team.body.errors).toBeUndefined();
    expect(team.body.data.setBudget).toMatchObject({
      scope: 'TEAM', subject: '', period: 'DAY', limitUsd: 9, thresholds: [0.5, 0.8, 1], webhookUrl: HOOK,
      periodStart: '2026-12-03T00:00:00.000Z', periodEnd: '2026-12-04T00:00:00.000Z', spendUsd: 4.5, ratio: 0.5, alerts: [],
    });
    const user = await t.gql(SET, { input: { scope: 'USER', subject: 'ana', period: 'WEEK', limitUsd: 100, thresholds: [1, 0.25] } }, admin);
    expect(user.body.data.setBudget).toMatchObject({ thresholds: [0.25, 1], spendUsd: 53, periodStart: '2026-11-30T00:00:00.000Z' });
    await t.gql(SET, { input: { scope: 'USER', subject: 'bob', period: 'DAY', limitUsd: 1 } }, admin);
    await waitFor(() => changed.length >= 3);
    sub.unsubscribe();
  });

  it('refuses budgets from members, and bad input with a typed error naming the field', async () => {
    const member = await t.gql(SET, { input: { scope: 'TEAM', period: 'DAY', limitUsd: 1 } }, ana);
    expect(member.body.errors![0].extensions.code).toBe('FORBIDDEN');
    for (const [input, argument] of [
      [{ scope: 'TEAM', period: 'DAY', limitUsd: -1 }, 'input.limitUsd'],
      [{ scope: 'USER', period: 'DAY', limitUsd: 1 }, 'input.subject'],
      [{ scope: 'TEAM', period: 'DAY', limitUsd: 1, thresholds: [0] }, 'input.thresholds'],
      [{ scope: 'TEAM', period: 'DAY', limitUsd: 1, webhookUrl: 'file:///etc/passwd' }, 'input.webhookUrl'],
    ] as const) {
      const r = await t.gql(SET, { input }, admin);
      expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    const badEnum = await t.gql(SET, { input: { scope: 'GALAXY', period: 'DAY', limitUsd: 1 } }, admin);
    expect(badEnum.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const del = await t.gql('mutation { deleteBudget(id: "1") }', undefined, ana);
    expect(del.body.errors![0].extensions.code).toBe('FORBIDDEN');
    const badId = await t.gql('mutation { deleteBudget(id: "x") }', undefined, admin);
    expect(badId.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
  });

  it('shows members the team, project and their own budgets, with the webhook cut to scheme and host', async () => {
    const asAdmin = (await t.gql(LIST, undefined, admin)).body.data.budgets;
    expect(asAdmin.map((b: any) => `${b.scope}:${b.subject}`).sort()).toEqual(['TEAM:', 'USER:ana', 'USER:bob']);
    const asAna = (await t.gql(LIST, undefined, ana)).body.data.budgets;
    expect(asAna.map((b: any) => `${b.scope}:${b.subject}`).sort()).toEqual(['TEAM:', 'USER:ana']);
    expect(asAna.find((b: any) => b.scope === 'TEAM').webhookUrl).toBe('https://hooks.example.com/…');
    expect(JSON.stringify(asAna)).not.toContain('SECRET');
  });

  it('lists the current period alerts of a budget and relays new alerts to visible subscribers', async () => {
    const budgets = (await t.gql(LIST, undefined, admin)).body.data.budgets;
    const team = budgets.find((b: any) => b.scope === 'TEAM');
    const bob = budgets.find((b: any) => b.subject === 'bob');
    await t.db.db
      .insertInto('budget_alerts')
      .values({ budget_id: Number(team.id), threshold: 0.5, period_start: team.periodStart, spend_usd: 4.5, limit_usd: 9, webhook_url: HOOK, delivery: 'delivered' })
      .execute();
    const after = (await t.gql(LIST, undefined, ana)).body.data.budgets.find((b: any) => b.scope === 'TEAM');
    expect(after.alerts).toEqual([{ threshold: 0.5, delivery: 'DELIVERED', text: 'ccpulse: The team reached 50% of its daily budget: $4.50 of $9.00 today (UTC).' }]);

    const seenByAna: any[] = [];
    const seenByAdmin: any[] = [];
    const q = 'subscription { budgetAlerts { budgetId subject threshold text delivery } }';
    const a1 = await sse(`${t.api.url}/graphql`, q, ana, (d) => seenByAna.push(d.data.budgetAlerts));
    const a2 = await sse(`${t.api.url}/graphql`, q, admin, (d) => seenByAdmin.push(d.data.budgetAlerts));
    try {
      const alert = (budgetId: number, subject: string, scope: string) => ({
        id: budgetId * 10, budgetId, scope, subject, period: 'day', periodStart: '2026-12-03T00:00:00.000Z',
        threshold: 1, spendUsd: 1.5, limitUsd: 1, createdAt: NOW.toISOString(), delivery: 'pending',
      });
      // Subscriptions attach asynchronously: publish until the admin's stream sees one.
      await waitFor(() => {
        t.nc.publish(budgetAlertSubject(t.prefix), JSON.stringify(alert(Number(bob.id), 'bob', 'user')));
        t.nc.publish(budgetAlertSubject(t.prefix), 'not json');
        return seenByAdmin.length > 0;
      });
      t.nc.publish(budgetAlertSubject(t.prefix), JSON.stringify(alert(Number(team.id), '', 'team')));
      await waitFor(() => seenByAna.length > 0 && seenByAdmin.some((a) => a.subject === ''));
      expect(seenByAna.every((a) => a.subject === '')).toBe(true);
      expect(seenByAdmin[0]).toMatchObject({ budgetId: bob.id, subject: 'bob', threshold: 1, delivery: 'PENDING', text: expect.stringContaining('User bob is over') });
    } finally {
      a1.abort();
      a2.abort();
    }
  });

  it('deletes a budget once', async () => {
    const [first] = (await t.gql(LIST, undefined, admin)).body.data.budgets;
    expect((await t.gql(`mutation { deleteBudget(id: "${first.id}") }`, undefined, admin)).body.data.deleteBudget).toBe(true);
    expect((await t.gql(`mutation { deleteBudget(id: "${first.id}") }`, undefined, admin)).body.data.deleteBudget).toBe(false);
  });
});
