import { entryContentKey, type Entry } from '@ccpulse/domain';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createProjectionSchema } from '../projection/projection-schema';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { type EntryRow, entryWins, insertEntries } from './insert-entries';
import { loadSessionEntries } from './load-session-entries';

const SCHEMA = 'usage_v1';

function row(key: string, sessionId: string, ts: string | null, seq: number): EntryRow {
  const entry: Entry = {
    type: 'user', kind: 'user', uuid: key, sessionId, isSidechain: false, isMeta: false, isCompactSummary: false,
    toolUses: [], toolResults: [], commands: [], isPrompt: true, ...(ts ? { timestamp: ts, ts: Date.parse(ts) } : {}),
  };
  return { entryKey: key, userName: 'ann', sessionId, ts, kind: 'user', project: '/w', isPrompt: true, streamSeq: seq, contentKey: entryContentKey(entry), entry };
}

jest.setTimeout(60_000);

describe('insertEntries (real PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await createProjectionSchema(t.db, 1);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('reports inserted, duplicate and replaced (with the session it moved from) by the uuid-winner rule', async () => {
    const first = await insertEntries(t.db, SCHEMA, [
      row('u1', 's-b', '2026-01-01T10:00:05Z', 1),
      row('u1', 's-c', '2026-01-01T10:00:09Z', 2), // later copy in the same batch
      row('u2', 's-b', '2026-01-01T10:00:06Z', 3),
    ]);
    expect(first.map((o) => o.status)).toEqual(['inserted', 'duplicate', 'inserted']);

    // the same batch again: all duplicates
    expect((await insertEntries(t.db, SCHEMA, [row('u1', 's-b', '2026-01-01T10:00:05Z', 1)])).map((o) => o.status)).toEqual(['duplicate']);

    const later = await insertEntries(t.db, SCHEMA, [
      row('u1', 's-a', '2026-01-01T10:00:05Z', 4), // same ts, smaller session: wins
      row('u2', 's-z', '2026-01-01T10:00:01Z', 5), // earlier ts: wins
      row('u3', 's-b', null, 6),
    ]);
    expect(later).toEqual([
      { entryKey: 'u1', status: 'replaced', previousSessionId: 's-b' },
      { entryKey: 'u2', status: 'replaced', previousSessionId: 's-b' },
      { entryKey: 'u3', status: 'inserted' },
    ]);
    // a copy with a timestamp beats one without
    expect(await insertEntries(t.db, SCHEMA, [row('u3', 's-x', '2026-01-02T00:00:00Z', 7)])).toEqual([
      { entryKey: 'u3', status: 'replaced', previousSessionId: 's-b' },
    ]);

    expect(await loadSessionEntries(t.db, SCHEMA, 's-b')).toEqual([]);
    const a = await loadSessionEntries(t.db, SCHEMA, 's-a');
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ uuid: 'u1', sessionId: 's-a', isPrompt: true });
  });

  it('any split and order of batches (with redelivery) ends with the same winner per key as the JS rule', async () => {
    const rowArb = fc
      .record({ key: fc.integer({ min: 0, max: 6 }), session: fc.constantFrom('s1', 's2', 's3'), sec: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 5 }) })
      .map(({ key, session, sec }) => row(`k${key}`, session, sec === null ? null : `2026-01-01T00:00:0${sec}Z`, 1));
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 8 }), async (rows, size) => {
        await sql`truncate ${sql.id(SCHEMA, 'usage_entries')}`.execute(t.db);
        let newKeys = 0;
        const ordered = [...rows, ...[...rows].reverse()];
        for (let i = 0; i < ordered.length; i += size) {
          const outcomes = await insertEntries(t.db, SCHEMA, ordered.slice(i, i + size));
          newKeys += outcomes.filter((o) => o.status === 'inserted').length;
        }
        const expected = new Map<string, EntryRow>();
        for (const r of rows) if (!expected.has(r.entryKey) || entryWins(r, expected.get(r.entryKey)!)) expected.set(r.entryKey, r);
        expect(newKeys).toBe(expected.size);
        const stored = await t.db.withSchema(SCHEMA).selectFrom('usage_entries').select(['entry_key', 'session_id', 'ts']).orderBy('entry_key').execute();
        expect(stored.map((r) => [r.entry_key, r.session_id, r.ts?.toISOString() ?? null])).toEqual(
          [...expected.values()].sort((a, b) => a.entryKey.localeCompare(b.entryKey)).map((r) => [r.entryKey, r.sessionId, r.ts ? new Date(r.ts).toISOString() : null]),
        );
      }),
      { numRuns: 40 },
    );
  });
  it('given two copies at the same instant in the same session that differ in content, keeps the same one in any order', async () => {
    const copy = (text: string, seq: number): EntryRow => {
      const r = row('edited', 's1', '2026-01-01T10:00:00.000100Z', seq);
      const entry = { ...r.entry, commands: [text] };
      return { ...r, entry, contentKey: entryContentKey(entry) };
    };
    const [a, b] = [copy('review', 1), copy('init', 2)];
    const kept = (a.contentKey < b.contentKey ? a : b).entry.commands;
    for (const order of [[a, b], [b, a]]) {
      await sql`truncate ${sql.id(SCHEMA, 'usage_entries')}`.execute(t.db);
      for (const r of order) await insertEntries(t.db, SCHEMA, [r]);
      const stored = await t.db.withSchema(SCHEMA).selectFrom('usage_entries').select('entry').where('entry_key', '=', 'edited').executeTakeFirstOrThrow();
      expect(stored.entry.commands).toEqual(kept);
    }
  });
});
