/**
 * The whole pipeline on the team NATS config, each process on its own account: alice's ingestor
 * publishes, the aggregator (user `aggregator`) folds into PostgreSQL and announces, the api
 * (user `api`) serves the usage, hears the notices and asks the aggregator for its status. If a
 * permission in ops/nats/permissions.conf were missing, one of these steps would stall.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runApp, type AppProcess } from './support/app-process';
import { freePort } from '../support/free-port';
import { NATS_TEST_PASSWORDS, natsServerAvailable, startNatsServer, type RunningNats } from './support/nats-server.process';
import { repoPath } from './support/repo-paths';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database';

const sources = ['apps/aggregator/src/main.ts', 'apps/api/src/main.ts', 'apps/ingestor/src/main.ts', 'libs/db/src/cli/migrate.command.ts'];
const ready = natsServerAvailable() && sources.every((f) => fs.existsSync(repoPath(f)));
if (!ready) console.warn('services-credentials: nats-server or an app is missing; skipping');
const maybe = ready ? describe : describe.skip;
const SESSION = '77777777-2222-4333-8444-555555555555';

maybe('the pipeline with one NATS account per process', () => {
  let scratch: ScratchDatabase;
  let server: RunningNats;
  let dir: string;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    server = await startNatsServer(repoPath('ops/nats', 'team.example.conf'), NATS_TEST_PASSWORDS);
    scratch = await createScratchDatabase('ccpulse_creds');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-creds-'));
    fs.mkdirSync(path.join(dir, 'projects', '-work-demo'), { recursive: true });
    const line = (i: number) => JSON.stringify({
      type: 'assistant', uuid: `00000000-0000-4000-8000-0000000000b${i}`, sessionId: SESSION, timestamp: `2026-11-20T10:00:0${i}.000Z`,
      cwd: '/home/dev/demo', requestId: `req_cred_${i}`,
      message: { id: `msg_cred_${i}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [], usage: { input_tokens: 7, output_tokens: 3 } },
    });
    fs.writeFileSync(path.join(dir, 'projects', '-work-demo', `${SESSION}.jsonl`), `${line(1)}\n${line(2)}\n`);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop(5000)));
    await server?.stop();
    await scratch?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given each process on its own account, when a transcript is ingested, then usage, notices and ops requests all flow', async () => {
    const common = { HOME: dir, NATS_URL: server.url, DATABASE_URL: scratch.url };

    const migrate = runApp('migrate', [], common);
    expect({ code: await migrate.exited, out: '' }).toEqual({ code: 0, out: expect.any(String) });

    const aggregator = runApp('aggregate', [], { ...common, NATS_USER: 'aggregator', NATS_PASSWORD: NATS_TEST_PASSWORDS.NATS_AGGREGATOR_PASSWORD, AGGREGATOR_METRICS_PORT: '0' });
    apps.push(aggregator);
    await aggregator.waitFor('aggregator consuming', () => /"msg":"consuming"/.test(aggregator.output()), 60_000);

    const port = await freePort();
    const api = runApp('api', [], { ...common, NATS_USER: 'api', NATS_PASSWORD: NATS_TEST_PASSWORDS.NATS_API_PASSWORD, PORT: String(port), CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'alice' });
    apps.push(api);
    const base = `http://127.0.0.1:${port}`;
    await api.waitFor('api ready', async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok === true, 60_000);

    const ingest = runApp('ingest', ['--once'], { ...common, NATS_USER: 'alice', NATS_PASSWORD: NATS_TEST_PASSWORDS.NATS_PASSWORD_ALICE, CCPULSE_USER: 'alice', CCPULSE_HOST: 'alice-laptop', CLAUDE_CONFIG_DIR: dir, INGEST_METRICS_PORT: '0' });
    apps.push(ingest);
    expect(await ingest.exited).toBe(0);

    const gql = async (query: string) => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    let usage: unknown;
    await api.waitFor('usage in GraphQL', async () => {
      const r = await gql('{ usage(from: "2026-11-20", to: "2026-11-20", groupBy: [USER, MODEL]) { user model inputTokens outputTokens } }');
      usage = r.data?.usage;
      return Array.isArray(usage) && usage.length > 0;
    }, 60_000);
    expect(usage).toEqual([{ user: 'alice', model: 'claude-sonnet-4-5', inputTokens: 14, outputTokens: 6 }]);

    // core NATS notices from the aggregator reach the api (its subscription permission)
    await api.waitFor('update notice received', async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return /ccpulse_api_update_notices_total\{outcome="ok"\} [1-9]/.test(text);
    }, 30_000);

    // request/reply from the api to the aggregator's ops handler (allow_responses)
    const status = await gql('{ consumerStatus }');
    expect(status.errors).toBeUndefined();
    expect(status.data?.consumerStatus).toBeTruthy();

    for (const a of [aggregator, api, ingest]) expect(a.output()).not.toMatch(/Permissions Violation/i);
  }, 180_000);
});
