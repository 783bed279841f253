/**
 * The product as a user runs it: `ccpulse migrate`, then `ccpulse aggregate`, `ccpulse api` and
 * `ccpulse ingest` as real child processes on the real PostgreSQL and NATS JetStream.
 *
 * Given the real fixture transcripts in a CLAUDE_CONFIG_DIR, the GraphQL API answers exactly the
 * oracle's numbers; a line appended to a transcript reaches a live subscriber; the aggregator and
 * the ingestor killed (SIGKILL) mid-backfill and restarted still give exact totals (equal to
 * `ccpulse report` on the same files); and every app's /metrics is valid Prometheus exposition.
 */
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { syntheticTranscripts } from '../../libs/domain/src/test-support/synthetic-transcript';
import { ccpulse, createStack, missingBuild, outputOf, type Stack } from '../support/stack';
import { until } from '../support/until';
import { graphqlClient, type GraphqlClient } from './support/graphql';
import { corpora } from '../../libs/domain/src/test-support/corpora';

const PROMTOOL = '/usr/bin/promtool';
/**
 * prom-client's own default gauges `nodejs_active_{handles,requests,resources}_total` carry a
 * `_total` suffix promtool reserves for counters; they are upstream names, not ours.
 */
const UPSTREAM_LINT = /nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix/;

const missing = [
  ...missingBuild().map((f) => `${f} is not built (npm run build)`),
].filter(Boolean);
if (missing.length) console.warn(`SKIPPING the pipeline e2e suite: ${missing.join('; ')}`);
const describeIfBuilt = missing.length ? describe.skip : describe;

jest.setTimeout(300_000);

interface OracleDayModel {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  cache5m: number;
  cache1h: number;
  costMicroUsd: number;
}

interface UsageRow {
  day: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  costUsd: number;
}

const USAGE = `query { usage(from: "2024-01-01", to: "2030-12-31", timezone: "UTC", groupBy: [DAY, MODEL]) {
  day model inputTokens outputTokens cacheReadTokens cacheCreationTokens cacheCreation5mTokens cacheCreation1hTokens costUsd } }`;

/** `day|model` → the six token counters, for exact comparison (cost compared separately). */
function tokensByDayModel(rows: UsageRow[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const r of rows) {
    out[`${r.day}|${r.model}`] = [r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheCreationTokens, r.cacheCreation5mTokens, r.cacheCreation1hTokens].map(Number);
  }
  return out;
}

function oracleTokens(daily: Record<string, Record<string, OracleDayModel>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [day, models] of Object.entries(daily)) {
    for (const [model, t] of Object.entries(models)) out[`${day}|${model}`] = [t.input, t.output, t.cacheRead, t.cacheCreation, t.cache5m, t.cache1h];
  }
  return out;
}

/** `ccpulse report daily --json` rows → the same shape as the API's usage rows. */
function reportTokens(report: { daily: { date: string; models: Record<string, number | string>[] }[] }): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const d of report.daily) {
    for (const m of d.models) {
      out[`${d.date}|${m.model}`] = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheCreationTokens', 'cacheCreation5mTokens', 'cacheCreation1hTokens'].map((k) => Number(m[k]));
    }
  }
  return out;
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

