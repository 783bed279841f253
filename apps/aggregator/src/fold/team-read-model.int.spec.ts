/**
 * The team read model (`usage_session_hourly`) folded incrementally equals the same stream folded
 * from scratch: for generated transcripts of two people, any order, batching and redelivery of the
 * messages gives the rows of one in-order batch, and those rows equal the pure reducer's
 * `sessionHours` (what `ccpulse report team` reads). Runs on generated transcripts, plus the real
 * ones when the shared fixtures are present.
 */
import { PROCESSOR_VERSION, sessionHours, type SessionHour } from '@ccpulse/domain';
import { createProjectionSchema, projectionSchemaName, type Database } from '@ccpulse/db';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { fold } from '../../../../libs/domain/src/test-support/fold';
import { teamTranscripts } from '../../../../libs/domain/src/test-support/team-transcript';
import { corpora } from '../../../../libs/domain/src/test-support/corpora';
import type { StreamMessage } from '../stream/stream-message';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureMessages, messagesOfFile } from '../test-support/fixture-messages';
import { listJsonl } from '../../../../libs/domain/src/test-support/fixtures';
import { linesOfBytes } from '../../../../libs/domain/src/test-support/tree-files';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { applyBatch } from './apply-batch';

function messagesOf(seed: number): StreamMessage[] {
  return teamTranscripts({ seed, sessionsPerUser: 3, turnsPerSession: 6 })
    .flatMap((f) => messagesOfFile(Buffer.from(f.lines.join('\n') + '\n'), f.file, f.user, 'ccpulse'))
    .map((m, i) => ({ seq: i + 1, subject: m.subject, data: m.data, deliveryCount: 1 }));
}

async function foldInto(db: Kysely<Database>, schema: string, batches: StreamMessage[][]): Promise<void> {
  await createProjectionSchema(db, schema);
  let position = 0;
  for (const batch of batches) {
    position += batch.length;
    await db.transaction().execute((trx) => applyBatch(trx, { schema, consumer: `c-${schema}`, processorVersion: PROCESSOR_VERSION }, batch, [], position));
  }
}

async function readModel(db: Kysely<Database>, schema: string): Promise<string[]> {
  const rows = await sql<Record<string, unknown>>`
    select session_id, to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as hour, model, user_name, project, sessions,
      prompts, active_ms::text, lines_added::text, lines_removed::text, commits, pull_requests, edits_accepted, edits_rejected,
      tool_decisions
    from ${sql.id(schema, 'usage_session_hourly')}`.execute(db);
  return rows.rows.map((r) => JSON.stringify({ ...r, tool_decisions: sortedKeys(r.tool_decisions as Record<string, unknown>) })).sort();
}

