/**
 * The counting rules against numbers known independently of this code: generated adversarial
 * trees against what their generator built (always), and the real transcripts under the shared
 * fixtures against the independent oracle (`expected/oracle.json`) and ccusage's output for the
 * same files (an extra tier that runs when the fixtures are there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MAX_LINE_BYTES } from './entry/parse-line';
import { roundMicroUsd, costOf } from './pricing/cost';
import { fixturesDir, listJsonl, readLinesSync } from './test-support/fixtures';
import { fold, type Folded } from './test-support/fold';
import { finalFiles, transcriptTree } from './test-support/transcript-tree';
import { linesOfBytes } from './test-support/tree-files';

const dir = fixturesDir();
// The real-transcript tier exists where the fixtures do; elsewhere the generated tier above stands alone.
const d = dir ? describe : (_name: string, _fn: () => void) => undefined;

type Day = Record<string, { input: number; output: number; cacheRead: number; cacheCreation: number; cache5m: number; cache1h: number; costMicroUsd: number }>;

const SESSION_FIELDS: Record<string, string> = {
  active_seconds: 'activeSeconds', wall_seconds: 'wallSeconds', user_messages: 'userMessages',
  assistant_messages: 'assistantMessages', prompts: 'prompts', tool_calls: 'toolCalls', tool_errors: 'toolErrors',
  skill_invocations: 'skillInvocations', subagent_dispatches: 'subagentDispatches', mcp_calls: 'mcpCalls',
  slash_commands: 'slashCommands', distinct_tools: 'distinctTools', distinct_skills: 'distinctSkills',
  input_tokens: 'inputTokens', output_tokens: 'outputTokens', cache_read_tokens: 'cacheReadTokens',
  cache_creation_tokens: 'cacheCreationTokens',
};

describe.each([11, 12, 13, 14, 15, 16])('a generated adversarial tree (seed %i) against what its generator built', (seed) => {
  const tree = transcriptTree({ seed, sessions: 4, turns: 5 });
  const folded = fold([...finalFiles(tree)].map(([file, bytes]) => ({ file, lines: linesOfBytes(bytes) })));

  it('rejects exactly the malformed lines', () => {
    expect(folded.rejected).toBe(tree.truth.rejected);
  });

  it('counts every token of every day × model exactly', () => {
    const daily: Record<string, Record<string, Record<string, number>>> = {};
    for (const r of folded.records) {
      const day = new Date(r.ts!).toISOString().slice(0, 10);
      const m = ((daily[day] ??= {})[r.model] ??= { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cache5m: 0, cache1h: 0 });
      m.input += r.tokens.input;
      m.output += r.tokens.output;
      m.cacheRead += r.tokens.cacheRead;
      m.cacheCreation += r.tokens.cacheCreation;
      m.cache5m += r.tokens.cacheCreation5m;
      m.cache1h += r.tokens.cacheCreation1h;
    }
    expect(daily).toEqual(tree.truth.daily);
  });

  it('gives every session with its message and token counts and its first and last instant', () => {
    const got = Object.fromEntries(
      [...folded.summaries].map(([id, s]) => [id, {
        user_messages: s.userMessages, assistant_messages: s.assistantMessages, input_tokens: s.inputTokens, output_tokens: s.outputTokens,
        cache_read_tokens: s.cacheReadTokens, cache_creation_tokens: s.cacheCreationTokens,
        started_at: new Date(Math.floor(Date.parse(s.startedAt!))).toISOString(), ended_at: new Date(Math.floor(Date.parse(s.endedAt!))).toISOString(),
      }]),
    );
    expect(got).toEqual(tree.truth.sessions);
  });
});

describe('generated trees with a line above the line limit', () => {
  // Seeds whose trees hold one: mid-file, last with its newline, and last without it (not rejected).
  const trees = [{ seed: 4, sessions: 3 }, { seed: 8, sessions: 3 }, { seed: 1_000_014, sessions: 2 }].map((o) =>
    transcriptTree({ ...o, turns: 4, oversized: true }),
  );

  it('rejects exactly the lines the generator made bad, the oversized one unless it is an unterminated last line', () => {
    const big = trees.map((t) => [...finalFiles(t).values()].find((b) => b.length > DEFAULT_MAX_LINE_BYTES));
    expect(big.every(Boolean)).toBe(true);
    expect(big.some((b) => b!.at(-1) !== 0x0a && b!.length - b!.lastIndexOf(0x0a) > DEFAULT_MAX_LINE_BYTES)).toBe(true);
    for (const tree of trees) {
      const folded = fold([...finalFiles(tree)].map(([file, bytes]) => ({ file, lines: linesOfBytes(bytes) })));
      expect({ seed: tree.seed, rejected: folded.rejected }).toEqual({ seed: tree.seed, rejected: tree.truth.rejected });
    }
  });
});

d('real transcripts (fixtures) against the oracle', () => {
  let folded: Folded;
  let oracle: { daily: Record<string, Day>; sessions: Record<string, Record<string, unknown>>; rejected: number };
  let daily: Record<string, Day>;

  beforeAll(() => {
    const root = path.join(dir!, 'claude', 'projects');
    folded = fold(listJsonl(root).map((file) => ({ file, lines: readLinesSync(path.join(root, file)) })));
    oracle = JSON.parse(fs.readFileSync(path.join(dir!, 'expected', 'oracle.json'), 'utf8'));
    daily = {};
    for (const r of folded.records) {
      if (r.ts === undefined) continue;
      const day = new Date(r.ts).toISOString().slice(0, 10);
      const m = ((daily[day] ??= {})[r.model] ??= { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cache5m: 0, cache1h: 0, costMicroUsd: 0 });
      m.input += r.tokens.input;
      m.output += r.tokens.output;
      m.cacheRead += r.tokens.cacheRead;
      m.cacheCreation += r.tokens.cacheCreation;
      m.cache5m += r.tokens.cacheCreation5m;
      m.cache1h += r.tokens.cacheCreation1h;
      m.costMicroUsd += roundMicroUsd(costOf(r.model, r.tokens).costUsd);
    }
  });

  it('rejects exactly the malformed lines', () => {
    expect(folded.rejected).toBe(oracle.rejected);
  });

  it('gives the same days and models', () => {
    const keys = (x: Record<string, Day>) => Object.entries(x).flatMap(([day, models]) => Object.keys(models).map((m) => `${day} ${m}`)).sort();
    expect(keys(daily)).toEqual(keys(oracle.daily));
  });

  it('counts every token of every day × model exactly, and cost within a few micro-USD', () => {
    for (const [day, models] of Object.entries(oracle.daily)) {
      for (const [model, want] of Object.entries(models)) {
        const got = daily[day][model];
        const { costMicroUsd, ...tokens } = got;
        const { costMicroUsd: wantCost, ...wantTokens } = want;
        expect({ day, model, ...tokens }).toEqual({ day, model, ...wantTokens });
        expect(Math.abs(costMicroUsd - wantCost)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('gives every session count of the oracle', () => {
    expect([...folded.summaries.keys()].sort()).toEqual(Object.keys(oracle.sessions).sort());
    for (const [id, want] of Object.entries(oracle.sessions)) {
      const got = folded.summaries.get(id)! as unknown as Record<string, unknown>;
      const pick = (row: Record<string, unknown>, names: Record<string, string>, useKey: boolean) =>
        Object.fromEntries(Object.entries(names).map(([snake, camel]) => [snake, row[useKey ? snake : camel]]));
      expect({ id, ...pick(got, SESSION_FIELDS, false) }).toEqual({ id, ...pick(want, SESSION_FIELDS, true) });
      expect(got.primaryModel ?? null).toBe(want.primary_model);
      expect(Date.parse(got.startedAt as string)).toBe(Date.parse(want.started_at as string));
      expect(Date.parse(got.endedAt as string)).toBe(Date.parse(want.ended_at as string));
    }
  });

  it('agrees with ccusage@18 on input and cache tokens per day (output is higher by design)', () => {
    const ccusage = JSON.parse(fs.readFileSync(path.join(dir!, 'expected', 'ccusage-18.0.11-daily-utc.json'), 'utf8')) as {
      daily: { date: string; inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number }[];
    };
    for (const row of ccusage.daily) {
      const models = Object.values(daily[row.date] ?? {});
      const sum = (k: 'input' | 'output' | 'cacheRead' | 'cacheCreation') => models.reduce((a, m) => a + m[k], 0);
      expect({ date: row.date, input: sum('input'), cacheRead: sum('cacheRead'), cacheCreation: sum('cacheCreation') }).toEqual({
        date: row.date, input: row.inputTokens, cacheRead: row.cacheReadTokens, cacheCreation: row.cacheCreationTokens,
      });
      expect(sum('output')).toBeGreaterThanOrEqual(row.outputTokens);
    }
  });
});
