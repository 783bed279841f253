/**
 * Budget alerts end to end on the real NATS JetStream and PostgreSQL: a fresh line folded by the
 * aggregator crosses thresholds, each raises one webhook POST (to a test server on loopback,
 * allowed by CCPULSE_WEBHOOK_ALLOW), failures are retried, a restart neither re-sends nor loses
 * an alert, and a budget set after the spend alerts once.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { budgetAlertSubject, budgetsChangedSubject, type BudgetSpec } from '@ccpulse/domain';
import { budgetSpend, liveSchema, upsertBudget } from '@ccpulse/db';
import { sql } from 'kysely';
import type { RunningAggregator } from '../main';
import { ccpulse, ensureBuilt } from '../test-support/aggregator-cli';
import { startTestAggregator, testConfig, testEnv, waitFor, waitForLiveCheckpoint } from '../test-support/aggregator-harness';
import { messagesOfFile } from '../test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createTestStream, type TestStream } from '../test-support/test-stream';

jest.setTimeout(120_000);

/** A webhook receiver on loopback that answers with whatever `status()` says and records each POST. */
async function webhookServer() {
  const posts: { status: number; body: any }[] = [];
  let status = () => 200;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const s = status();
      posts.push({ status: s, body: JSON.parse(body) });
      if (s > 0) res.writeHead(s).end(); // 0: hold the request open, never answer
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/SECRET`,
    posts,
    answer(fn: () => number) {
      status = fn;
    },
    /** Thresholds of POSTs answered 2xx. */
    delivered: () => posts.filter((p) => p.status >= 200 && p.status < 300).map((p) => p.body.threshold),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** One assistant line of `user` in this month, with a fixed token count (so every line costs the same). */
function line(s: TestStream, user: string): { messages: ReturnType<typeof messagesOfFile> } {
  const id = randomBytes(6).toString('hex');
  const text = JSON.stringify({
    type: 'assistant', uuid: `u-${id}`, sessionId: `s-${user}`, timestamp: new Date().toISOString(), requestId: `r-${id}`, cwd: '/work/app',
    message: { id: `m-${id}`, model: 'claude-sonnet-4-5', usage: { input_tokens: 1_000_000, output_tokens: 100_000 } },
  });
  return { messages: messagesOfFile(Buffer.from(`${text}\n`), `p/s-${user}-${id}.jsonl`, user, s.prefix) };
}

describe('budget alerts (real NATS + PostgreSQL)', () => {
  let s: TestStream;
  let t: TestDatabase;
  let hook: Awaited<ReturnType<typeof webhookServer>>;
  const running: RunningAggregator[] = [];
  const env = { CCPULSE_WEBHOOK_ALLOW: 'loopback', CCPULSE_WEBHOOK_RETRY_MS: '50', CCPULSE_WEBHOOK_TIMEOUT_MS: '2000', AGGREGATOR_BATCH_MS: '20' };

  beforeEach(async () => {
    s = await createTestStream();
    t = await createTestDatabase();
    hook = await webhookServer();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((a) => a.close().catch(() => undefined)));
    await hook.close();
    await t.drop();
    await s.drop();
  });

  async function start(): Promise<RunningAggregator> {
    const a = await startTestAggregator(testConfig(t, s, env));
    running.push(a);
    return a;
  }
  async function publish(a: RunningAggregator, user: string): Promise<void> {
    const seq = await s.publish(line(s, user).messages);
    await waitForLiveCheckpoint(a, seq);
  }
  async function spendOf(user: string): Promise<number> {
    const now = new Date();
    return budgetSpend(t.db, await liveSchema(t.db), { scope: 'user', subject: user }, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
  }
  function budget(limitUsd: number, over: Partial<BudgetSpec> = {}): BudgetSpec {
    return { scope: 'user', subject: 'ana', period: 'month', limitUsd, thresholds: [0.5, 0.8, 1], webhookUrl: hook.url, ...over };
  }
  const ledger = async () =>
    (await sql<{ threshold: number; delivery: string; attempts: number }>`select threshold, delivery, attempts from public.budget_alerts order by threshold`.execute(t.db)).rows;

  it('fires exactly one webhook per threshold when fresh lines cross them, announces each, and exports the ratio', async () => {
    const a = await start();
    await publish(a, 'ana');
    const c = await spendOf('ana'); // what one line costs
    expect(c).toBeGreaterThan(0);
    await upsertBudget(t.db, budget(2.5 * c), 'root'); // one line = 40 %: below every threshold
    const announced: any[] = [];
    const sub = s.nc.subscribe(budgetAlertSubject(s.prefix), { callback: (_e, m) => void announced.push(m.json()) });

    await publish(a, 'ana'); // 80 %: crosses 0.5 and 0.8
    await waitFor('two webhooks', () => hook.delivered().length >= 2, 20_000);
    await publish(a, 'ana'); // 120 %: crosses 1.0
    await waitFor('three webhooks', () => hook.delivered().length >= 3, 20_000);
    await publish(a, 'bob'); // someone else: no alert for ana's budget
    s.nc.publish(budgetsChangedSubject(s.prefix), '{}'); // and a re-evaluation for good measure
    await a.runtime.budgets!.idle();
    await waitFor('all delivered', async () => (await ledger()).every((r) => r.delivery === 'delivered'), 20_000);

    expect(hook.delivered().sort()).toEqual([0.5, 0.8, 1]);
    expect(hook.posts).toHaveLength(3);
    const over = hook.posts.find((p) => p.body.threshold === 1)!.body;
    expect(over).toMatchObject({ budget: { scope: 'user', subject: 'ana', period: 'month' }, spendUsd: expect.any(Number) });
    expect(over.text).toMatch(/^ccpulse: User ana is over its monthly budget: \$\d+\.\d\d of \$\d+\.\d\d this month \(UTC\)\.$/);
    expect((await ledger()).map((r) => r.threshold)).toEqual([0.5, 0.8, 1]);
    await waitFor('announcements', () => announced.length === 3, 5000);
    expect(announced.map((x) => x.threshold).sort()).toEqual([0.5, 0.8, 1]);
    expect(JSON.stringify(announced)).not.toContain('SECRET');
    sub.unsubscribe();

    const ratio = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_budget_used_ratio');
    expect(ratio).toMatch(/ccpulse_budget_used_ratio\{scope="user",subject="ana",period="month"\} 1\.2/);
    const deliveries = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_budget_webhook_deliveries_total');
    expect(deliveries).toContain('outcome="delivered"} 3');
  });

  it('retries a failing webhook with backoff until it is delivered, counting the failures', async () => {
    let calls = 0;
    hook.answer(() => (++calls <= 2 ? 500 : 200));
    const a = await start();
    await publish(a, 'ana');
    const c = await spendOf('ana');
    await upsertBudget(t.db, budget(1.5 * c, { thresholds: [1] }), 'root');
    await publish(a, 'ana'); // 133 %
    await waitFor('delivered after retries', async () => (await ledger())[0]?.delivery === 'delivered', 20_000);
    expect(hook.posts.map((p) => p.status)).toEqual([500, 500, 200]);
    expect((await ledger())[0]).toMatchObject({ attempts: 3 });
    const failures = await a.runtime.metrics.registry.getSingleMetricAsString('ccpulse_budget_webhook_failures_total');
    expect(failures).toContain('reason="http_status"} 2');
  });

  it('gives a webhook up after the last attempt and shows it in /metrics', async () => {
    hook.answer(() => 503);
    const a = await startTestAggregator(testConfig(t, s, { ...env, CCPULSE_WEBHOOK_ATTEMPTS: '3' }));
    running.push(a);
    await publish(a, 'ana');
    await upsertBudget(t.db, budget((await spendOf('ana')) * 0.5, { thresholds: [1] }), 'root');
    s.nc.publish(budgetsChangedSubject(s.prefix), '{}');
    await waitFor('given up', async () => (await ledger())[0]?.delivery === 'failed', 20_000);
    expect(hook.posts).toHaveLength(3);
    const metrics = await (await fetch(`http://127.0.0.1:${a.port}/metrics`)).text();
    expect(metrics).toContain('ccpulse_budget_webhook_deliveries_total{outcome="failed"} 1');
    expect(metrics).toContain('ccpulse_budget_webhook_failures_total{reason="http_status"} 3');
  });

  it('restarting the aggregator mid-alert neither sends an alert twice nor loses one', async () => {
    const a1 = await start();
    await publish(a1, 'ana');
    const c = await spendOf('ana');
    await upsertBudget(t.db, budget(1.5 * c, { thresholds: [0.5, 1] }), 'root');
    s.nc.publish(budgetsChangedSubject(s.prefix), '{}'); // 67 %: 0.5 crossed and delivered
    await waitFor('0.5 delivered', () => hook.delivered().includes(0.5), 20_000);

    hook.answer(() => 500); // the receiver goes down …
    await publish(a1, 'ana'); // 133 %: 1.0 crossed, recorded, its webhook failing
    await waitFor('1.0 attempted', () => hook.posts.some((p) => p.body.threshold === 1), 20_000);
    await a1.close(); // … and the aggregator stops mid-alert
    running.splice(running.indexOf(a1), 1);
    expect((await ledger()).find((r) => r.threshold === 1)?.delivery).toBe('pending');

    hook.answer(() => 200);
    const a2 = await start();
    await waitFor('1.0 delivered by the next process', async () => (await ledger()).every((r) => r.delivery === 'delivered'), 20_000);
    await a2.runtime.budgets!.idle();
    await publish(a2, 'ana'); // more spend in the same period: nothing new to alert
    await a2.runtime.budgets!.idle();
    expect(hook.delivered().sort()).toEqual([0.5, 1]);
    expect((await ledger()).map((r) => r.threshold)).toEqual([0.5, 1]);
    expect(await a2.runtime.metrics.registry.getSingleMetricAsString('ccpulse_budget_alerts_total')).not.toMatch(/threshold="[^"]+"\} [1-9]/);
  });

  it('an aggregator killed (SIGKILL) while posting an alert: the next one delivers it once', async () => {
    ensureBuilt();
    const a0 = await start();
    await publish(a0, 'ana');
    const c = await spendOf('ana');
    await a0.close();
    running.splice(running.indexOf(a0), 1);
    await upsertBudget(t.db, budget(1.5 * c, { thresholds: [0.5] }), 'root'); // 67 %: 0.5 crossed

    hook.answer(() => 0); // the receiver accepts the POST and never answers …
    const crashEnv = { ...env, CCPULSE_WEBHOOK_TIMEOUT_MS: '1000' };
    const child = ccpulse(['aggregate'], testEnv(t, s, crashEnv));
    try {
      await waitFor('the POST in flight', () => hook.posts.length === 1, 60_000);
    } finally {
      child.kill('SIGKILL'); // … and the aggregator dies mid-alert
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    }
    expect(await ledger()).toEqual([{ threshold: 0.5, delivery: 'pending', attempts: 0 }]);

    hook.answer(() => 200);
    const a2 = await startTestAggregator(testConfig(t, s, crashEnv));
    running.push(a2);
    // The dead sender's claim runs out (2 × timeout + 5 s), then the alert goes out once.
    await waitFor('delivered after the claim ran out', async () => (await ledger())[0].delivery === 'delivered', 30_000);
    expect(hook.delivered()).toEqual([0.5]);
    expect(await ledger()).toEqual([{ threshold: 0.5, delivery: 'delivered', attempts: 1 }]);
  });

  it('a budget created after the crossing alerts once', async () => {
    const a = await start();
    await publish(a, 'ana');
    await publish(a, 'ana');
    const c = await spendOf('ana');
    await upsertBudget(t.db, budget(c / 2), 'root'); // already at 200 %
    s.nc.publish(budgetsChangedSubject(s.prefix), '{}');
    await waitFor('three webhooks', () => hook.delivered().length >= 3, 20_000);
    await publish(a, 'ana');
    s.nc.publish(budgetsChangedSubject(s.prefix), '{}');
    await a.runtime.budgets!.idle();
    await a.close();
    running.splice(running.indexOf(a), 1);
    const again = await start();
    await again.runtime.budgets!.idle();
    await new Promise((r) => setTimeout(r, 300)); // give a (wrong) redelivery the chance to show
    expect(hook.delivered().sort()).toEqual([0.5, 0.8, 1]);
    expect(hook.posts).toHaveLength(3);
  });

  it('refuses a webhook to loopback unless the setting allows it', async () => {
    const a = await startTestAggregator(testConfig(t, s, { ...env, CCPULSE_WEBHOOK_ALLOW: '' }));
    running.push(a);
    await publish(a, 'ana');
    await upsertBudget(t.db, budget((await spendOf('ana')) / 2, { thresholds: [1] }), 'root');
    s.nc.publish(budgetsChangedSubject(s.prefix), '{}');
    await waitFor('refused', async () => (await ledger())[0]?.delivery === 'failed', 20_000);
    expect(hook.posts).toEqual([]);
    const row = (await sql<{ last_error: string }>`select last_error from public.budget_alerts`.execute(t.db)).rows[0];
    expect(row.last_error).toMatch(/^refused_address: 127\.0\.0\.1 is a loopback address/);
  });
});
