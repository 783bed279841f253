/**
 * The whole chain on the real servers: generated transcripts (and the real fixtures when present) → `ccpulse ingest` (built, as a
 * child process) → JetStream → `ccpulse aggregate` → PostgreSQL → this API. Then a line appended
 * to a watched transcript must come out as a `usageUpdated` event, and the append→receipt latency
 * is printed (with 1k lines/s of background appends to another transcript).
 * Apps never import each other, so the ingestor and aggregator run from `dist/` via the
 * `ccpulse` command; the test skips (with a warning) when they are not built (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { seedUser } from './test-support/seed';
import { startTestApi, type TestApi } from './test-support/api-harness';
import { corpora } from '../../../libs/domain/src/test-support/corpora';
import { until } from '../../../tests/support/until';

const ROOT = path.resolve(__dirname, '../../..');
const BUILT = ['dist/apps/aggregator/src/main.js', 'dist/apps/ingestor/src/main.js'];
/** Background appends per second during the latency measurement (the load: 1k lines/s). */
const BG_RATE = Number(process.env.API_CHAIN_BG_LINES_PER_S ?? 1000);
const APPENDS = 10;

const missing = BUILT.filter((f) => !fs.existsSync(path.join(ROOT, f))).map((f) => `${f} is not built (npm run build)`);
if (missing.length) console.warn(`SKIPPING the API full-chain test: ${missing.join('; ')}`);
const describeIfBuilt = missing.length ? describe.skip : describe;

jest.setTimeout(420_000);

interface OracleDay {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  cache5m: number;
  cache1h: number;
  costMicroUsd: number;
}

interface Daemon {
  name: string;
  child: ChildProcess;
  log: string[];
}

function ccpulse(name: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/ccpulse.js'), ...args], { env, cwd: ROOT });
  const log: string[] = [];
  const keep = (d: Buffer) => {
    log.push(String(d));
    if (log.length > 200) log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, log };
}

function exited(d: Daemon): Promise<number | null> {
  if (d.child.exitCode !== null) return Promise.resolve(d.child.exitCode);
  return new Promise((r) => d.child.once('exit', (code) => r(code)));
}

