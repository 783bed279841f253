import type { Entry } from '../entry/entry';
import { projectIdentity } from '../entry/project-identity';
import { classifyEvents } from '../events/classify-events';
import { isSyntheticModel } from '../usage/usage-record';
import { addActivity } from './activity';
import type { LineChange } from '../outcomes/line-changes';
import { addOutcome, zeroOutcomes, type OutcomeCounts } from '../outcomes/outcome-counts';
import { EDIT_TOOL_NAMES } from '../outcomes/tool-input-facts';
import { zeroSessionCounts, type SessionCounts } from './session-counts';

/** Per tool name: calls, joined failures and durations. */
export interface ToolStats {
  calls: number;
  errors: number;
  durationMsSum: number;
  durationCount: number;
}

/** A tool_use still waiting for its result (or the other way round); joined whichever comes first. */
export interface PendingUse {
  name: string;
  ts?: number;
  /** The model of the assistant line that made the use (outcomes are attributed to it). */
  model?: string;
  lines?: LineChange;
  commits?: number;
  pullRequests?: number;
}
export interface PendingResult {
  ts?: number;
  isError: boolean;
  patchLines?: number;
  patch?: LineChange;
  rejected?: boolean;
}

export const HOUR_MS = 3_600_000;

/** Key of an outcome bucket: the UTC hour (epoch ms) of the use, and its model ('' for none). */
export function outcomeBucketKey(hourMs: number, model: string): string {
  return `${hourMs}|${model}`;
}

/**
 * Everything a session summary needs, folded entry by entry. JSON-serialisable (the aggregator
 * stores it as jsonb between batches) and bounded: O(distinct tools + models + skills + activity
 * blocks + tool ids waiting for their other half). Folding is order-independent over the
 * session's entries after the uuid dedupe: counts are sums, extremes are min/max with total-order
 * tie-breaks, activity blocks merge commutatively and tool use/result pairs join either way.
 * Tokens are NOT here: a response belongs to the session of its kept copy, which can change.
 * The plain counts (`SESSION_COUNTS`) are named in session-counts.ts and counted below.
 */
export interface SessionState extends SessionCounts {
  v: 1;
  sessionId: string;
  firstTs?: number;
  lastTs?: number;
  /** Sorted, disjoint [first, last] timestamp blocks; neighbours are more than 600 s apart. */
  activity: [number, number][];
  /** Assistant lines per model (`<synthetic>` excluded). */
  models: Record<string, number>;
  tools: Record<string, ToolStats>;
  skills: Record<string, number>;
  /** Project of the earliest line that has a cwd (subagent worktrees fold into their parent). */
  project?: string;
  projectTs?: number;
  /** That line's subagent worktree (`agent-<id>`), when it ran in one. */
  worktree?: string;
  /** Latest non-empty gitBranch. */
  gitBranch?: string;
  gitBranchTs?: number;
  pendingUses: Record<string, PendingUse>;
  pendingResults: Record<string, PendingResult>;
  /**
   * Successful Edit/Write/MultiEdit/NotebookEdit calls and the lines of their results' structured
   * patches (a created file has none). The changed lines are the outcome metrics' lines, in
   * `outcomes` (states stored by earlier builds also carry an unused `changes` here).
   */
  edits: { successful: number; patchLines: number };
  /** The latest TodoWrite (by timestamp) and when todos first appeared. */
  todos?: { ts: number; firstTs: number; done: number; total: number };
  /**
   * Outcome metrics of the joined tool uses, per `outcomeBucketKey(hour of the use, its model)`;
   * a use whose line and result both lack a timestamp is under hour `NaN` (in no period).
   */
  outcomes: Record<string, OutcomeCounts>;
  /** Prompts per UTC hour (epoch ms, as a key); prompts without a timestamp are in no hour. */
  promptHours: Record<string, number>;
}

export function initialSessionState(sessionId: string): SessionState {
  return {
    v: 1,
    sessionId,
    ...zeroSessionCounts(),
    activity: [],
    models: {},
    tools: {},
    skills: {},
    pendingUses: {},
    pendingResults: {},
    edits: { successful: 0, patchLines: 0 },
    outcomes: {},
    promptHours: {},
  };
}

