import type { Entry } from '../entry/entry';
import type { RejectionReason } from '../entry/rejection';

/**
 * One stream message = one transcript line. A line that could not be parsed still travels
 * (with `rejected` instead of `entry`) so the central side counts it: nothing is lost silently.
 */
export interface EntryEnvelope {
  v: 1;
  /** Who produced the line; `[A-Za-z0-9_-]+`. */
  user: string;
  host: string;
  /** Path relative to the transcript root (`<project>/<session>.jsonl`, `…/subagents/agent-x.jsonl`). */
  file: string;
  /** Byte offset of the line's first byte in its file. */
  offset: number;
  entry?: Entry;
  rejected?: { reason: RejectionReason; detail?: string };
}
