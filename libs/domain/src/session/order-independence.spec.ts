/**
 * Given the same entries, when they are folded in any order and in any batches (the state
 * serialised to JSON and back between batches, as the aggregator stores it), then the session
 * summaries and the daily totals are identical.
 */
import fc from 'fast-check';
import type { Entry } from '../entry/entry';
import { EntryLedger, ToolUseLedger, UsageLedger } from '../usage/usage-ledger';
import { usageRecordOf, type UsageRecord } from '../usage/usage-record';
import { entriesOf } from '../test-support/fold';
import { syntheticTranscripts } from '../test-support/synthetic-transcript';
import { evolveSession, initialSessionState, type SessionState } from './session-state';
import { summarizeSession } from './session-summary';
import { tokensBySession } from './session-tokens';

interface Keyed {
  entry: Entry;
  key: string;
}

function corpus(seed: number): { kept: Keyed[]; tools: ToolUseLedger; records: UsageRecord[] } {
  const { entries } = entriesOf(syntheticTranscripts({ seed, sessions: 3, turnsPerSession: 5 }));
  const ledger = new EntryLedger();
  const tools = new ToolUseLedger();
  const keys = new Map<Entry, string>();
  const records: UsageRecord[] = [];
  for (const { entry, key } of entries) {
    ledger.add(entry);
    tools.add(entry, key);
    keys.set(entry, key);
    const r = usageRecordOf(entry, key);
    if (r) records.push(r);
  }
  return { kept: [...ledger.entries()].map((entry) => ({ entry, key: keys.get(entry)! })), tools, records };
}

function permute<T>(xs: T[], keys: number[]): T[] {
  return xs.map((x, i) => ({ x, k: keys[i % keys.length] ?? 0, i })).sort((a, b) => a.k - b.k || a.i - b.i).map((p) => p.x);
}

function foldInBatches(kept: Keyed[], tools: ToolUseLedger, cuts: number[]) {
  let stored: Record<string, SessionState> = {};
  let from = 0;
  const ends = [...new Set(cuts.map((c) => c % (kept.length + 1)))].sort((a, b) => a - b).concat(kept.length);
  for (const end of ends) {
    const batch = kept.slice(from, Math.max(from, end));
    from = Math.max(from, end);
    const states: Record<string, SessionState> = JSON.parse(JSON.stringify(stored));
    for (const { entry, key } of batch) {
      if (!entry.sessionId) continue;
      const s = (states[entry.sessionId] ??= initialSessionState(entry.sessionId));
      evolveSession(s, entry, { countToolUse: (id) => tools.isKept(id, key) });
    }
    stored = JSON.parse(JSON.stringify(states));
  }
  return stored;
}

function outcome(states: Record<string, SessionState>, records: UsageRecord[]) {
  const usage = new UsageLedger();
  for (const r of records) usage.add(r);
  const kept = [...usage.records()];
  const tokens = tokensBySession(kept);
  const summaries = Object.values(states)
    .map((s) => summarizeSession(s, tokens.get(s.sessionId)))
    .filter((s) => s !== undefined)
    .map((s) => ({ ...s, costUsd: Math.round(s.costUsd * 1e9) }))
    .sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
  const daily: Record<string, number[]> = {};
  for (const r of kept) {
    if (r.ts === undefined) continue;
    const d = (daily[`${new Date(r.ts).toISOString().slice(0, 10)} ${r.model}`] ??= [0, 0, 0, 0]);
    d[0] += r.tokens.input;
    d[1] += r.tokens.output;
    d[2] += r.tokens.cacheRead;
    d[3] += r.tokens.cacheCreation;
  }
  return { summaries, daily };
}

describe('order independence of the counting core', () => {
  it('gives identical summaries and daily totals for any order and batching', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer(), { minLength: 1, maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (seed, order, cuts) => {
          const { kept, tools, records } = corpus(seed);
          const reference = outcome(foldInBatches(kept, tools, []), records);
          const shuffled = outcome(foldInBatches(permute(kept, order), tools, cuts), permute(records, order.slice().reverse()));
          expect(shuffled).toEqual(reference);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the corpus really exercises the joins (results before uses, errors, copies)', () => {
    const { kept, records } = corpus(7);
    expect(kept.length).toBeGreaterThan(30);
    expect(records.length).toBeGreaterThan(new Set(records.map((r) => r.key)).size);
  });
});
