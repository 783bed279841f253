import type { Entry } from '../entry/entry';
import { compareByOrder, ENTRY_COPY_ORDER, entryContentKey, EVENT_COPY_ORDER, microsOfMs } from './copy-rules';
import { preferCopy, type UsageRecord } from './usage-record';

/**
 * Batch dedupe of responses: key → the kept copy, then the sidechain replay rule. The aggregator
 * applies the same two rules in SQL (upsert per batch, DISTINCT ON in a bulk build, then the
 * replay deletion); the differential suite (tests/differential) checks that they agree.
 */
export class UsageLedger {
  private readonly kept = new Map<string, UsageRecord>();
  /** message ids seen on non-sidechain lines: a sidechain line repeating one is a replay. */
  private readonly mainMessageIds = new Set<string>();

  add(record: UsageRecord): void {
    const prev = this.kept.get(record.key);
    this.kept.set(record.key, prev ? preferCopy(prev, record) : record);
    if (!record.isSidechain && record.messageId) this.mainMessageIds.add(record.messageId);
  }

  get size(): number {
    return this.kept.size;
  }

  /**
   * What the ledger holds, as plain data (it crosses threads): the kept copies in the order their
   * keys were first seen, and the main-chain message ids.
   */
  snapshot(): UsageLedgerSnapshot {
    return { kept: [...this.kept.values()], mainMessageIds: [...this.mainMessageIds] };
  }

  /**
   * Takes in a ledger built apart over the records that come after this one's. Merging the
   * snapshots of consecutive parts in their order leaves exactly the ledger that adding every
   * record in one pass would: the same kept copies (the preference is a total order) in the same
   * first-seen order, so sums over {@link records} add up in the same order, to the same bits.
   */
  merge(later: UsageLedgerSnapshot): void {
    for (const record of later.kept) {
      const prev = this.kept.get(record.key);
      this.kept.set(record.key, prev ? preferCopy(prev, record) : record);
    }
    for (const id of later.mainMessageIds) this.mainMessageIds.add(id);
  }

  /** The kept copies, sidechain replays of a main-chain message left out. */
  *records(): IterableIterator<UsageRecord> {
    for (const r of this.kept.values()) {
      if (r.isSidechain && r.messageId && this.mainMessageIds.has(r.messageId)) continue;
      yield r;
    }
  }
}

/** A {@link UsageLedger}'s contents, from {@link UsageLedger.snapshot}. */
export interface UsageLedgerSnapshot {
  kept: UsageRecord[];
  mainMessageIds: string[];
}

/**
 * Batch dedupe of lines by uuid (copied history in resumed sessions, the same file stored twice):
 * the kept copy by ENTRY_COPY_ORDER (earliest timestamp, smallest sessionId, smallest content
 * key). Lines without a uuid are never deduplicated.
 */
export class EntryLedger {
  private readonly byUuid = new Map<string, Entry>();
  private readonly anonymous: Entry[] = [];

  add(entry: Entry): void {
    if (!entry.uuid) {
      this.anonymous.push(entry);
      return;
    }
    const prev = this.byUuid.get(entry.uuid);
    if (!prev || compareEntryCopies(entry, prev) < 0) this.byUuid.set(entry.uuid, entry);
  }

  get size(): number {
    return this.byUuid.size + this.anonymous.length;
  }

  *entries(): IterableIterator<Entry> {
    yield* this.byUuid.values();
    yield* this.anonymous;
  }
}

/** Negative when copy `a` of a line is kept over `b`: earliest ts, then smallest sessionId. */
export function compareEntryCopies(a: Entry, b: Entry): number {
  // The content key only when the first keys tie (rare: hashing every line would cost the report).
  const value = (e: Entry) => (field: (typeof ENTRY_COPY_ORDER)[number]['field']) =>
    field === 'ts' ? microsOfMs(e.ts) : field === 'sessionId' ? e.sessionId : entryContentKey(e);
  return compareByOrder(ENTRY_COPY_ORDER, value(a), value(b));
}

/**
 * Batch dedupe of tool-use events by tool_use id (the same call copied onto lines with other
 * uuids): the kept copy is the earliest line, then the smallest sessionId, then the smallest
 * entry key — the entry rule, so the result is order-independent.
 */
export class ToolUseLedger {
  private readonly kept = new Map<string, { ts?: number; sessionId?: string; entryKey: string }>();

  add(entry: Entry, entryKey: string): void {
    for (const use of entry.toolUses) {
      if (!use.id) continue;
      const prev = this.kept.get(use.id);
      const copy = { ts: entry.ts, sessionId: entry.sessionId, entryKey };
      if (!prev || compareToolCopies(copy, prev) < 0) this.kept.set(use.id, copy);
    }
  }

  /** True when the tool_use `toolUseId` on the line `entryKey` is the copy that counts. */
  isKept(toolUseId: string, entryKey: string): boolean {
    const kept = this.kept.get(toolUseId);
    return kept === undefined || kept.entryKey === entryKey;
  }
}

function compareToolCopies(a: { ts?: number; sessionId?: string; entryKey: string }, b: { ts?: number; sessionId?: string; entryKey: string }): number {
  const value = (c: { ts?: number; sessionId?: string; entryKey: string }) => (field: (typeof EVENT_COPY_ORDER)[number]['field']) =>
    field === 'ts' ? microsOfMs(c.ts) : c[field];
  return compareByOrder(EVENT_COPY_ORDER, value(a), value(b));
}
