/**
 * Hostile input through the real pipeline: ≥ 10,000 lines made by mutating real fixture lines
 * (synthetic ones when the fixtures are absent), a line far over the size limit, invalid UTF-8
 * and deep nesting, mixed into valid files. Neither process may crash; every valid line must be
 * counted exactly once (by its entry key) and every invalid one under its reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sql } from 'kysely';
import { DEFAULT_MAX_LINE_BYTES, entryKey, isBlankLine, parseLine, toEntry } from '@ccpulse/domain';
import { rng, syntheticTranscripts } from '../../libs/domain/src/test-support/synthetic-transcript';
import { fixturesDir, messagesOfFile } from '../../apps/aggregator/src/test-support/fixture-messages';
import { startTestAggregator, testConfig, waitForLiveCheckpoint } from '../../apps/aggregator/src/test-support/aggregator-harness';
import { createTestStream } from '../../apps/aggregator/src/test-support/test-stream';
import { createTestDatabase, type TestDatabase } from '../../apps/aggregator/src/test-support/test-database';
import { reportOutcome } from './support/fault-report';
import { FULL, SCALE } from './support/fault-scale';
import { MUTATIONS, mutateLine, type Mutation } from './support/line-mutations';
import {
  SHARED_NATS,
  USER,
  aggregateEnv,
  checkpointProbe,
  deleteNatsNames,
  ingestEnv,
  runNames,
  startAggregate,
  startIngest,
  streamState,
} from './support/pipeline';
import { until } from '../support/until';
import { tempRoot } from './support/workload';

jest.setTimeout(FULL ? 1_800_000 : 240_000);

/** `<file relative to projects/>` → its lines as bytes (no newlines). */
type Tree = Map<string, Buffer[]>;

function baseTree(): Tree {
  const tree: Tree = new Map();
  const dir = fixturesDir(); // CCPULSE_FIXTURES, else ../shared/fixtures; undefined when neither holds transcripts
  if (dir) {
    const root = path.join(dir, 'claude', 'projects');
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.jsonl')) {
          const bytes = fs.readFileSync(p);
          const lines: Buffer[] = [];
          let start = 0;
          while (start < bytes.length) {
            let end = bytes.indexOf(0x0a, start);
            if (end < 0) end = bytes.length;
            lines.push(bytes.subarray(start, end));
            start = end + 1;
          }
          tree.set(path.relative(root, p), lines);
        }
      }
    };
    walk(root);
    return tree;
  }
  console.warn('fixtures absent: fuzzing mutations of synthetic transcripts instead of real ones');
  for (const f of syntheticTranscripts({ seed: 4040, sessions: 40, turnsPerSession: 40 })) tree.set(f.file, f.lines.map((l) => Buffer.from(l)));
  return tree;
}

/** What the pipeline must make of a tree: the entry keys of its valid lines and the rejections by reason. */
function expectations(tree: Tree): { keys: Set<string>; rejected: Map<string, number>; valid: number } {
  const keys = new Set<string>();
  const rejected = new Map<string, number>();
  let valid = 0;
  for (const [file, lines] of tree) {
    let offset = 0;
    for (const line of lines) {
      const at = offset;
      offset += line.length + 1;
      if (isBlankLine(line)) continue;
      const parsed = parseLine(line, DEFAULT_MAX_LINE_BYTES);
      if (!parsed.ok) {
        rejected.set(parsed.reason, (rejected.get(parsed.reason) ?? 0) + 1);
        continue;
      }
      valid++;
      keys.add(entryKey(toEntry(parsed.value, { file }), USER, file, at));
    }
  }
  return { keys, rejected, valid };
}

