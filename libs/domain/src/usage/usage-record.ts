import type { Entry, TokenCounts } from '../entry/entry';
import { projectOf } from '../entry/project-identity';
import { compareByOrder, microsOfMs, USAGE_COPY_ORDER, type CopyValue } from './copy-rules';
import { messageKey } from './entry-key';
import { totalTokens } from './token-fields';

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
 * Which of two copies of the same response is counted: {@link USAGE_COPY_ORDER} (main-chain over
 * sidechain, larger total, earlier, smaller sessionId, smaller entry key). A total order, so the
 * result never depends on which file or machine arrived first.
 */
export function preferCopy(a: UsageRecord, b: UsageRecord): UsageRecord {
  return compareCopies(a, b) <= 0 ? a : b;
}

/** Negative when `a` is preferred over `b`. */
export function compareCopies(a: UsageRecord, b: UsageRecord): number {
  return compareByOrder(USAGE_COPY_ORDER, usageCopyValue(a), usageCopyValue(b));
}

function usageCopyValue(r: UsageRecord): (field: (typeof USAGE_COPY_ORDER)[number]['field']) => CopyValue {
  return (field) => {
    switch (field) {
      case 'isSidechain': return r.isSidechain;
      case 'totalTokens': return r.total;
      case 'ts': return microsOfMs(r.ts);
      case 'sessionId': return r.sessionId;
      case 'entryKey': return r.entryKey;
    }
  };
}