async function stop(d: Daemon | undefined): Promise<void> {
  if (!d || d.child.exitCode !== null || d.child.signalCode !== null) return;
  const done = exited(d);
  d.child.kill('SIGTERM');
  const killer = setTimeout(() => d.child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(killer);
}

/** How the chain's waits poll, and the daemons' recent output for their timeout messages. */
const watching = (daemons: Daemon[]) => ({
  everyMs: 250,
  explain: () => daemons.map((d) => `--- ${d.name}\n${d.log.join('').slice(-3000)}`).join('\n'),
});

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** An assistant line shaped like the fixture's, with fresh ids and a usage the test can count. */
function appendedLine(template: Record<string, any>, n: number, tag: string): string {
  return JSON.stringify({
    ...template,
    uuid: `00000000-0000-4000-8000-${tag}${String(n).padStart(12 - tag.length, '0')}`,
    parentUuid: null,
    timestamp: new Date().toISOString(),
    requestId: `req_${tag}_${n}`,
    message: {
      ...template.message,
      id: `msg_${tag}_${n}`,
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    },
  });
}

// A generated corpus always; the real fixtures too when they are there.
describeIfBuilt.each(corpora().map((c) => [c.name, c.dir] as const))('full chain: fixtures → ingest → JetStream → aggregate → API (%s transcripts)', (_, corpus) => {
  const PROJECTS = path.join(corpus, 'claude/projects');
  const ORACLE = path.join(corpus, 'expected/oracle.json');
  let t: TestApi;
  let token: string;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const daemons: Daemon[] = [];
  const clients: Client[] = [];
  const suffix = randomBytes(4).toString('hex');
  const stream = `CCPULSE_API_${suffix}`;
  const bucket = `ccpulse-api-offsets-${suffix}`;

  beforeAll(async () => {
    t = await startTestApi();
    token = await seedUser(t.db.db, 'chain', { role: 'admin', onboarded: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-api-chain-'));
    // A private copy outside the repo: the test appends to transcripts, never to the fixtures.
    fs.cpSync(PROJECTS, path.join(tmp, 'projects'), { recursive: true });
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: t.db.url,
      NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      CCPULSE_SUBJECT_PREFIX: t.prefix,
      CCPULSE_STREAM: stream,
      CCPULSE_OFFSETS_BUCKET: bucket,
      CCPULSE_USER: 'chain',
      CCPULSE_HOST: 'chain-host',
      CLAUDE_CONFIG_DIR: tmp,
      INGEST_METRICS_PORT: '0',
      INGEST_POLL_MS: '20',
      AGGREGATOR_METRICS_PORT: '0',
      AGGREGATOR_BATCH_MS: '20',
    };
    daemons.push(ccpulse('aggregate', ['aggregate'], env));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const d of daemons.reverse()) await stop(d);
    if (t) {
      const jsm = await jetstreamManager(t.nc);
      for (const name of [stream, `KV_${bucket}`]) await jsm.streams.delete(name).catch(() => undefined);
      await t.close();
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves usage(groupBy: [DAY, MODEL], timezone: "UTC") equal to the oracle', async () => {
    const oracle: Record<string, Record<string, OracleDay>> = JSON.parse(fs.readFileSync(ORACLE, 'utf8')).daily;
    const days = Object.keys(oracle).sort();
    const once = ccpulse('ingest --once', ['ingest', '--once', '--dir', tmp], env);
    daemons.push(once);
    expect(await exited(once)).toBe(0);

    const expected = days.flatMap((day) =>
      Object.keys(oracle[day])
        .sort()
        .map((model) => {
          const o = oracle[day][model];
          return { day, model, inputTokens: o.input, outputTokens: o.output, cacheReadTokens: o.cacheRead, cacheCreationTokens: o.cacheCreation, cacheCreation5mTokens: o.cache5m, cacheCreation1hTokens: o.cache1h, costMicroUsd: o.costMicroUsd };
        }),
    );
    const query = `query($from: String!, $to: String!) { usage(from: $from, to: $to, groupBy: [DAY, MODEL], timezone: "UTC") {
      day model inputTokens outputTokens cacheReadTokens cacheCreationTokens cacheCreation5mTokens cacheCreation1hTokens costUsd messages } }`;
    // Tokens must match exactly. The oracle sums per-message costs rounded to micro-USD; the
    // store keeps them to the nano, so a day may differ by up to half a micro per message (+3).
    const withinCost = (rows: any[]) =>
      rows.map(({ costUsd, messages, ...row }) => {
        const want = expected.find((e) => e.day === row.day && e.model === row.model);
        const micro = Math.round(costUsd * 1e6);
        return { ...row, costMicroUsd: want && Math.abs(micro - want.costMicroUsd) <= 3 + messages / 2 ? want.costMicroUsd : micro };
      });
    let actual: unknown[] = [];
    await until(
      'the API to serve the oracle numbers',
      async () => {
        const r = await t.gql(query, { from: days[0], to: days[days.length - 1] }, token);
        actual = withinCost(r.body.data?.usage ?? []);
        return JSON.stringify(actual) === JSON.stringify(expected) ? true : undefined;
      },
      120_000,
      watching(daemons),
    ).catch(() => undefined);
    expect(actual).toEqual(expected);
    console.log(`full chain: ${expected.length} (day, model) rows over ${days.length} days equal the oracle`);
  });

  it('turns a line appended to a watched transcript into usageUpdated, fast, under 1k lines/s of background appends', async () => {
    const files = fs.readdirSync(path.join(tmp, 'projects'), { recursive: true }).map(String).filter((f) => f.endsWith('.jsonl') && !f.includes('subagents'));
    const withAssistant = files
      .map((f) => path.join(tmp, 'projects', f))
      .map((file) => ({ file, line: fs.readFileSync(file, 'utf8').split('\n').find((l) => l.includes('"type":"assistant"') && l.includes('"usage"')) }))
      .filter((x): x is { file: string; line: string } => Boolean(x.line));
    expect(withAssistant.length).toBeGreaterThanOrEqual(2);
    const [target, backgroundFile] = withAssistant;
    const template = JSON.parse(target.line);
    const bgTemplate = JSON.parse(backgroundFile.line);

    const ingest = ccpulse('ingest', ['ingest', '--dir', tmp], env);
    daemons.push(ingest);

    const receipts: number[] = [];
    const commits: number[] = [];
    const client = createClient({ url: `${t.api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    clients.push(client);
    const targetSession = template.sessionId as string;
    client.subscribe(
      { query: 'subscription { usageUpdated(users: ["chain"]) { sessions seq committedAt } }' },
      {
        next: (v: any) => {
          if (!v.data?.usageUpdated?.sessions?.includes(targetSession)) return;
          receipts.push(Date.now());
          commits.push(Date.parse(v.data.usageUpdated.committedAt));
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await until('the subscription', async () => (t.api.hub.subscriberCount > 0 ? true : undefined), 10_000, watching(daemons));
    // Warm-up: one append must come through before measuring, so the ingestor has caught up
    // (it resumes from the first test's checkpoints, or backfills everything when run alone).
    fs.appendFileSync(target.file, appendedLine(template, 0, 'fg') + '\n');
    await until('the warm-up append to come through', async () => (receipts.length > 0 ? true : undefined), 120_000, watching(daemons));

    // Background appends at BG_RATE lines/s (10 ms ticks), to another transcript.
    const perTick = Math.round(BG_RATE / 100);
    let bg = 0;
    const bgStart = Date.now();
    const background = perTick > 0
      ? setInterval(() => {
          fs.appendFileSync(backgroundFile.file, Array.from({ length: perTick }, () => appendedLine(bgTemplate, ++bg, 'bg')).join('\n') + '\n');
        }, 10)
      : undefined;
    const latencies: number[] = [];
    const toCommit: number[] = [];
    const toClient: number[] = [];
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 1; i <= APPENDS; i++) {
        const before = receipts.length;
        const at = Date.now();
        fs.appendFileSync(target.file, appendedLine(template, i, 'fg') + '\n');
        // Generous: this proves delivery; the latency is printed, not asserted (shared CI machines).
        await until('usageUpdated for the appended line', async () => (receipts.length > before ? true : undefined), 30_000, watching(daemons));
        latencies.push(receipts[receipts.length - 1] - at);
        toCommit.push(commits[commits.length - 1] - at);
        toClient.push(receipts[receipts.length - 1] - commits[commits.length - 1]);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      if (background) clearInterval(background);
    }
    const rate = Math.round(bg / ((Date.now() - bgStart) / 1000));
    console.log(
      `file append -> usageUpdated receipt (graphql-ws), ${latencies.length} appends, background ${rate} lines/s (${bg} lines): ` +
        `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms; ` +
        `of which append → aggregator commit p50 ${percentile(toCommit, 50)} / p99 ${percentile(toCommit, 99)} ms, ` +
        `commit → client p50 ${percentile(toClient, 50)} / p99 ${percentile(toClient, 99)} ms`,
    );
    expect(latencies).toHaveLength(APPENDS);
    const r = await t.gql(`{ session(id: "${targetSession}") { id outputTokens } }`, {}, token);
    expect(r.body.data.session.id).toBe(targetSession);
  });
});
