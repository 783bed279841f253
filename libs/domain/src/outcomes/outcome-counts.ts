import type { LineChange } from './line-changes';
import { addOutcomeTotals, zeroOutcomeTotals, type OutcomeTotals } from './outcome-fields';
import { EDIT_TOOL_NAMES } from './tool-input-facts';

/** Accept/reject decisions on one tool's uses. */
export interface ToolDecisions {
  accepted: number;
  rejected: number;
}

/**
 * What Claude Code produced, as counts (the outcome metrics of counting-rules). `editsAccepted`
 * counts the edit tools' uses with a result that is not a rejection.
 */
export interface OutcomeCounts extends OutcomeTotals {
  /** Decisions per tool name, every tool (the edit tools' sum is editsAccepted/editsRejected). */
  tools: Record<string, ToolDecisions>;
}

/** A tool use's own facts, as the slimmed entry carries them. */
export interface UseOutcomeFacts {
  name: string;
  /** Lines from the input (edit tools). */
  lines?: LineChange;
  commits?: number;
  pullRequests?: number;
}

/** Its result's facts. */
export interface ResultOutcomeFacts {
  isError: boolean;
  rejected?: boolean;
  /** Lines of the result's structured patch, when it had one. */
  patch?: LineChange;
}

export function zeroOutcomes(): OutcomeCounts {
  return { ...zeroOutcomeTotals(), tools: {} };
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Adds one joined use and result into `into` (mutated): a rejection counts only as a rejection;
 * any other result is an accepted use; lines, commits and pull requests count only when the
 * result succeeded (no `is_error`). Lines come from the result's patch when it has one (what was
 * really written, a replaced file's diff included), else from the input.
 */
export function addOutcome(into: OutcomeCounts, use: UseOutcomeFacts, result: ResultOutcomeFacts): OutcomeCounts {
  const rejected = result.rejected === true;
  const decisions = own(into.tools, use.name) ? into.tools[use.name] : (into.tools[use.name] = { accepted: 0, rejected: 0 });
  if (rejected) decisions.rejected++;
  else decisions.accepted++;
  const isEdit = EDIT_TOOL_NAMES.has(use.name);
  if (isEdit) {
    if (rejected) into.editsRejected++;
    else into.editsAccepted++;
  }
  if (rejected || result.isError) return into;
  if (isEdit) {
    const lines = result.patch ?? use.lines;
    if (lines) {
      into.linesAdded += lines.added;
      into.linesRemoved += lines.removed;
    }
  }
  into.commits += use.commits ?? 0;
  into.pullRequests += use.pullRequests ?? 0;
  return into;
}

/** Adds `b` into `a` (mutated). */
export function mergeOutcomes(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  addOutcomeTotals(a, b);
  for (const [name, d] of Object.entries(b.tools)) {
    const cur = own(a.tools, name) ? a.tools[name] : (a.tools[name] = { accepted: 0, rejected: 0 });
    cur.accepted += d.accepted;
    cur.rejected += d.rejected;
  }
  return a;
}