const later = (ts: number | undefined, than: number | undefined) => (ts ?? -Infinity) > (than ?? -Infinity);
const earlier = (ts: number | undefined, than: number | undefined) => (ts ?? Infinity) < (than ?? Infinity);
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** How a caller that deduplicates tool-use events globally tells the reducer which copy counts. */
export interface EvolveOptions {
  /**
   * False for a tool_use whose id was already counted elsewhere (tool-use events are deduplicated
   * by their id across lines, counting-rules fix 4): it is then ignored entirely. Default: all count.
   */
  countToolUse?: (toolUseId: string) => boolean;
}

/**
 * Folds one entry of the session into its state. For speed it updates `state` in place and
 * returns it (clone first if the previous state must survive). Feed each entry once (after the
 * uuid dedupe); any order and any batching give the same summary.
 */
export function evolveSession(state: SessionState, entry: Entry, opts: EvolveOptions = {}): SessionState {
  // States stored before outcome metrics existed lack these (a replay rebuilds them exactly).
  state.outcomes ??= {};
  state.promptHours ??= {};
  const ts = entry.ts;
  if (ts !== undefined) {
    if (state.firstTs === undefined || ts < state.firstTs) state.firstTs = ts;
    if (state.lastTs === undefined || ts > state.lastTs) state.lastTs = ts;
    addActivity(state.activity, ts);
  }
  if (entry.cwd) {
    const where = projectIdentity(entry.cwd);
    if (state.project === undefined || earlier(ts, state.projectTs) || (ts === state.projectTs && where.project < state.project)) {
      state.project = where.project;
      state.projectTs = ts;
      if (where.worktree === undefined) delete state.worktree;
      else state.worktree = where.worktree;
    }
  }
  if (entry.gitBranch && (state.gitBranch === undefined || later(ts, state.gitBranchTs) || (ts === state.gitBranchTs && entry.gitBranch > state.gitBranch))) {
    state.gitBranch = entry.gitBranch;
    state.gitBranchTs = ts;
  }
  if (entry.kind === 'user') {
    state.userMessages++;
    if (entry.isPrompt) {
      state.prompts++;
      if (ts !== undefined) {
        const hour = String(Math.floor(ts / HOUR_MS) * HOUR_MS);
        state.promptHours[hour] = (own(state.promptHours, hour) ? state.promptHours[hour] : 0) + 1;
      }
    }
  } else if (entry.kind === 'assistant') {
    state.assistantMessages++;
    const model = entry.message?.model;
    if (model && !isSyntheticModel(model)) state.models[model] = (own(state.models, model) ? state.models[model] : 0) + 1;
  }
  countEvents(state, entry, opts.countToolUse);
  if (entry.kind === 'assistant' && ts !== undefined) trackTodos(state, entry, ts);
  for (const result of entry.toolResults) {
    const use = state.pendingUses[result.toolUseId];
    const pending: PendingResult = { isError: result.isError };
    if (ts !== undefined) pending.ts = ts;
    if (result.patchLines !== undefined) pending.patchLines = result.patchLines;
    if (result.patch !== undefined) pending.patch = result.patch;
    if (result.rejected) pending.rejected = true;
    if (use && own(state.pendingUses, result.toolUseId)) {
      delete state.pendingUses[result.toolUseId];
      join(state, use, pending);
    } else {
      const prev = state.pendingResults[result.toolUseId];
      state.pendingResults[result.toolUseId] = prev && own(state.pendingResults, result.toolUseId) ? mergeResults(prev, pending) : pending;
    }
  }
  return state;
}

