import type { BatchChanges } from '../notify/updated-notices';

/** Where a batch is written. */
export interface FoldTarget {
  /** `usage_v<N>` (or a same-version rebuild `usage_v<N>_r<k>`). */
  schema: string;
  /** Durable consumer name, the key of the checkpoint row. */
  consumer: string;
  processorVersion: number;
}

/** One rejected message as recorded in `rejected_entries`. */
export interface RejectedMessage {
  seq: number;
  reason: string;
  detail?: string;
}

/** What one committed batch did: for metrics, acks and post-commit notices. */
export interface FoldResult {
  /** Messages whose entry was stored as a new (or replacing) winner. */
  applied: number;
  /** Messages whose entry was already stored (a copy that lost, or a repeat). */
  duplicates: number;
  rejected: RejectedMessage[];
  changes: BatchChanges;
  /** Tokens of unpriced models among the stored responses, by model. */
  unpricedTokens: Map<string, number>;
}
