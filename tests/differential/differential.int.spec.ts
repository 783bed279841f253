/**
 * One set of numbers everywhere. For each seed, two users' generated adversarial transcript trees
 * (see libs/domain/src/test-support/transcript-tree.ts; here with lines above the 16 MiB line
 * limit in about half of them, the unterminated last line included, and with edits, commits,
 * pull requests and rejected uses) go through:
 * - `ccpulse report` (in process, on the trees' final files);
 * - the live fold (applyBatch into real PostgreSQL), twice: the two users' messages interleaved
 *   in two different arrival orders and batch sizes, the in-place rewrite sent as a second read
 *   of the file from byte 0;
 * - the bulk rebuild (BulkBuild from a real JetStream stream holding the first arrival order).
 * Both live folds and the bulk rebuild must give the identical projection (daily × model,
 * sessions, tool daily, plugin daily, the team read model, every table), and each user's daily ×
 * model, sessions, blocks and `report team` row must equal the report's. A failure names its seed; rerun one with
 * `npm run test:differential -- --from <seed> --seeds 1`.
 *
 * Seeds: CCPULSE_DIFF_SEEDS (default 3), from CCPULSE_DIFF_FROM (default 1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBlocks, OUTCOME_FIELDS, PROCESSOR_VERSION, SESSION_COUNTS, type UsageRecord } from '@ccpulse/domain';
import { columnName, createProjectionSchema } from '@ccpulse/db';
import { sql } from 'kysely';
import pino from 'pino';
import { BulkBuild } from '../../apps/aggregator/src/bulk/bulk-build';
import { applyBatch } from '../../apps/aggregator/src/fold/apply-batch';
import { AggregatorMetrics } from '../../apps/aggregator/src/metrics/aggregator.metrics';
import type { StreamMessage } from '../../apps/aggregator/src/stream/stream-message';
import { dumpDifference, dumpProjection } from '../../apps/aggregator/src/test-support/dump-projection';
import { messagesOfFile, type TestMessage } from '../../apps/aggregator/src/test-support/fixture-messages';
import { createTestDatabase, type TestDatabase } from '../../apps/aggregator/src/test-support/test-database';
import { createTestStream, type TestStream } from '../../apps/aggregator/src/test-support/test-stream';
import { run as report } from '../../libs/report/src/report.command';
import { rng } from '../../libs/domain/src/test-support/synthetic-transcript';
import { finalFiles, transcriptTree, type TranscriptTree } from '../../libs/domain/src/test-support/transcript-tree';
import { writeTree } from '../../libs/domain/src/test-support/tree-files';

const SEEDS = Number(process.env.CCPULSE_DIFF_SEEDS ?? 3);
const FROM = Number(process.env.CCPULSE_DIFF_FROM ?? 1);
const USERS = ['alice', 'bob'] as const;

jest.setTimeout(Math.max(120_000, SEEDS * 20_000));

/** The messages the ingestor would publish for a tree: every file, then the rewritten file read again from byte 0. */
function publishedOf(tree: TranscriptTree, user: string, prefix: string): TestMessage[] {
  const out: TestMessage[] = [];
  for (const [file, bytes] of [...tree.files].sort(([a], [b]) => (a < b ? -1 : 1))) out.push(...messagesOfFile(bytes, file, user, prefix));
  if (tree.rewrite) out.push(...messagesOfFile(tree.rewrite.bytes, tree.rewrite.file, user, prefix));
  return out;
}

function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Two users ingesting at once: each user's messages keep their order, the users interleave at random. */
function interleaved(a: readonly TestMessage[], b: readonly TestMessage[], random: () => number): TestMessage[] {
  const out: TestMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && random() < 0.5) ? a[i++] : b[j++]);
  return out;
}

async function reportJson(dir: string, argv: string[]): Promise<any> {
  const out: string[] = [];
  const code = await report([...argv, '--json', '--dir', dir], { out: (t) => out.push(t), err: () => undefined, env: {}, nowMs: () => Date.UTC(2030, 0, 1) });
  if (code !== 0) throw new Error(`report ${argv.join(' ')} exited ${code}`);
  return JSON.parse(out.join('\n'));
}

interface UserView {
  daily: string[];
  sessions: Record<string, unknown>[];
  blocks: string[];
  /** The `team` row: sessions, prompts, active seconds and the outcome counts. */
  team: string;
  rejected?: number;
}

const OUTCOMES = Object.keys(OUTCOME_FIELDS);

