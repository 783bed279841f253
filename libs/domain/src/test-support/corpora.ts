/*
 * Test-only: the transcript corpora a suite runs on. A generated corpus is always there (written
 * to a temporary folder laid out like the shared fixtures: `claude/projects/**` and
 * `expected/oracle.json`); the real fixtures are an extra tier when `../shared/fixtures` (or
 * `CCPULSE_FIXTURES`) exists. So a fresh clone runs every suite, and nothing is skipped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { costOf, roundMicroUsd } from '../pricing/cost';
import { fixturesDir } from './fixtures';
import { fold } from './fold';
import { finalFiles, transcriptTree, type TranscriptTree } from './transcript-tree';
import { removeWhenDone } from './temp-dirs';
import { linesOfBytes, writeTree } from './tree-files';

export interface Corpus {
  /** `generated` or `real fixtures`: shown in test names. */
  name: string;
  /** A folder with `claude/projects/` and `expected/oracle.json`. */
  dir: string;
  generated: boolean;
}

/** The generated corpus of a seed (cached per process), then the real fixtures when present. */
export function corpora(opts: { seed?: number; sessions?: number; turns?: number } = {}): Corpus[] {
  const out: Corpus[] = [{ name: 'generated', dir: generatedCorpusDir(opts), generated: true }];
  const real = fixturesDir();
  if (real) out.push({ name: 'real fixtures', dir: real, generated: false });
  return out;
}

const written = new Map<string, string>();

/** Writes (once per process and options) a generated tree and its oracle; returns the folder. */
export function generatedCorpusDir(opts: { seed?: number; sessions?: number; turns?: number } = {}): string {
  const seed = opts.seed ?? 2026;
  const sessions = opts.sessions ?? 14;
  const turns = opts.turns ?? 8;
  const id = `${seed}-${sessions}-${turns}`;
  const known = written.get(id);
  if (known) return known;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ccpulse-corpus-${id}-`));
  removeWhenDone(dir);
  const tree = transcriptTree({ seed, sessions, turns });
  const files = finalFiles(tree);
  writeTree(path.join(dir, 'claude', 'projects'), files);
  fs.mkdirSync(path.join(dir, 'expected'));
  fs.writeFileSync(path.join(dir, 'expected', 'oracle.json'), JSON.stringify(oracleOf(tree), null, 1));
  written.set(id, dir);
  return dir;
}

/**
 * The oracle file of a generated tree, in the shape of the real one. Day × model tokens, the
 * rejections and the sessions' message and token counts are the generator's truth (built, not
 * computed by this code); the other session fields and the cost come from the domain fold, which
 * must agree with that truth (checked here, so a corpus that disagrees is never written).
 */
export function oracleOf(tree: TranscriptTree) {
  const folded = fold([...finalFiles(tree)].map(([file, bytes]) => ({ file, lines: linesOfBytes(bytes) })));
  const daily: Record<string, Record<string, Record<string, number>>> = {};
  for (const r of folded.records) {
    if (r.ts === undefined) continue;
    const day = new Date(r.ts).toISOString().slice(0, 10);
    const m = ((daily[day] ??= {})[r.model] ??= { cache1h: 0, cache5m: 0, cacheCreation: 0, cacheRead: 0, costMicroUsd: 0, input: 0, output: 0 });
    m.input += r.tokens.input;
    m.output += r.tokens.output;
    m.cacheRead += r.tokens.cacheRead;
    m.cacheCreation += r.tokens.cacheCreation;
    m.cache5m += r.tokens.cacheCreation5m;
    m.cache1h += r.tokens.cacheCreation1h;
    m.costMicroUsd += roundMicroUsd(costOf(r.model, r.tokens).costUsd);
  }
  const sessions: Record<string, Record<string, unknown>> = {};
  for (const [id, s] of folded.summaries) {
    sessions[id] = {
      active_seconds: s.activeSeconds, assistant_messages: s.assistantMessages, cache_creation_tokens: s.cacheCreationTokens,
      cache_read_tokens: s.cacheReadTokens, distinct_skills: s.distinctSkills, distinct_tools: s.distinctTools, ended_at: s.endedAt,
      input_tokens: s.inputTokens, mcp_calls: s.mcpCalls, output_tokens: s.outputTokens, primary_model: s.primaryModel ?? null,
      prompts: s.prompts, skill_invocations: s.skillInvocations, slash_commands: s.slashCommands, started_at: s.startedAt,
      subagent_dispatches: s.subagentDispatches, tool_calls: s.toolCalls, tool_errors: s.toolErrors, user_messages: s.userMessages,
      wall_seconds: s.wallSeconds,
    };
  }
  const disagree: string[] = [];
  if (folded.rejected !== tree.truth.rejected) disagree.push(`rejected ${folded.rejected} != ${tree.truth.rejected}`);
  for (const [day, models] of Object.entries(tree.truth.daily)) {
    for (const [model, want] of Object.entries(models)) {
      const got = daily[day]?.[model];
      for (const k of Object.keys(want) as (keyof typeof want)[]) if (got?.[k] !== want[k]) disagree.push(`${day} ${model} ${k}`);
    }
  }
  if (Object.keys(sessions).sort().join() !== Object.keys(tree.truth.sessions).sort().join()) disagree.push('session ids');
  for (const [id, want] of Object.entries(tree.truth.sessions)) {
    for (const k of ['user_messages', 'assistant_messages', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens'] as const) {
      if (sessions[id]?.[k] !== want[k]) disagree.push(`${id} ${k}`);
    }
  }
  if (disagree.length) throw new Error(`generated corpus seed ${tree.seed}: the domain fold disagrees with the generator: ${disagree.slice(0, 5).join('; ')}`);
  return { daily, rejected: folded.rejected, sessions };
}