// A generated corpus always; the real fixtures too when they are there.
describeIfBuilt.each(corpora().map((c) => [c.name, c.dir] as const))('the whole pipeline: transcripts → JetStream → PostgreSQL → GraphQL (%s transcripts)', (_, corpus) => {
  const PROJECTS = path.join(corpus, 'claude/projects');
  const ORACLE = path.join(corpus, 'expected/oracle.json');
  let stack: Stack;
  let gql: GraphqlClient;
  let oracle: { daily: Record<string, Record<string, OracleDayModel>>; sessions: Record<string, Record<string, number | string>> };

  beforeAll(async () => {
    oracle = JSON.parse(fs.readFileSync(ORACLE, 'utf8'));
    stack = await createStack((projects) => fs.cpSync(PROJECTS, projects, { recursive: true }));
    const added = await ccpulse(['user', 'add', 'erin', '--admin'], stack.env);
    if (added.code !== 0) throw new Error(`ccpulse user add failed:\n${added.stderr}`);
    gql = graphqlClient(stack.apiUrl, added.stdout.trim().split('\n').pop()!.trim());
    stack.aggregator.start();
    stack.api.start();
    stack.ingestor.start();
    await until('the api to be ready', async () => ((await fetch(`${stack.apiUrl}/readyz`)).ok ? true : undefined), 60_000, { explain: outputOf(stack.api) });
  });

  afterAll(async () => {
    await stack?.teardown();
  });

  test('the fixtures give the oracle: every day × model token counter exactly, cost to within rounding', async () => {
    const expected = oracleTokens(oracle.daily);
    const rows = await until(
      'usage equal to the oracle',
      async () => {
        const { usage } = await gql.query<{ usage: UsageRow[] }>(USAGE);
        return JSON.stringify(sortKeys(tokensByDayModel(usage))) === JSON.stringify(sortKeys(expected)) ? usage : undefined;
      },
      120_000,
      { explain: outputOf(stack.ingestor, stack.aggregator, stack.api) },
    ).catch(async (err) => {
      const { usage } = await gql.query<{ usage: UsageRow[] }>(USAGE);
      expect(tokensByDayModel(usage)).toEqual(expected); // shows the difference
      throw err;
    });
    for (const r of rows) {
      const micro = oracle.daily[r.day][r.model].costMicroUsd;
      // The oracle rounds each message to whole micro-dollars; we keep nine decimals, so a day of
      // many messages may differ by a fraction of a micro-dollar per message.
      expect(Math.abs(r.costUsd * 1e6 - micro)).toBeLessThanOrEqual(Math.max(10, micro * 1e-5));
    }
  });

  test('every session of the oracle has its counts', async () => {
    const { sessions } = await gql.query(`query { sessions(first: 200) { nodes { id userMessages assistantMessages prompts toolCalls toolErrors
      skillInvocations subagentDispatches mcpCalls slashCommands distinctTools distinctSkills activeSeconds wallSeconds primaryModel
      inputTokens outputTokens cacheReadTokens cacheCreationTokens } } }`);
    const byId = new Map<string, Record<string, unknown>>(sessions.nodes.map((s: any) => [s.id, s]));
    for (const [id, o] of Object.entries(oracle.sessions)) {
      const s = byId.get(id);
      expect({ id, found: !!s }).toEqual({ id, found: true });
      const fields = { userMessages: 'user_messages', assistantMessages: 'assistant_messages', prompts: 'prompts', toolCalls: 'tool_calls',
        toolErrors: 'tool_errors', skillInvocations: 'skill_invocations', subagentDispatches: 'subagent_dispatches', mcpCalls: 'mcp_calls',
        slashCommands: 'slash_commands', distinctTools: 'distinct_tools', distinctSkills: 'distinct_skills', activeSeconds: 'active_seconds',
        wallSeconds: 'wall_seconds', primaryModel: 'primary_model', inputTokens: 'input_tokens', outputTokens: 'output_tokens',
        cacheReadTokens: 'cache_read_tokens', cacheCreationTokens: 'cache_creation_tokens' };
      const got = Object.fromEntries(Object.keys(fields).map((k) => [k, s![k]]));
      const want = Object.fromEntries(Object.entries(fields).map(([k, ok]) => [k, o[ok] ?? null]));
      expect({ id, ...got }).toEqual({ id, ...want });
    }
  });

  test('a line appended to a transcript reaches a live SSE subscriber, and the totals include it', async () => {
    const sub = await gql.subscribe('subscription { usageUpdated { users sessions days } }');
    try {
      const file = path.join(stack.configDir, 'projects', 'live-project', 'live-session.jsonl');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const at = new Date();
      const line = JSON.stringify({
        type: 'assistant', uuid: randomUUID(), sessionId: 'live-session', timestamp: at.toISOString(), cwd: '/home/dev/live', isSidechain: false,
        requestId: `req_${randomUUID()}`,
        message: { id: `msg_${randomUUID()}`, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'hi' }],
          usage: { input_tokens: 1234, output_tokens: 567, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } },
      });
      const appendedAt = Date.now();
      fs.appendFileSync(file, `${line}\n`);
      let tick;
      do tick = (await sub.next(20_000)).usageUpdated;
      while (!tick.sessions.includes('live-session'));
      console.log(`e2e: transcript append → SSE usageUpdated in ${Date.now() - appendedAt} ms`);
      const day = at.toISOString().slice(0, 10);
      const { usage } = await gql.query<{ usage: UsageRow[] }>(USAGE);
      const row = usage.find((r) => r.day === day && r.model === 'claude-sonnet-4-5-20250929');
      expect(Number(row?.inputTokens)).toBeGreaterThanOrEqual(1234);
    } finally {
      sub.close();
    }
  });

  test('aggregator and ingestor SIGKILLed mid-backfill and restarted: totals equal ccpulse report on the same files', async () => {
    // A fresh batch of history (~thousands of lines) lands while both apps are killed mid-way.
    const files = syntheticTranscripts({ seed: 4242, sessions: 24, turnsPerSession: 60, startMs: Date.parse('2026-03-01T08:00:00Z') });
    for (const f of files) {
      const target = path.join(stack.configDir, 'projects', 'crash-project', f.file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.lines.join('\n') + '\n');
    }
    const applied = async () => Number(/^ccpulse_aggregator_entries_applied_total(?:\{[^}]*\})? (\d+)/m.exec(await scrape(stack.metricsUrls.aggregator))?.[1] ?? 0);
    const before = await applied();
    await until('the aggregator to start applying the new files', async () => ((await applied()) > before ? true : undefined), 60_000, { explain: outputOf(stack.aggregator) });
    await stack.aggregator.kill();
    await stack.ingestor.kill();
    stack.aggregator.start();
    stack.ingestor.start();

    const report = await ccpulse(['report', 'daily', '--json', '--timezone', 'UTC', '--dir', path.join(stack.configDir, 'projects')], stack.env);
    expect(report.code).toBe(0);
    const expected = sortKeys(reportTokens(JSON.parse(report.stdout)));
    await until(
      'usage equal to ccpulse report after the crashes',
      async () => {
        const { usage } = await gql.query<{ usage: UsageRow[] }>(USAGE);
        return JSON.stringify(sortKeys(tokensByDayModel(usage))) === JSON.stringify(expected) ? true : undefined;
      },
      180_000,
      { explain: outputOf(stack.ingestor, stack.aggregator) },
    ).catch(async (err) => {
      const { usage } = await gql.query<{ usage: UsageRow[] }>(USAGE);
      expect(tokensByDayModel(usage)).toEqual(expected);
      throw err;
    });
  });

  test('all three /metrics parse as Prometheus exposition (promtool when installed)', async () => {
    for (const [app, url] of Object.entries(stack.metricsUrls)) {
      const text = await scrape(url);
      expect(text).toMatch(new RegExp(`^# TYPE ccpulse_${app === 'api' ? 'api' : app}_`, 'm'));
      for (const line of text.split('\n')) {
        if (line && !line.startsWith('#')) expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?[0-9.e+\-]+|NaN|[+-]Inf$/);
      }
      if (fs.existsSync(PROMTOOL)) {
        const checked = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
        const problems = `${checked.stdout}${checked.stderr}`
          .split('\n')
          .filter((l) => l.trim() && !UPSTREAM_LINT.test(l));
        expect({ app, problems }).toEqual({ app, problems: [] });
      }
    }
  });
});

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