const SESSION_FIELDS = [
  'activeSeconds', 'wallSeconds', ...Object.keys(SESSION_COUNTS), 'distinctTools', 'distinctSkills', 'primaryModel', 'inputTokens',
  'outputTokens', 'cacheReadTokens', 'cacheCreationTokens',
];
const blockKey = (b: { start: string; messages: number; totalTokens: number }) => `${b.start} ${b.messages} ${b.totalTokens}`;

async function reportView(dir: string): Promise<UserView> {
  const daily = await reportJson(dir, ['daily', '-z', 'UTC', '--mode', 'calculate']);
  const sessions = (await reportJson(dir, ['sessions'])).sessions as Record<string, unknown>[];
  const blocks = (await reportJson(dir, ['blocks'])).blocks as { start: string; messages: number; totalTokens: number }[];
  const [team] = (await reportJson(dir, ['team', '-z', 'UTC'])).team as Record<string, number>[];
  return {
    daily: daily.daily.flatMap((d: any) => d.models.map((m: any) => [d.date, m.model, m.inputTokens, m.outputTokens, m.cacheReadTokens, m.cacheCreationTokens, m.cacheCreation5mTokens, m.cacheCreation1hTokens].join(' '))).sort(),
    sessions: sessions
      .map((s) => ({ sessionId: s.sessionId, startedAt: Date.parse(String(s.startedAt)), endedAt: Date.parse(String(s.endedAt)), ...Object.fromEntries(SESSION_FIELDS.map((f) => [f, s[f] ?? null])) }))
      .sort((a, b) => (String(a.sessionId) < String(b.sessionId) ? -1 : 1)),
    blocks: blocks.map(blockKey),
    team: [team.sessions, team.prompts, team.activeSeconds, ...OUTCOMES.map((f) => team[f])].join(' '),
    rejected: daily.rejectedLines,
  };
}

async function databaseView(t: TestDatabase, schema: string, user: string): Promise<UserView> {
  const daily = await sql<{ row: string }>`
    select concat_ws(' ', to_char(hour at time zone 'UTC', 'YYYY-MM-DD'), model, sum(input_tokens), sum(output_tokens), sum(cache_read_tokens),
      sum(cache_creation_tokens), sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens)) as row
    from ${sql.id(schema, 'usage_model_hourly')} where user_name = ${user}
    group by to_char(hour at time zone 'UTC', 'YYYY-MM-DD'), model`.execute(t.db);
  const rows = await t.db.withSchema(schema).selectFrom('usage_session_summary').selectAll().where('user_name', '=', user).execute();
  const sessions = rows
    .filter((r) => r.user_messages + r.assistant_messages > 0)
    .map((r) => {
      const row = r as unknown as Record<string, unknown>;
      return { sessionId: r.session_id, startedAt: r.started_at?.getTime(), endedAt: r.ended_at?.getTime(), ...Object.fromEntries(SESSION_FIELDS.map((f) => [f, row[columnName(f)] ?? null])) };
    })
    .sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
  const messages = await t.db.withSchema(schema).selectFrom('usage_messages').selectAll().where('user_name', '=', user).where('ts', 'is not', null).execute();
  const records: UsageRecord[] = messages.map((m) => {
    const tokens = { input: m.input_tokens, output: m.output_tokens, cacheRead: m.cache_read_tokens, cacheCreation: m.cache_creation_tokens, cacheCreation5m: m.cache_creation_5m_tokens, cacheCreation1h: m.cache_creation_1h_tokens };
    return { key: m.message_key, entryKey: m.entry_key, model: m.model, isSidechain: m.is_sidechain, tokens, total: m.total_tokens, ts: (m.ts as Date).getTime(), sessionId: m.session_id };
  });
  const blocks = buildBlocks(records, { nowMs: Date.UTC(2030, 0, 1), costMode: 'calculate' });
  const team = await sql<{ row: string }>`
    select concat_ws(' ', coalesce(sum(sessions), 0), coalesce(sum(prompts), 0), coalesce(sum(active_ms), 0)::int8 / 1000,
      ${sql.join(OUTCOMES.map((f) => sql`coalesce(sum(${sql.ref(columnName(f))}), 0)`))}) as row
    from ${sql.id(schema, 'usage_session_hourly')} where user_name = ${user}`.execute(t.db);
  return { daily: daily.rows.map((r) => r.row).sort(), sessions, blocks: blocks.map(blockKey), team: team.rows[0].row };
}

