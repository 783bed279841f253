import type { Entry } from '../entry/entry';
import type { RejectionReason } from '../entry/rejection';

/** Why a line could not be published as an entry: it still travels, so the central side counts it. */
export interface LineRejection {
  reason: RejectionReason;
  detail?: string;
}

/**
 * Envelope v1: one stream message = one transcript line. Published by earlier ingestors; the
 * aggregator still reads it, so a stream holding both versions folds as one. A line that could
 * not be parsed still travels (with `rejected` instead of `entry`): nothing is lost silently.
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
  rejected?: LineRejection;
}

/**
 * Envelope v2: one stream message = a run of complete lines of one file, in file order, covering
 * the bytes `[start, end)` (blank lines included, though they carry no item). The run is the unit
 * of publishing, acknowledging and checkpointing; the line stays the unit of counting.
 */
export interface RunEnvelope {
  v: 2;
  user: string;
  host: string;
  /** As in v1: relative to the transcript root (its project folder hashed under INGEST_REDACT=paths). */
  file: string;
  /** First byte of the run's first line. */
  start: number;
  /** One past the run's last byte (its last `\n`, or the end of a final line published without one). */
  end: number;
  /** One item per non-blank line, in file order. */
  lines: RunLine[];
}

/** A line of a run: its byte offset `o`, and its entry `e` or why it was rejected `r`. */
export type RunLine = { o: number; e: Entry } | { o: number; r: LineRejection };

/** Headers of a v2 message, for dedupe and inspection (`nats stream view`); the body repeats them. */
export const RUN_HEADERS = {
  version: 'Ccpulse-Envelope',
  file: 'Ccpulse-File',
  range: 'Ccpulse-Range',
} as const;

/**
 * Default cap of a run's JSON body. Well under NATS' default `max_payload` (1 MiB), large enough
 * that a backfill's per-message costs (PubAck, delivery, ack) vanish behind parsing.
 */
export const DEFAULT_RUN_BYTES = 256 * 1024;

/**
 * Most lines in one run. Bounds the aggregator's work per message, and the line's index within
 * its message, which the projection's line position encodes (see `linePosition`).
 */
export const MAX_RUN_LINES = 4096;
