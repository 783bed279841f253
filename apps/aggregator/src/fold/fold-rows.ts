import {
  classifyEvents,
  entryContentKey,
  entryKey,
  projectOf,
  recordCost,
  tokenFieldsOf,
  usageRecordOf,
  type Entry,
} from '@ccpulse/domain';
import type { EntryRow, ToolResultRow, UsageEventRow, UsageMessageRow } from '@ccpulse/db';
import type { LineEnvelope } from './decode-envelope';
import { storedEntryOf } from './stored-entry';

/** A decoded line with its natural key: the unit the fold works on. */
export interface KeyedEntry {
  /** The line's position in the stream (`linePosition`), stored as `stream_seq`. */
  seq: number;
  envelope: LineEnvelope;
  entry: Entry;
  key: string;
  /** `''` when neither the line nor its path names a session (such lines feed no summary). */
  sessionId: string;
  /** The entry's instant as stored (`isoOf`), computed once: every row of the entry carries it. */
  ts: string | null;
}

export function keyed(seq: number, envelope: LineEnvelope): KeyedEntry {
  const entry = envelope.entry;
  return {
    seq,
    envelope,
    entry,
    key: entryKey(entry, envelope.user, envelope.file, envelope.offset),
    sessionId: entry.sessionId ?? '',
    ts: isoOf(entry),
  };
}

/** RFC 3339 UTC of the entry's instant, microseconds kept (Postgres stores them); null without one. */
export function isoOf(e: Entry): string | null {
  if (e.ts === undefined || !Number.isFinite(e.ts)) return null;
  const ms = Math.floor(e.ts);
  const micro = Math.min(999, Math.round((e.ts - ms) * 1000));
  const iso = new Date(ms).toISOString();
  return micro === 0 ? iso : `${iso.slice(0, -1)}${String(micro).padStart(3, '0')}Z`;
}

export function entryRowOf(k: KeyedEntry): EntryRow {
  return {
    entryKey: k.key,
    userName: k.envelope.user,
    sessionId: k.sessionId,
    ts: k.ts,
    kind: k.entry.kind,
    project: projectOf(k.entry.cwd) ?? null,
    isPrompt: k.entry.isPrompt === true,
    streamSeq: k.seq,
    contentKey: entryContentKey(k.entry),
    entry: storedEntryOf(k.entry),
  };
}

/** The stored usage of an assistant line (undefined for lines without countable usage). */
export function messageRowOf(k: KeyedEntry): UsageMessageRow | undefined {
  const record = usageRecordOf(k.entry, k.key);
  if (!record) return undefined;
  const cost = recordCost(record, 'calculate');
  return {
    messageKey: record.key,
    entryKey: k.key,
    userName: k.envelope.user,
    sessionId: k.sessionId,
    project: projectOf(k.entry.cwd) ?? null,
    model: record.model,
    ts: k.ts,
    isSidechain: record.isSidechain,
    messageId: record.messageId ?? null,
    ...tokenFieldsOf(record.tokens),
    costUsd: cost.costUsd,
    unpriced: cost.unpriced,
    streamSeq: k.seq,
  };
}

export function eventRowsOf(k: KeyedEntry): UsageEventRow[] {
  return classifyEvents(k.entry, k.key).map((e) => ({
    eventKey: e.key,
    entryKey: k.key,
    toolUseId: e.toolUseId ?? null,
    userName: k.envelope.user,
    sessionId: k.sessionId,
    project: projectOf(k.entry.cwd) ?? null,
    ts: k.ts,
    eventType: e.eventType,
    toolName: e.toolName ?? null,
    skillName: e.skillName ?? null,
    subagentType: e.subagentType ?? null,
    mcpServer: e.mcpServer ?? null,
    commandName: e.commandName ?? null,
    streamSeq: k.seq,
  }));
}

export function toolResultRowsOf(k: KeyedEntry): ToolResultRow[] {
  return k.entry.toolResults.map((r) => ({
    toolUseId: r.toolUseId,
    isError: r.isError,
    ts: k.ts,
    patchLines: r.patchLines ?? null,
  }));
}