describe('differential: report == live fold (any order, any batch size, two users) == bulk rebuild', () => {
  let t: TestDatabase;
  let s: TestStream | undefined;
  let tmp: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-diff-'));
  });
  afterAll(async () => {
    await s?.drop();
    await t?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const seeds = Array.from({ length: SEEDS }, (_, i) => FROM + i);
  it.each(seeds)('seed %i', async (seed) => {
    try {
      await checkSeed(seed);
    } catch (err) {
      // The seed, first: enough to reproduce the tree and the arrival orders.
      (err as Error).message = `differential seed ${seed} failed (rerun: npm run test:differential -- --from ${seed} --seeds 1)\n${(err as Error).message}`;
      throw err;
    }
  });

  async function checkSeed(seed: number): Promise<void> {
    const trees = { alice: transcriptTree({ seed, sessions: 3, turns: 4, oversized: true, outcomes: true }), bob: transcriptTree({ seed: seed + 1_000_000, sessions: 2, turns: 4, oversized: true, outcomes: true }) };
    s ??= await createTestStream();
    const stream = s;
    const random = rng(seed);

    const want: Record<string, UserView> = {};
    for (const user of USERS) {
      const dir = path.join(tmp, `${seed}-${user}`, 'projects');
      writeTree(dir, finalFiles(trees[user]));
      want[user] = await reportView(dir);
    }

    const published = { alice: publishedOf(trees.alice, 'alice', stream.prefix), bob: publishedOf(trees.bob, 'bob', stream.prefix) };
    // What the stream holds: the first message of each Nats-Msg-Id (the duplicate window drops the
    // rest), so both live folds and the bulk rebuild see what an aggregator would.
    const orderA = [...new Map(interleaved(published.alice, published.bob, random).reverse().map((m) => [m.msgId, m])).values()].reverse();
    const orderB = shuffled([...orderA, ...orderA.slice(0, Math.floor(orderA.length / 3))], random);
    const schemas = [`usage_v${PROCESSOR_VERSION}_r${3 * seed}`, `usage_v${PROCESSOR_VERSION}_r${3 * seed + 1}`, `usage_v${PROCESSOR_VERSION}_r${3 * seed + 2}`];
    await fold(schemas[0], orderA, () => 1 + Math.floor(random() * 60));
    await fold(schemas[1], orderB, () => 1 + Math.floor(random() * 3));

    // The stream keeps what the ingestors sent (in the first order; repeated ids dropped).
    await stream.jsm.streams.purge(stream.stream);
    const head = await stream.publish(orderA);
    const build = new BulkBuild(
      { db: t.db, databaseUrl: t.url, js: stream.js, jsm: stream.jsm, stream: stream.stream, metrics: new AggregatorMetrics({ defaults: false }), logger: pino({ level: 'silent' }) },
      { schema: schemas[2], consumer: `diff-${seed}`, processorVersion: PROCESSOR_VERSION },
      new AbortController().signal,
    );
    expect(await build.run()).toBe(head);
    await stream.jsm.consumers.delete(stream.stream, `diff-${seed}`).catch(() => undefined);

    const [a, b, c] = await Promise.all(schemas.map((x) => dumpProjection(t.db, x)));
    expect(dumpDifference(a, b)).toEqual([]);
    expect(dumpDifference(a, c)).toEqual([]);

    for (const user of USERS) {
      const got = await databaseView(t, schemas[0], user);
      const { rejected, ...report } = want[user];
      expect({ user, ...got }).toEqual({ user, ...report });
      if (!trees[user].rewrite) {
        // A rewrite re-sends its malformed lines at new offsets (the server counts both reads); without one, the rejections agree.
        const n = await t.db.withSchema(schemas[0]).selectFrom('rejected_entries').select((eb) => eb.fn.countAll<string>().as('n')).where('user_name', '=', user).executeTakeFirstOrThrow();
        expect({ user, rejected: Number(n.n) }).toEqual({ user, rejected });
      }
    }
    for (const x of schemas) await sql`drop schema ${sql.id(x)} cascade`.execute(t.db);
  }

  async function fold(schema: string, messages: readonly TestMessage[], sizes: () => number): Promise<void> {
    await createProjectionSchema(t.db, schema);
    const stream: StreamMessage[] = messages.map((m, i) => ({ seq: i + 1, subject: m.subject, data: m.data, deliveryCount: 1 }));
    for (let i = 0; i < stream.length; ) {
      const batch = stream.slice(i, i + sizes());
      i += batch.length;
      await t.db.transaction().execute((trx) => applyBatch(trx, { schema, consumer: `c-${schema}`, processorVersion: PROCESSOR_VERSION }, batch, [], i));
    }
  }
});
