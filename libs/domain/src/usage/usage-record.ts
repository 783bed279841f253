import type { Entry, TokenCounts } from '../entry/entry';
import { projectOf } from '../entry/project-identity';
import { messageKey } from './entry-key';

/** Claude Code's own placeholder for client-made messages: no usage, not a model. */
export const SYNTHETIC_MODEL = '<synthetic>';

export function isSyntheticModel(model: string | undefined): boolean {
  return model === SYNTHETIC_MODEL;
}

/**
 * The usage of one copy of one API response. Copies (split lines, resumed files, sidechain
 * replays) share `key`; exactly one is kept, by {@link preferCopy}.
 */
export interface UsageRecord {
  /** `message.id:requestId`, else the entry key. */
  key: string;
  entryKey: string;
  sessionId?: string;
  /** Epoch ms (fraction kept); absent when the line has no timestamp. */
  ts?: number;
  model: string;
  isSidechain: boolean;
  /** The line's project (its cwd, a subagent worktree folded into its parent). */
  project?: string;
  tokens: TokenCounts;
  /** input + output + cache read + cache creation. */
  total: number;
  /** `message.id`, kept to recognise sidechain replays of a parent's message. */
  messageId?: string;
  /** The line's own `costUSD`, for cost modes `auto` and `display`. */
  costUsd?: number;
}

export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheRead + t.cacheCreation;
}

/**
 * False when a parsed line certainly yields no usage record, read before {@link toEntry} builds
 * the entry: only a line whose `type` is `assistant` becomes an assistant entry, and only those
 * carry usage. Lets a caller that needs nothing but usage skip the slimming of the other lines
 * (tool results, progress, snapshots: most of a transcript).
 */
export function mayCarryUsage(raw: Record<string, unknown>): boolean {
  return raw.type === 'assistant';
}

/** The usage of an assistant line, or undefined (no usage, no model, or `<synthetic>`). */
export function usageRecordOf(entry: Entry, entryKey: string): UsageRecord | undefined {
  const message = entry.message;
  if (entry.kind !== 'assistant' || !message?.usage || !message.model) return undefined;
  if (isSyntheticModel(message.model)) return undefined;
  const record: UsageRecord = {
    key: messageKey(entry) ?? entryKey,
    entryKey,
    model: message.model,
    isSidechain: entry.isSidechain,
    tokens: message.usage,
    total: totalTokens(message.usage),
  };
  if (entry.sessionId !== undefined) record.sessionId = entry.sessionId;
  if (entry.ts !== undefined) record.ts = entry.ts;
  if (entry.cwd !== undefined) record.project = projectOf(entry.cwd);
  if (message.id !== undefined) record.messageId = message.id;
  if (message.costUsd !== undefined) record.costUsd = message.costUsd;
  return record;
}

/**
 * Which of two copies of the same response is counted. Order-independent (a total order), so the
 * result never depends on which file or machine arrived first:
 * 1. a non-sidechain copy beats a sidechain copy (a sidechain line repeating the parent's message
 *    is a replay, ccusage #913);
 * 2. the larger token total (split lines carry growing streaming snapshots);
 * 3. the earlier timestamp (a copy with one beats one without);
 * 4. the smaller sessionId, then the smaller entry key.
 */
export function preferCopy(a: UsageRecord, b: UsageRecord): UsageRecord {
  return compareCopies(a, b) <= 0 ? a : b;
}

/** Negative when `a` is preferred over `b`. */
export function compareCopies(a: UsageRecord, b: UsageRecord): number {
  if (a.isSidechain !== b.isSidechain) return a.isSidechain ? 1 : -1;
  if (a.total !== b.total) return b.total - a.total;
  const ta = a.ts ?? Number.POSITIVE_INFINITY;
  const tb = b.ts ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const c = compareStrings(a.sessionId, b.sessionId);
  return c !== 0 ? c : compareStrings(a.entryKey, b.entryKey);
}

/** Undefined sorts last. */
export function compareStrings(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