function countEvents(state: SessionState, entry: Entry, countToolUse?: (id: string) => boolean): void {
  if (entry.kind !== 'assistant' && entry.kind !== 'user') return;
  const events = classifyEvents(entry, '');
  for (const event of events) {
    if (event.toolUseId && countToolUse && !countToolUse(event.toolUseId)) continue;
    switch (event.eventType) {
      case 'slash_command':
        state.slashCommands++;
        continue;
      case 'subagent':
        state.subagentDispatches++;
        break;
      case 'mcp_call':
        state.mcpCalls++;
        break;
      case 'tool_use':
        state.toolCalls++;
        if (event.skillName) {
          state.skillInvocations++;
          state.skills[event.skillName] = (own(state.skills, event.skillName) ? state.skills[event.skillName] : 0) + 1;
        }
        break;
    }
    const name = event.toolName!;
    const stats = own(state.tools, name) ? state.tools[name] : (state.tools[name] = { calls: 0, errors: 0, durationMsSum: 0, durationCount: 0 });
    stats.calls++;
    const use: PendingUse = { name };
    if (entry.ts !== undefined) use.ts = entry.ts;
    if (!event.toolUseId) continue;
    const model = entry.message?.model;
    if (model && !isSyntheticModel(model)) use.model = model;
    const facts = entry.toolUses.find((u) => u.id === event.toolUseId);
    if (facts?.lines) use.lines = facts.lines;
    if (facts?.commits) use.commits = facts.commits;
    if (facts?.pullRequests) use.pullRequests = facts.pullRequests;
    const result = state.pendingResults[event.toolUseId];
    if (result && own(state.pendingResults, event.toolUseId)) {
      delete state.pendingResults[event.toolUseId];
      join(state, use, result);
    } else {
      state.pendingUses[event.toolUseId] = use;
    }
  }
}

/** Two results for one tool id (rare; e.g. a retried result): an error in either is an error. */
function mergeResults(a: PendingResult, b: PendingResult): PendingResult {
  const out: PendingResult = { isError: a.isError || b.isError };
  const ts = earlier(a.ts, b.ts) ? a.ts : b.ts;
  if (ts !== undefined) out.ts = ts;
  const patch = Math.max(a.patchLines ?? -1, b.patchLines ?? -1);
  if (patch >= 0) out.patchLines = patch;
  const size = (c?: LineChange) => (c ? c.added + c.removed : -1);
  const bigger = size(a.patch) > size(b.patch) || (size(a.patch) === size(b.patch) && (a.patch?.added ?? -1) >= (b.patch?.added ?? -1)) ? a.patch : b.patch;
  if (bigger) out.patch = bigger;
  if (a.rejected || b.rejected) out.rejected = true;
  return out;
}

function join(state: SessionState, use: PendingUse, result: PendingResult): void {
  const stats = state.tools[use.name];
  if (result.isError) {
    state.toolErrors++;
    if (stats) stats.errors++;
  } else if (EDIT_TOOL_NAMES.has(use.name)) {
    state.edits.successful++;
    state.edits.patchLines += result.patchLines ?? 0;
  }
  if (stats && use.ts !== undefined && result.ts !== undefined) {
    stats.durationMsSum += Math.max(0, result.ts - use.ts);
    stats.durationCount++;
  }
  const at = use.ts ?? result.ts;
  const key = outcomeBucketKey(at === undefined ? NaN : Math.floor(at / HOUR_MS) * HOUR_MS, use.model ?? '');
  const bucket = own(state.outcomes, key) ? state.outcomes[key] : (state.outcomes[key] = zeroOutcomes());
  addOutcome(bucket, use, result);
}

/** The latest TodoWrite wins (ties: more done); `firstTs` is the earliest one, for the rate. */
function trackTodos(state: SessionState, entry: Entry, ts: number): void {
  for (const use of entry.toolUses) {
    if (use.name !== 'TodoWrite' || !use.todoStatuses) continue;
    const total = use.todoStatuses.length;
    const done = use.todoStatuses.filter((s) => s === 'completed').length;
    const prev = state.todos;
    if (!prev) {
      state.todos = { ts, firstTs: ts, done, total };
      continue;
    }
    prev.firstTs = Math.min(prev.firstTs, ts);
    if (ts > prev.ts || (ts === prev.ts && (done > prev.done || (done === prev.done && total > prev.total)))) {
      prev.ts = ts;
      prev.done = done;
      prev.total = total;
    }
  }
}
