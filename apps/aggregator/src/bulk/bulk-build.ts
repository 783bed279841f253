import {
  BULK_COPY,
  bulkStagingDdl,
  copyFromStdin,
  createProjectionSchema,
  dropProjectionSchema,
  finishBulkLoad,
  projectionTableDdl,
  storeCheckpoint,
  type BulkCopyTable,
  type Database,
} from '@ccpulse/db';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Kysely } from 'kysely';
import { decodeMessage, linePosition } from '../fold/decode-envelope';
import type { FoldTarget } from '../fold/fold-context';
import { entryRowOf, eventRowsOf, keyed, messageRowOf, toolResultRowsOf, type KeyedEntry } from '../fold/fold-rows';
import { foldSessionStates } from '../fold/session-states.fold';
import type { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { BulkSessions } from './bulk-sessions';
import { CopySink } from './copy-sink';

export interface BulkBuildDeps {
  db: Kysely<Database>;
  databaseUrl: string;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  metrics: AggregatorMetrics;
  logger: { info(obj: object, msg: string): void };
  /** Session states held in memory while reading (default 5,000; a few KB each). */
  sessionsInMemory?: number;
}

/** Where a bulk build is: reading the stream up to its head, then finishing in Postgres. */
export interface BulkProgress {
  phase: 'reading' | 'finishing';
  /** Last stream sequence read. */
  lastSeq: number;
  read: number;
}

/** Session states held in memory while reading, unless the deps say otherwise. */
const SESSIONS_IN_MEMORY = 5_000;
/**
 * Payload bytes read between two checks that Postgres has taken the rows written so far (about
 * 256 lines of one message each, or one run of a few hundred lines).
 */
const READY_EVERY_BYTES = 256 * 1024;
/** Bytes each pull of the ordered consumer asks for: a message may be a run of 256 KiB. */
const PULL_BYTES = 4 * 1024 * 1024;
/** Sessions summarised per statement group in the finishing transaction. */
const SESSION_CHUNK = 500;

type Sinks = Record<BulkCopyTable, CopySink>;

/**
 * Builds a projection schema from the whole stream in one pass, for a rebuild: the messages up
 * to the stream head are read with an ordered consumer (no acks), their rows are COPYed into
 * staging tables and their sessions folded in memory; then one transaction applies the fold's
 * rules to the whole set (`finishBulkLoad`), summarises the sessions, and stores the head as the
 * projection's checkpoint. The batch fold takes over from there. The result equals what the
 * batch fold builds from the same stream; it is only cheaper, because every row is written once,
 * without upserts, and every index is built once.
 *
 * Nothing is resumable: the schema is dropped and recreated first, so a build interrupted at any
 * point starts over.
 */
export class BulkBuild {
  readonly progress: BulkProgress = { phase: 'reading', lastSeq: 0, read: 0 };

  constructor(
    private readonly deps: BulkBuildDeps,
    readonly target: FoldTarget,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * Returns the checkpoint the build reached: the stream's end when reading caught up with it
   * (at least the head at the start: a stream still being filled, as by a first backfill, is
   * read on while messages keep coming), or 0 for an empty stream (then the schema is dropped,
   * for the batch fold to create).
   */
  async run(): Promise<number> {
    const info = await this.deps.jsm.streams.info(this.deps.stream);
    if (info.state.messages === 0) {
      await dropProjectionSchema(this.deps.db, this.target.schema, this.target.consumer);
      return 0;
    }
    let head = info.state.last_seq;
    await this.resetSchema();
    this.throwIfStopped();
    const sinks = await this.openSinks();
    const sessions = new BulkSessions(this.deps.sessionsInMemory ?? SESSIONS_IN_MEMORY, (id, user, state) => sinks.bulk_session_states.add([id, user, state]));
    try {
      head = await this.read(info.state.first_seq, head, sinks, sessions);
      sessions.flush();
      await Promise.all(Object.values(sinks).map((s) => s.finish()));
    } catch (err) {
      await Promise.all(Object.values(sinks).map((s) => s.abort()));
      throw err;
    }
    this.throwIfStopped();
    this.progress.phase = 'finishing';
    const { schema, consumer, processorVersion } = this.target;
    await this.deps.db.transaction().execute(async (trx) => {
      const loaded = await finishBulkLoad(trx, schema, { processorVersion, lastSeq: head });
      const rebuild = new Set([...loaded.dirty, ...sessions.refold]);
      for (let i = 0; i < loaded.sessions.length; i += SESSION_CHUNK) {
        this.throwIfStopped();
        const ids = loaded.sessions.slice(i, i + SESSION_CHUNK);
        await foldSessionStates(trx, {
          schema,
          processorVersion,
          lastSeq: head,
          winners: [],
          rebuild: new Set(ids.filter((id) => rebuild.has(id))),
          tokenTouched: ids,
          owners: new Map(),
        });
      }
      await storeCheckpoint(trx, consumer, schema, head);
      this.deps.logger.info(
        { schema, head, sessions: loaded.sessions.length, refolded: rebuild.size },
        'bulk build finished; the batch fold continues from the head',
      );
    });
    this.deps.metrics.entriesApplied.inc({ consumer }, sinks.usage_entries.rows);
    return head;
  }

  private async resetSchema(): Promise<void> {
    const { schema, consumer } = this.target;
    await dropProjectionSchema(this.deps.db, schema, consumer);
    await createProjectionSchema(this.deps.db, schema, [...projectionTableDdl(schema), ...bulkStagingDdl(schema)]);
  }

  private async openSinks(): Promise<Sinks> {
    const { schema } = this.target;
    const sinks: Partial<Sinks> = {};
    try {
      for (const table of Object.keys(BULK_COPY) as BulkCopyTable[]) {
        sinks[table] = await CopySink.open(this.deps.databaseUrl, copyFromStdin(schema, table, BULK_COPY[table]));
      }
    } catch (err) {
      await Promise.all(Object.values(sinks).map((s) => s.abort()));
      throw err;
    }
    return sinks as Sinks;
  }

  /** Reads from `first` to `head` and on while more keeps arriving; returns the last sequence read. */
  private async read(first: number, head: number, sinks: Sinks, sessions: BulkSessions): Promise<number> {
    const consumer = await this.deps.js.consumers.get(this.deps.stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(1, first),
    });
    const messages = await consumer.consume({ max_bytes: PULL_BYTES });
    const stop = () => messages.stop();
    this.signal.addEventListener('abort', stop);
    if (this.signal.aborted) stop();
    let reachedHead = false;
    try {
      let sinceReady = 0;
      for await (const m of messages) {
        this.apply(m.seq, m.subject, m.data, sinks, sessions);
        // Nothing more on the server: caught up. Past the head, messages still pending were
        // published meanwhile; they are read too, so a stream being filled is not left to the
        // batch fold.
        if (m.info.pending === 0) {
          reachedHead = true;
          break;
        }
        sinceReady += m.data.length;
        if (sinceReady >= READY_EVERY_BYTES) {
          sinceReady = 0;
          await Promise.all(Object.values(sinks).map((s) => s.ready()));
        }
      }
    } finally {
      this.signal.removeEventListener('abort', stop);
      messages.stop();
      // An ordered consumer would otherwise linger on the server until its inactivity timeout.
      await consumer.delete().catch(() => false);
    }
    this.throwIfStopped();
    // The iterator also ends quietly when the connection closes: never store a head not read.
    if (!reachedHead) throw new Error(`the stream ended at sequence ${this.progress.lastSeq} before its head ${head}`);
    return this.progress.lastSeq;
  }

  private apply(seq: number, subject: string, data: Uint8Array, sinks: Sinks, sessions: BulkSessions): void {
    this.progress.lastSeq = seq;
    this.progress.read++;
    for (const decoded of decodeMessage(data, subject)) {
      const position = linePosition(seq, decoded.index);
      if (decoded.ok) {
        this.applyLine(keyed(position, decoded.line), sinks, sessions);
        continue;
      }
      const o = decoded.origin;
      sinks.rejected_entries.add([position, decoded.reason, decoded.detail ?? null, o?.user ?? null, o?.file ?? null, o?.offset ?? null]);
      this.deps.metrics.rejected.inc({ reason: decoded.reason });
    }
  }

  private applyLine(k: KeyedEntry, sinks: Sinks, sessions: BulkSessions): void {
    const seq = k.seq;
    const e = entryRowOf(k);
    sinks.usage_entries.add([e.entryKey, e.userName, e.sessionId, k.ts, e.kind, e.project, e.isPrompt, seq, e.contentKey, JSON.stringify(e.entry)]);
    const m = messageRowOf(k);
    if (m) {
      sinks.bulk_messages.add([
        m.messageKey,
        m.entryKey,
        m.userName,
        m.sessionId,
        m.project,
        m.model,
        k.ts,
        m.isSidechain,
        m.messageId,
        m.inputTokens,
        m.outputTokens,
        m.cacheReadTokens,
        m.cacheCreationTokens,
        m.cacheCreation5mTokens,
        m.cacheCreation1hTokens,
        String(m.costUsd),
        m.unpriced,
        seq,
      ]);
    }
    for (const v of eventRowsOf(k)) {
      sinks.bulk_events.add([
        v.eventKey,
        v.entryKey,
        v.toolUseId,
        v.userName,
        v.sessionId,
        v.project,
        k.ts,
        v.eventType,
        v.toolName,
        v.skillName,
        v.subagentType,
        v.mcpServer,
        v.commandName,
        seq,
      ]);
    }
    for (const r of toolResultRowsOf(k)) sinks.bulk_tool_results.add([r.toolUseId, r.isError, k.ts, r.patchLines, seq]);
    sessions.add(k);
  }

  private throwIfStopped(): void {
    if (this.signal.aborted) throw new BulkBuildStoppedError();
  }
}

/** The build was stopped (shutdown, lost leadership): nothing of it is used. */
export class BulkBuildStoppedError extends Error {
  constructor() {
    super('bulk build stopped');
    this.name = 'BulkBuildStoppedError';
  }
}
