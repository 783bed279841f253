import type { MessageRecord } from '../store/api-store';

const HOUR = 3600 * 1000;
const BLOCK = 5 * HOUR;

/** A 5-hour billing block over kept messages. */
export interface BlockView {
  start: Date;
  end: Date;
  lastActivityAt: Date;
  isActive: boolean;
  messages: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  totalTokens: number;
  costUsd: number;
  models: string[];
}

/**
 * Groups messages (sorted by time) into 5-hour blocks: a block starts at its first message
 * floored to the hour and takes every message until its end; a message after the end, or after
 * a gap of more than 5 h, starts the next one. `now` decides which block is still active.
 */
export function buildBlocks(messages: readonly MessageRecord[], now: Date): BlockView[] {
  const sorted = [...messages].sort((a, b) => a.at.getTime() - b.at.getTime());
  const blocks: (BlockView & { modelSet: Set<string> })[] = [];
  let cur: (BlockView & { modelSet: Set<string> }) | undefined;
  for (const m of sorted) {
    const t = m.at.getTime();
    if (!cur || t >= cur.end.getTime() || t - cur.lastActivityAt.getTime() > BLOCK) {
      const start = new Date(Math.floor(t / HOUR) * HOUR);
      cur = {
        start,
        end: new Date(start.getTime() + BLOCK),
        lastActivityAt: m.at,
        isActive: false,
        messages: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
        totalTokens: 0,
        costUsd: 0,
        models: [],
        modelSet: new Set(),
      };
      blocks.push(cur);
    }
    cur.lastActivityAt = m.at;
    cur.messages += 1;
    cur.inputTokens += Number(m.inputTokens);
    cur.outputTokens += Number(m.outputTokens);
    cur.cacheReadTokens += Number(m.cacheReadTokens);
    cur.cacheCreationTokens += Number(m.cacheCreationTokens);
    cur.totalTokens += Number(m.totalTokens);
    cur.costUsd += m.costUsd;
    if (m.model && m.model !== '<synthetic>') cur.modelSet.add(m.model);
  }
  return blocks.map(({ modelSet, ...b }) => ({
    ...b,
    models: [...modelSet].sort(),
    isActive: now.getTime() < b.end.getTime() && now.getTime() - b.lastActivityAt.getTime() <= BLOCK,
  }));
}

/** Spend rate of the active block, from its first message to now. */
export interface BurnRateView {
  blockStart: Date;
  tokensPerMinute: number;
  costUsdPerHour: number;
  costUsd: number;
  projectedBlockCostUsd: number;
}

export function burnRateOf(blocks: readonly BlockView[], firstMessageAt: (b: BlockView) => Date, now: Date): BurnRateView | null {
  const active = blocks.find((b) => b.isActive);
  if (!active) return null;
  const since = firstMessageAt(active);
  const minutes = Math.max((now.getTime() - since.getTime()) / 60000, 1);
  const perHour = active.costUsd / (minutes / 60);
  const remainingHours = Math.max(active.end.getTime() - now.getTime(), 0) / HOUR;
  return {
    blockStart: active.start,
    tokensPerMinute: active.totalTokens / minutes,
    costUsdPerHour: perHour,
    costUsd: active.costUsd,
    projectedBlockCostUsd: active.costUsd + perHour * remainingHours,
  };
}