describe('fuzzed transcript lines through ingest and aggregate', () => {
  const names = runNames('fuzz');
  let root = '';
  let t: TestDatabase | undefined;

  afterAll(async () => {
    await t?.drop();
    await deleteNatsNames(SHARED_NATS, names);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it(`given ${SCALE.fuzzLines} mutated lines, a ${SCALE.hugeLineBytes >> 20} MB line, invalid UTF-8 and deep nesting mixed into valid files, then nothing crashes and every line is accounted for`, async () => {
    const rand = rng(5050);
    const tree = baseTree();
    const seeds: string[] = [];
    const uuids: string[] = [];
    for (const lines of tree.values()) {
      for (const l of lines) {
        const p = parseLine(l);
        if (p.ok && p.value.message && typeof p.value.message === 'object') {
          seeds.push(l.toString('utf8'));
          if (typeof p.value.uuid === 'string') uuids.push(p.value.uuid);
        }
      }
    }
    const files = [...tree.keys()];
    const byMutation = new Map<Mutation, number>();
    for (let i = 0; i < SCALE.fuzzLines; i++) {
      const m = MUTATIONS[i % MUTATIONS.length];
      byMutation.set(m, (byMutation.get(m) ?? 0) + 1);
      const bad = mutateLine(seeds[Math.floor(rand() * seeds.length)], m, rand, uuids);
      const lines = tree.get(files[Math.floor(rand() * files.length)])!;
      lines.splice(Math.floor(rand() * (lines.length + 1)), 0, bad);
    }
    // One line far over the limit (the ingestor skips it without holding it in memory).
    const huge = Buffer.alloc(SCALE.hugeLineBytes, 0x61);
    Buffer.from('{"type":"user","message":{"content":"').copy(huge);
    tree.get(files[0])!.splice(1, 0, huge);
    // A large line the slim envelope keeps small: a 2 MB prompt.
    tree.get(files[1 % files.length])!.push(Buffer.from(JSON.stringify({ type: 'user', uuid: 'big-prompt', sessionId: 'fuzz-big', timestamp: '2026-01-01T00:00:00Z', message: { role: 'user', content: 'p'.repeat(2 << 20) } })));

    root = tempRoot();
    for (const [file, lines] of tree) {
      const p = path.join(root, 'projects', file);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      const fd = fs.openSync(p, 'w');
      for (const l of lines) {
        fs.writeSync(fd, l);
        fs.writeSync(fd, '\n');
      }
      fs.closeSync(fd);
    }
    const want = expectations(tree);

    t = await createTestDatabase({ migrate: false });
    const cp = checkpointProbe(t.url);
    const agg = startAggregate(aggregateEnv(SHARED_NATS, t.url, names));
    try {
      const ing = startIngest(root, ingestEnv(SHARED_NATS, names, { LOG_LEVEL: 'info' }), true);
      const timer = setTimeout(() => void ing.kill(), FULL ? 900_000 : 100_000);
      const code = await ing.exited;
      clearTimeout(timer);
      if (code !== 0) {
        const s = await streamState(SHARED_NATS, names.stream);
        throw new Error(`ingest --once ended with ${code} after ${s.messages} messages; output:\n${ing.output().slice(-5000)}`);
      }
      const head = (await streamState(SHARED_NATS, names.stream)).lastSeq;
      await until('aggregator at the stream head', async () => (await cp.read()).seq >= head || !agg.running(), 240_000);
      if (!agg.running()) throw new Error(`aggregator exited:\n${agg.output().slice(-4000)}`);
      const schema = (await cp.read()).schema;
      const gotKeys = new Set((await sql<{ k: string }>`select entry_key as k from ${sql.table(`${schema}.usage_entries`)}`.execute(t.db)).rows.map((r) => r.k));
      const gotRejected = new Map(
        (await sql<{ reason: string; n: number }>`select reason, count(*)::int as n from ${sql.table(`${schema}.rejected_entries`)} group by reason`.execute(t.db)).rows.map((r) => [r.reason, r.n]),
      );
      const lostKeys = [...want.keys].filter((k) => !gotKeys.has(k));
      const extraKeys = [...gotKeys].filter((k) => !want.keys.has(k));
      const reasons = [...new Set([...want.rejected.keys(), ...gotRejected.keys()])];
      const lostRejections = reasons.reduce((n, r) => n + Math.max(0, (want.rejected.get(r) ?? 0) - (gotRejected.get(r) ?? 0)), 0);
      const extraRejections = reasons.reduce((n, r) => n + Math.max(0, (gotRejected.get(r) ?? 0) - (want.rejected.get(r) ?? 0)), 0);
      const rejectedTotal = [...want.rejected.values()].reduce((a, b) => a + b, 0);
      reportOutcome({
        scenario: 'fuzzed input',
        runs: SCALE.fuzzLines + 2,
        lost: lostKeys.length + lostRejections,
        doubleCounted: extraKeys.length + extraRejections,
        recoverMs: 0,
        note: `${want.valid} valid lines → ${want.keys.size} entries; ${rejectedTotal} rejected: ${[...want.rejected].map(([r, n]) => `${r} ${n}`).join(', ')}`,
      });
      const details = lostKeys.length
        ? (await sql<{ reason: string; detail: string | null; file: string | null }>`select reason, detail, file from ${sql.table(`${schema}.rejected_entries`)} where reason not in ('malformed_json', 'not_object', 'invalid_utf8', 'too_large', 'too_deep') limit 5`.execute(t.db)).rows
        : [];
      expect({ rejected: Object.fromEntries(gotRejected), lost: lostKeys.slice(0, 5), extra: extraKeys.slice(0, 5), details }).toEqual({ rejected: Object.fromEntries(want.rejected), lost: [], extra: [], details: [] });
      expect(byMutation.size).toBe(MUTATIONS.length);
      expect(agg.running()).toBe(true);
    } finally {
      await agg.stop();
      await cp.close();
    }
  });

  // A huge but valid token count (any non-negative safe integer is taken by the counting rules)
  // must fit the money columns (numeric(38,9)) and be counted, never retried into apply_failed.
  it('given a valid line with a token count of 2^53 − 1, then its message is counted, not rejected as apply_failed', async () => {
    const s = await createTestStream();
    const db = await createTestDatabase({ migrate: false });
    try {
      const line = JSON.stringify({
        type: 'assistant', uuid: 'huge-1', sessionId: 'huge-s', timestamp: '2026-01-01T00:00:00Z', requestId: 'r-huge',
        message: { id: 'm-huge', model: 'claude-opus-4-5-20251101', usage: { input_tokens: 1, output_tokens: Number.MAX_SAFE_INTEGER } },
      });
      const head = await s.publish(messagesOfFile(Buffer.from(`${line}\n`), 'p/huge-s.jsonl', USER, s.prefix));
      const a = await startTestAggregator(testConfig(db, s, { AGGREGATOR_MAX_DELIVER: '2', AGGREGATOR_ACK_WAIT_MS: '1000' }));
      try {
        const schema = await waitForLiveCheckpoint(a, head);
        const rejected = await sql<{ reason: string }>`select reason from ${sql.table(`${schema}.rejected_entries`)}`.execute(db.db);
        expect(rejected.rows).toEqual([]);
        const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${schema}.usage_messages`)}`.execute(db.db);
        expect(rows.rows[0].n).toBe(1);
      } finally {
        await a.close();
      }
    } finally {
      await db.drop();
      await s.drop();
    }
  });
});