describe('team read model: incremental equals from scratch', () => {
  let t: TestDatabase;
  let run = 0;
  const base = projectionSchemaName(PROCESSOR_VERSION);

  beforeAll(async () => {
    t = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('equals the pure reducer on one in-order batch', async () => {
    const seed = 7;
    const schema = `${base}_r${++run}`;
    await foldInto(t.db, schema, [messagesOf(seed)]);
    const files = teamTranscripts({ seed, sessionsPerUser: 3, turnsPerSession: 6 });
    const want: string[] = [];
    for (const f of files) {
      const folded = fold([{ file: f.file, lines: f.lines }]);
      for (const [id, state] of folded.states) {
        const summary = folded.summaries.get(id);
        for (const h of sessionHours(state)) want.push(expected(id, f.user, summary?.project ?? '', h));
      }
    }
    const got = await readModel(t.db, schema);
    expect(got.length).toBeGreaterThan(10);
    expect(got).toEqual(want.sort());
    const totals = await sql<{ lines: string; commits: number; rejected: number }>`
      select sum(lines_added)::text as lines, sum(commits)::int as commits, sum(edits_rejected)::int as rejected
      from ${sql.id(schema, 'usage_session_hourly')}`.execute(t.db);
    expect(Number(totals.rows[0].lines)).toBeGreaterThan(0);
  }, 120_000);

  // The generated corpus always; the real transcripts as an extra tier when they are present.
  it.each(corpora().map((c) => [c.name, c] as const))('equals the pure reducer on the %s corpus', async (_, corpus) => {
    const schema = `${base}_r${++run}`;
    const messages = fixtureMessages(corpus.dir, 'alice', 'ccpulse').map((m, i) => ({ seq: i + 1, subject: m.subject, data: m.data, deliveryCount: 1 }));
    const batches: StreamMessage[][] = [];
    for (let i = 0; i < messages.length; i += 500) batches.push(messages.slice(i, i + 500));
    await foldInto(t.db, schema, batches);
    const root = path.join(corpus.dir, 'claude', 'projects');
    const folded = fold(listJsonl(root).map((file) => ({ file, lines: linesOfBytes(fs.readFileSync(path.join(root, file))) })));
    const want: string[] = [];
    for (const [id, state] of folded.states) {
      const summary = folded.summaries.get(id);
      for (const h of sessionHours(state)) want.push(expected(id, 'alice', summary?.project ?? '', h));
    }
    const got = await readModel(t.db, schema);
    expect(got.length).toBeGreaterThan(20);
    expect(got).toEqual(want.sort());
    if (corpus.generated) return; // its tools carry no edits or commits: the in-order batch above covers those rules
    // The real files have edits, commits and rejections: every rule is exercised.
    const rows = got.map((r) => JSON.parse(r) as { lines_added: string; commits: number; tool_decisions: Record<string, { rejected: number }> });
    expect(rows.reduce((a, r) => a + Number(r.lines_added), 0)).toBeGreaterThan(0);
    expect(rows.reduce((a, r) => a + r.commits, 0)).toBeGreaterThan(0);
    expect(rows.reduce((a, r) => a + Object.values(r.tool_decisions).reduce((b, d) => b + d.rejected, 0), 0)).toBeGreaterThan(0);
  }, 300_000);

  it('any order, batching and redelivery gives the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), fc.integer(), async (seed, sizes, shuffleSeed) => {
        const messages = messagesOf(seed);
        const scratch = `${base}_r${++run}`;
        await foldInto(t.db, scratch, [messages]);
        const redelivered = [...messages, ...messages.filter((_, i) => (i * 7 + shuffleSeed) % 5 === 0)];
        let s = shuffleSeed >>> 0;
        const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
        for (let i = redelivered.length - 1; i > 0; i--) {
          const j = Math.floor(next() * (i + 1));
          [redelivered[i], redelivered[j]] = [redelivered[j], redelivered[i]];
        }
        const batches: StreamMessage[][] = [];
        for (let i = 0, k = 0; i < redelivered.length; k++) {
          const size = sizes[k % sizes.length];
          batches.push(redelivered.slice(i, i + size));
          i += size;
        }
        const incremental = `${base}_r${++run}`;
        await foldInto(t.db, incremental, batches);
        expect(await readModel(t.db, incremental)).toEqual(await readModel(t.db, scratch));
        await sql`drop schema ${sql.id(scratch)} cascade; drop schema ${sql.id(incremental)} cascade`.execute(t.db).catch(async () => {
          await sql`drop schema ${sql.id(scratch)} cascade`.execute(t.db);
          await sql`drop schema ${sql.id(incremental)} cascade`.execute(t.db);
        });
      }),
      { numRuns: 5 },
    );
  }, 300_000);
});

function expected(sessionId: string, user: string, project: string, h: SessionHour): string {
  return JSON.stringify({
    session_id: sessionId,
    hour: new Date(h.hourMs).toISOString().slice(0, 13),
    model: h.model,
    user_name: user,
    project,
    sessions: h.sessions,
    prompts: h.prompts,
    active_ms: String(Math.round(h.activeMs)), // stored in whole ms (microsecond timestamps give fractions)
    lines_added: String(h.outcomes.linesAdded),
    lines_removed: String(h.outcomes.linesRemoved),
    commits: h.outcomes.commits,
    pull_requests: h.outcomes.pullRequests,
    edits_accepted: h.outcomes.editsAccepted,
    edits_rejected: h.outcomes.editsRejected,
    tool_decisions: sortedKeys(h.outcomes.tools),
  });
}

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
