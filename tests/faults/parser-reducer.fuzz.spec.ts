/**
 * Property tests (fast-check) for the line parser, the entry builder and the session reducer on
 * hostile input: arbitrary bytes, arbitrary JSON, real-looking lines with any field the rules
 * read replaced by any JSON value. Nothing throws; every line is an object or a typed rejection;
 * token counts are non-negative safe integers; summaries stay self-consistent.
 */
import fc from 'fast-check';
import {
  evolveSession,
  initialSessionState,
  parseLine,
  summarizeSession,
  toEntry,
  type Entry,
} from '@ccpulse/domain';
import { syntheticTranscripts } from '../../libs/domain/src/test-support/synthetic-transcript';
import { MUTATIONS, READ_FIELDS, mutateLine } from './support/line-mutations';

const REASONS = new Set(['malformed_json', 'not_object', 'too_large', 'invalid_utf8', 'too_deep', 'bad_envelope']);
const RUNS = process.env.CCPULSE_FAULTS === 'full' ? 20_000 : 1_000;

const realLines = syntheticTranscripts({ seed: 6060, sessions: 6, turnsPerSession: 12 })
  .flatMap((f) => f.lines)
  .filter((l) => parseLine(l).ok);

/** A real-looking line with 1–4 read fields replaced (or removed) by arbitrary JSON values. */
const hostileObject = fc
  .tuple(
    fc.constantFrom(...realLines),
    fc.array(fc.tuple(fc.constantFrom(...READ_FIELDS), fc.option(fc.jsonValue(), { nil: undefined })), { minLength: 1, maxLength: 4 }),
  )
  .map(([line, edits]) => {
    const obj = JSON.parse(line) as Record<string, unknown>;
    for (const [path, value] of edits) {
      let cur: any = obj;
      for (const k of path.slice(0, -1)) {
        if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
        cur = cur[k];
      }
      if (value === undefined) delete cur[path[path.length - 1]];
      else cur[path[path.length - 1]] = value;
    }
    return obj;
  });

function checkEntry(e: Entry): void {
  const u = e.message?.usage;
  if (u) {
    for (const v of Object.values(u)) {
      expect(Number.isSafeInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
  }
}

describe('parser, entry builder and session reducer under fuzz', () => {
  it('given any bytes, when parsed, then the result is an object or a rejection with a known reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = parseLine(bytes);
        if (r.ok) expect(typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value)).toBe(true);
        else expect(REASONS.has(r.reason)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('given any JSON text, when parsed, then it is accepted exactly when JSON.parse gives an object', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ unit: 'grapheme', maxLength: 200 })), (text) => {
        let expected: boolean;
        try {
          const v = JSON.parse(text);
          expected = v !== null && typeof v === 'object' && !Array.isArray(v);
        } catch {
          expected = false;
        }
        expect(parseLine(text).ok).toBe(expected);
        expect(parseLine(Buffer.from(text)).ok).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('given a mutated real line (every mutation of the fuzz suite), when parsed and built, then nothing throws', () => {
    fc.assert(
      fc.property(fc.constantFrom(...realLines), fc.constantFrom(...MUTATIONS), fc.integer(), (line, mutation, seed) => {
        let s = seed >>> 0;
        const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
        const r = parseLine(mutateLine(line, mutation, rand, ['u-1', 'u-2']));
        if (!r.ok) {
          expect(REASONS.has(r.reason)).toBe(true);
          return;
        }
        checkEntry(toEntry(r.value, { file: 'p/s.jsonl' }));
      }),
      { numRuns: RUNS },
    );
  });

  it('given any JSON object or hostile real-looking line, when built into an entry, then tokens are non-negative safe integers', () => {
    fc.assert(
      fc.property(fc.oneof(hostileObject, fc.dictionary(fc.string(), fc.jsonValue())), (obj) => {
        checkEntry(toEntry(obj as Record<string, unknown>, { file: 'proj/sess.jsonl' }));
        checkEntry(toEntry(obj as Record<string, unknown>, { file: 'proj/sess/subagents/agent-1.jsonl', content: 'full' }));
      }),
      { numRuns: RUNS },
    );
  });

  it('given a session of hostile entries in any order, when reduced, then the summary is self-consistent and order-independent', () => {
    fc.assert(
      fc.property(fc.array(hostileObject, { minLength: 1, maxLength: 25 }), fc.integer(), (objs, seed) => {
        const entries = objs.map((o) => toEntry(o, { file: 'proj/sess.jsonl' }));
        const fold = (list: Entry[]) => summarizeSession(list.reduce((st, e) => evolveSession(st, e), initialSessionState('sess')));
        const a = fold(entries);
        const shuffled = entries.map((e, i) => ({ e, k: (Math.imul(i + 1, seed | 1) >>> 0) % 997 })).sort((x, y) => x.k - y.k).map((x) => x.e);
        const b = fold(shuffled);
        expect(b).toEqual(a);
        if (!a) return;
        const counters = [a.userMessages, a.assistantMessages, a.prompts, a.toolCalls, a.toolErrors, a.skillInvocations, a.subagentDispatches, a.mcpCalls, a.slashCommands, a.distinctTools, a.distinctSkills, a.activeSeconds, a.wallSeconds];
        for (const c of counters) {
          expect(Number.isSafeInteger(c)).toBe(true);
          expect(c).toBeGreaterThanOrEqual(0);
        }
        expect(a.userMessages + a.assistantMessages).toBeLessThanOrEqual(entries.length);
        expect(a.activeSeconds).toBeLessThanOrEqual(a.wallSeconds);
        if (a.startedAt && a.endedAt) expect(a.startedAt <= a.endedAt).toBe(true);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});
