import type { TokenCounts } from '../entry/entry';
import { recordCost, type CostMode } from '../pricing/cost';
import type { PricingTable } from '../pricing/pricing.table';
import { addTokens, zeroTokens } from '../usage/token-fields';
import type { UsageRecord } from '../usage/usage-record';

/** Claude's usage window. */
export const BLOCK_MS = 5 * 3_600_000;

/**
 * A 5-hour billing block: starts at its first response floored to the hour; a response more than
 * 5 h after the block's start, or more than 5 h after the previous response, starts a new one.
 */
export interface UsageBlock {
  /** RFC 3339 start (also its id). */
  start: string;
  startMs: number;
  /** start + 5 h. */
  endMs: number;
  firstMs: number;
  lastMs: number;
  /** `nowMs` is inside the block and less than 5 h after its last response. */
  isActive: boolean;
  messages: number;
  tokens: TokenCounts;
  totalTokens: number;
  costUsd: number;
  models: string[];
  /** Over first→last response (0 for a single instant). */
  tokensPerMinute: number;
  usdPerHour: number;
}

export interface BlockOptions {
  nowMs: number;
  blockMs?: number;
  costMode?: CostMode;
  pricing?: PricingTable;
}

/** Blocks of the responses that have a timestamp, oldest first. */
export function buildBlocks(records: Iterable<UsageRecord>, opts: BlockOptions): UsageBlock[] {
  const span = opts.blockMs ?? BLOCK_MS;
  const timed = [...records].filter((r) => r.ts !== undefined).sort((a, b) => a.ts! - b.ts!);
  const blocks: UsageBlock[] = [];
  let current: (UsageBlock & { modelSet: Set<string> }) | undefined;
  for (const r of timed) {
    const ts = r.ts!;
    if (!current || ts - current.startMs > span || ts - current.lastMs > span) {
      if (current) blocks.push(finish(current, opts.nowMs, span));
      const startMs = Math.floor(ts / 3_600_000) * 3_600_000;
      current = {
        start: new Date(startMs).toISOString(), startMs, endMs: startMs + span, firstMs: ts, lastMs: ts, isActive: false,
        messages: 0, tokens: zeroTokens(), totalTokens: 0, costUsd: 0, models: [], tokensPerMinute: 0, usdPerHour: 0, modelSet: new Set(),
      };
    }
    current.lastMs = ts;
    current.messages++;
    addTokens(current.tokens, r.tokens);
    current.totalTokens += r.total;
    current.costUsd += recordCost(r, opts.costMode, opts.pricing).costUsd;
    current.modelSet.add(r.model);
  }
  if (current) blocks.push(finish(current, opts.nowMs, span));
  return blocks;
}

function finish(b: UsageBlock & { modelSet?: Set<string> }, nowMs: number, span: number): UsageBlock {
  b.models = [...b.modelSet!].sort();
  delete b.modelSet;
  const minutes = (b.lastMs - b.firstMs) / 60_000;
  b.tokensPerMinute = minutes > 0 ? b.totalTokens / minutes : 0;
  b.usdPerHour = minutes > 0 ? b.costUsd / (minutes / 60) : 0;
  b.isActive = nowMs < b.endMs && nowMs - b.lastMs < span;
  return b;
}
