import { statSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { IngestConfig } from '../config/ingest-config';
import { publishHeartbeat } from '../heartbeat/heartbeat';
import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import type { BackfillProgress } from '../progress/backfill-progress';
import type { PublishWindow } from '../publish/publish-window';
import { StoredCheckpoints, type FileCheckpoint, type OffsetsStore } from '../nats/offsets.store';
import { PRINT_BYTES, fingerprint, printLength, readFingerprint } from '../tail/fingerprint';
import { PollSchedule } from '../tail/poll-schedule';
import { resumeFrom, type FileStat } from '../tail/resume';
import { relativeToRoot, restartFile, trackFile, type TrackedFile } from '../tail/tracked-file';
import { TranscriptTree } from '../tail/transcript-tree';
import { CheckpointWriter } from './checkpoint-writer';
import { RunPublisher } from './run-publisher';

const CHUNK_BYTES = 1024 * 1024;
const CHECKPOINT_EVERY_MS = 200;
/**
 * Files the start-up pass stats (synchronously) between two turns of the event loop. A stat of a
 * local file costs microseconds; through the thread pool, with its promise, it cost five times
 * as much CPU, which was most of the start-up over ten thousand unchanged files.
 */
const STAT_BATCH = 500;

export interface IngestorDeps {
  config: IngestConfig;
  nc: NatsConnection;
  window: PublishWindow;
  offsets: OffsetsStore;
  metrics: IngestorMetrics;
  log: Logger;
  progress?: BackfillProgress;
}

type ResetReason = 'truncated' | 'replaced' | 'rewritten';

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException)?.code ?? '');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Tails every transcript under the roots and publishes each complete line once: reads by bytes
 * from the acknowledged checkpoint, one file at a time through a single bounded publish window,
 * publishes what each read found as runs of lines (one message each), and stores a file's
 * checkpoint only past the contiguous prefix of acknowledged runs.
 *
 * Following costs what the active files cost: file-system events trigger reads; only files
 * that grew recently are polled behind them (from INGEST_POLL_MS, backing off with the time since
 * they last grew); a sweep of the whole tree every INGEST_SWEEP_MS catches what the events missed.
 */
export class Ingestor {
  private readonly files = new Map<string, TrackedFile>();
  private readonly dirtyFiles = new Set<string>();
  private readonly dirtyDirs = new Set<string>();
  /** Files whose final line without `\n` has been quiet long enough to be taken as complete. */
  private readonly tailsDue = new Set<string>();
  private readonly tree: TranscriptTree;
  private readonly polls: PollSchedule;
  private readonly checkpoints: CheckpointWriter;
  private readonly runs: RunPublisher;
  /** The start-up pass's checkpoints, loaded in one go; afterwards a new file loads its own. */
  private stored?: StoredCheckpoints;
  private pumping?: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  /** The next poll round, armed only while a file is polled or a root is missing (see `armTick`). */
  private tickTimer?: NodeJS.Timeout;
  private tickAt = Infinity;
  private following = false;
  private stopping = false;
  private ticking = false;
  private sweeping = false;
  private backfilling = new Set<string>();
  /** Roots that exist and were walked; the others are looked for every tick. */
  private readonly rootsFound = new Set<string>();
  /**
   * The one read buffer, reused for every chunk: a fresh 1 MB buffer per read is garbage V8 only
   * collects late (it lives outside the heap), which let RSS grow with the history's size. Safe
   * because files are read one at a time and every line of a chunk is turned into its message
   * (nothing keeps `line.bytes`) before the next read; the splitter copies a partial tail. Each
   * read starts PRINT_BYTES early, to check the fingerprint of what was read before.
   */
  private readonly chunk = Buffer.allocUnsafe(PRINT_BYTES + CHUNK_BYTES);

  constructor(private readonly deps: IngestorDeps) {
    const { config } = deps;
    this.tree = new TranscriptTree(
      { file: (path) => this.scheduleFile(path), directory: (path) => this.scheduleDir(path) },
      config.once ? 'off' : config.watch,
      config.roots,
    );
    this.polls = new PollSchedule(config.pollMs, config.sweepMs);
    this.checkpoints = new CheckpointWriter(deps.offsets, deps.metrics, config.publishWindow);
    this.checkpoints.flushEvery(CHECKPOINT_EVERY_MS);
    this.runs = new RunPublisher(deps.window, this.checkpoints, deps.metrics, () => deps.nc.info?.max_payload ?? 1024 * 1024, config.messageBytes);
  }

  get filesTracked(): number {
    return this.files.size;
  }

  /** Bytes on disk past the acknowledged checkpoints. */
  get lagBytes(): number {
    let lag = 0;
    for (const file of this.files.values()) lag += Math.max(0, file.size - file.tracker.committed);
    return lag;
  }

  /**
   * One pass over the tree and the checkpoints (loaded together), then reads every file that
   * has bytes past its checkpoint to its end, and waits until all its lines are acknowledged and
   * checkpointed. Files unchanged since their checkpoint are only stat'ed, never opened. With
   * `--once`, a final line without `\n` that is a complete JSON value is published at the end.
   */
  async backfill(): Promise<void> {
    const began = performance.now();
    let walked = 0;
    let loaded = 0;
    // The walk (local disk) and the checkpoints (NATS) wait on different things: both at once.
    const [found, stored] = await Promise.all([
      this.walkRoots().finally(() => (walked = performance.now() - began)),
      this.loadAllCheckpoints().finally(() => (loaded = performance.now() - began)),
    ]);
    this.stored = stored;
    try {
      await this.openAll(found);
    } finally {
      this.stored = undefined;
    }
    const opened = performance.now() - began;
    const toRead = found.filter((path) => {
      const file = this.files.get(path);
      return file !== undefined && file.splitter.nextOffset < file.size;
    });
    let bytes = 0;
    for (const path of toRead) bytes += this.files.get(path)!.size - this.files.get(path)!.splitter.nextOffset;
    this.backfilling = new Set(toRead);
    const ms = (v: number) => Math.round(v);
    this.deps.log.info({ files: found.length, changed: toRead.length, bytes, ms: { walk: ms(walked), checkpoints: ms(loaded), stat: ms(opened) } }, 'transcripts found');
    this.deps.progress?.begin(toRead.length, bytes);
    for (const path of toRead) this.dirtyFiles.add(path);
    await this.settle();
    if (this.deps.config.once) await this.publishFinishedTails();
    this.deps.progress?.finish();
    await this.deps.window.idle();
    await this.checkpoints.flush();
    this.refreshGauges();
  }

  /** After (or during) the backfill: follow changes through events, back-off polls and the sweep. */
  follow(): void {
    const { sweepMs, heartbeatMs } = this.deps.config;
    this.following = true;
    this.armTick();
    this.timers.push(setInterval(() => void this.sweep(), sweepMs));
    this.timers.push(setInterval(() => this.heartbeat(), heartbeatMs));
  }

  heartbeat(): void {
    this.refreshGauges();
    const { user, host, subjectPrefix } = this.deps.config;
    try {
      publishHeartbeat(this.deps.nc, { user, host, subjectPrefix, filesTracked: this.files.size, lagBytes: this.lagBytes, now: new Date() });
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'heartbeat not sent');
    }
  }

  /** Stops reading, waits (bounded) for in-flight acks, stores checkpoints. */
  async stop(ackWaitMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.tickTimer);
    for (const file of this.files.values()) clearTimeout(file.tailTimer);
    this.tree.close();
    // Bounded: with NATS away the reader may be parked on a full window, and acks may never come.
    const drained = (async () => {
      await this.pumping;
      return this.deps.window.idle(ackWaitMs);
    })();
    const acked = await Promise.race([drained, sleep(ackWaitMs).then(() => false)]);
    if (!acked) this.deps.log.warn({ inFlight: this.deps.window.pendingCount }, 'stopping with unacknowledged lines; they are re-read next start');
    this.deps.window.stop();
    this.checkpoints.stop();
    await this.pumping;
    await Promise.race([this.checkpoints.flush(), sleep(3000)]);
    this.refreshGauges();
  }

  /** Waits until no file or directory is waiting to be read. */
  async settle(): Promise<void> {
    this.kick();
    while (this.pumping) await this.pumping;
  }

  /** The whole-tree sweep: new, grown, shrunk, replaced, rewritten or deleted files the events missed. */
  async sweep(): Promise<void> {
    if (this.stopping || this.sweeping) return;
    this.sweeping = true;
    try {
      const seen = new Set<string>();
      for (const root of this.deps.config.roots) {
        if (!(await statOf(root, true))) this.rootsFound.delete(root);
        for (const path of await this.tree.walk(root)) seen.add(path);
      }
      for (const path of seen) if (!this.files.has(path)) this.scheduleFile(path);
      for (const [path, file] of [...this.files]) {
        if (this.stopping) return;
        if (!seen.has(path) || changed(file, await statOf(path))) this.scheduleFile(path);
      }
      this.deps.metrics.sweeps.inc();
      this.refreshGauges();
    } finally {
      this.sweeping = false;
      this.armTick(); // a root may have gone
    }
  }

  private scheduleFile(path: string): void {
    this.dirtyFiles.add(path);
    this.kick();
  }

  private scheduleDir(path: string): void {
    this.dirtyDirs.add(path);
    this.kick();
  }

  private kick(): void {
    if (this.pumping || this.stopping || (this.dirtyFiles.size === 0 && this.dirtyDirs.size === 0)) return;
    this.pumping = this.pump()
      .catch((err) => this.deps.log.error({ err }, 'reading failed'))
      .finally(() => {
        this.pumping = undefined;
        this.kick();
      });
  }

  private async pump(): Promise<void> {
    while (!this.stopping) {
      const dir = first(this.dirtyDirs);
      if (dir !== undefined) {
        this.dirtyDirs.delete(dir);
        // Files already tracked have events, polls and the sweep of their own; a walk looks for new ones.
        for (const path of await this.tree.walk(dir)) if (!this.files.has(path)) this.dirtyFiles.add(path);
        continue;
      }
      const path = first(this.dirtyFiles);
      if (path === undefined) return;
      this.dirtyFiles.delete(path);
      await this.readFile(path, this.tailsDue.delete(path));
      if (this.backfilling.delete(path)) this.deps.progress?.fileDone();
    }
  }

  /**
   * Arms the next poll round for when the earliest poll is due, or INGEST_POLL_MS from now while
   * a root is missing; with neither (every file quiet, every root there) no timer runs at all:
   * the events and the sweep cover the files. Called whenever a poll may have moved earlier.
   */
  private armTick(at = this.nextTickAt()): void {
    if (!this.following || this.stopping || this.ticking || at >= this.tickAt) return;
    clearTimeout(this.tickTimer);
    this.tickAt = at;
    this.tickTimer = setTimeout(
      () => {
        this.tickTimer = undefined;
        this.tickAt = Infinity;
        void this.tick();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** The earliest poll, or INGEST_POLL_MS from now while a root is missing; Infinity for neither. */
  private nextTickAt(): number {
    const at = this.polls.nextDue() ?? Infinity;
    return this.rootsFound.size < this.deps.config.roots.length ? Math.min(at, Date.now() + this.deps.config.pollMs) : at;
  }

  /** The file's poll was (re)scheduled: the next round may have to come earlier (a later one is only a wasted round). */
  private pollScheduled(path: string): void {
    this.armTick(this.polls.dueAt(path) ?? Infinity);
  }

  /**
   * Stats the recently written files whose poll is due, and looks for a root that did not exist,
   * so a new `~/.claude/projects` is found at once.
   */
  private async tick(): Promise<void> {
    if (this.stopping || this.ticking) return;
    this.ticking = true;
    try {
      const now = Date.now();
      for (const path of this.polls.due(now)) {
        const file = this.files.get(path);
        if (!file) this.polls.forget(path);
        // A file waiting to be read is looked at anyway; its read schedules the next poll.
        else if (this.dirtyFiles.has(path) || !changed(file, await statOf(path))) this.polls.checked(path, file.lastGrowthMs, now);
        else this.scheduleFile(path);
      }
      for (const root of this.deps.config.roots) {
        if (this.rootsFound.has(root) || !(await statOf(root, true))) continue;
        this.rootsFound.add(root);
        this.scheduleDir(root);
      }
      this.deps.metrics.filesPolled.set(this.polls.size);
    } finally {
      this.ticking = false;
      this.armTick();
    }
  }

  /** Every transcript under the roots, watching their directories; notes which roots exist. */
  private async walkRoots(): Promise<string[]> {
    const found: string[] = [];
    for (const root of this.deps.config.roots) {
      if (await statOf(root, true)) this.rootsFound.add(root);
      await this.tree.walk(root, found);
    }
    return found;
  }

  /** The start-up pass: tracks every file found, from one stat each and its loaded checkpoint. */
  private async openAll(paths: string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += STAT_BATCH) {
      const batch = paths.slice(i, i + STAT_BATCH).map((path) => ({ path, st: statNow(path) }));
      // Only a file that changed since its checkpoint has a fingerprint to read: those run together.
      await Promise.all(batch.map(({ path, st }) => this.openTracked(path, st)));
      if (this.stopping) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Opens the file's tracking state, resuming at its checkpoint when nothing says it changed under it. */
  private async openTracked(path: string, taken?: FileStat | null): Promise<TrackedFile | undefined> {
    const known = this.files.get(path);
    if (known) return known;
    const st = taken === undefined ? await statOf(path) : taken;
    if (!st) return undefined;
    const checkpoint = this.stored ? this.stored.get(path) : await this.loadCheckpoint(path);
    const resume = resumeFrom(checkpoint, st);
    let reset: ResetReason | undefined = resume.reset;
    let start = resume.start;
    if (resume.verify && (await readFingerprint(path, start)) !== checkpoint?.print) {
      start = 0;
      reset = 'rewritten';
    }
    const { user, host, content, subjectPrefix, maxLineBytes, roots, redact } = this.deps.config;
    const ctx = { user, host, file: relativeToRoot(roots, path), content, subjectPrefix, maxLineBytes, redact };
    const file = trackFile(path, st, start, ctx, maxLineBytes);
    if (reset) this.noteReset(file, reset);
    if (checkpoint && start === checkpoint.offset) file.print = checkpoint.print;
    if (checkpoint && start !== checkpoint.offset) file.storedOffset = -1;
    if (this.files.has(path)) return this.files.get(path); // opened meanwhile by another caller
    this.files.set(path, file);
    this.polls.checked(path, file.lastGrowthMs, Date.now());
    this.pollScheduled(path);
    return file;
  }

  private async loadCheckpoint(path: string): Promise<FileCheckpoint | undefined> {
    return this.retryingCheckpoints(() => this.deps.offsets.load(path));
  }

  private async loadAllCheckpoints(): Promise<StoredCheckpoints> {
    return (await this.retryingCheckpoints(() => this.deps.offsets.loadAll())) ?? new StoredCheckpoints(this.deps.config.host);
  }

  private async retryingCheckpoints<T>(load: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await load();
      } catch (err) {
        if (this.stopping) return undefined;
        if (attempt === 0) this.deps.log.warn({ err: (err as Error).message }, 'cannot read checkpoints; retrying');
        await sleep(Math.min(5000, 100 * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  /**
   * Reads what the file gained since the last read; restarts it from 0 when truncated, replaced
   * or rewritten in place. With `tailDue` and nothing new, publishes a final line without `\n`
   * that is a complete JSON value (it stayed quiet for INGEST_PARTIAL_LINE_MS, or `--once` ends).
   */
  private async readFile(path: string, tailDue = false): Promise<void> {
    const file = await this.openTracked(path);
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if (isMissing(err) && file) await this.forget(file);
      return;
    }
    if (!file) return void (await fh.close());
    try {
      const st = await fh.stat({ bigint: true });
      const inode = String(st.ino);
      const size = Number(st.size);
      const mtime = String(st.mtimeNs);
      if (inode !== file.inode || size < file.splitter.nextOffset) {
        this.restart(file, inode, inode !== file.inode ? 'replaced' : 'truncated');
      } else if (mtime !== file.mtime && size === file.splitter.nextOffset && !(await this.printHolds(fh, file))) {
        this.restart(file, inode, 'rewritten');
      }
      if (size > file.size) file.lastGrowthMs = Date.now();
      file.size = size;
      file.mtime = mtime;
      const read = await this.readNew(fh, file, size);
      if (!read && tailDue) await this.publishTail(file);
      if (!this.deps.config.once) this.armTail(file);
      this.polls.checked(path, file.lastGrowthMs, Date.now());
      this.pollScheduled(path);
    } finally {
      await fh.close();
    }
  }

  /** Reads from the splitter's offset to `size`; false when there was nothing new. */
  private async readNew(fh: FileHandle, file: TrackedFile, size: number): Promise<boolean> {
    let read = false;
    while (!this.stopping && file.splitter.nextOffset < size) {
      const position = file.splitter.nextOffset;
      const overlap = printLength(position);
      const want = Math.min(CHUNK_BYTES, size - position);
      // The bytes before `position` come in the same read as the new ones: what was read before is checked against them.
      const { bytesRead } = await fh.read(this.chunk, 0, overlap + want, position - overlap);
      if (bytesRead <= overlap) break; // shrank since the stat: the next look sees it truncated
      if (file.print !== undefined && file.printOffset === position && fingerprint(this.chunk.subarray(0, overlap)) !== file.print) {
        this.restart(file, file.inode, 'rewritten');
        continue;
      }
      const data = this.chunk.subarray(overlap, bytesRead);
      const end = position + data.length;
      file.print = fingerprint(this.chunk.subarray(bytesRead - printLength(end), bytesRead));
      file.printOffset = end;
      const lines = file.splitter.push(data);
      read = true;
      this.deps.metrics.bytesRead.inc(data.length);
      this.deps.metrics.linesRead.inc(lines.length);
      this.deps.progress?.advance(data.length, lines.length);
      // The chunk's lines leave as runs; the runs of one chunk in one socket write (NATS flushes on a microtask).
      await this.runs.publish(file, lines);
    }
    return read;
  }

  /** True when the bytes before the read offset are still those that were read (no rewrite in place). */
  private async printHolds(fh: FileHandle, file: TrackedFile): Promise<boolean> {
    if (file.print === undefined || file.printOffset !== file.splitter.nextOffset) return true;
    const length = printLength(file.printOffset);
    const { bytesRead } = await fh.read(this.chunk, 0, length, file.printOffset - length);
    return bytesRead === length && fingerprint(this.chunk.subarray(0, length)) === file.print;
  }

  private restart(file: TrackedFile, inode: string, reason: ResetReason): void {
    this.noteReset(file, reason);
    clearTimeout(file.tailTimer);
    file.tailTimer = undefined;
    restartFile(file, inode);
    this.checkpoints.touch(file);
  }

  private noteReset(file: TrackedFile, reason: ResetReason): void {
    this.deps.metrics.fileResets.inc({ reason });
    this.deps.log.info({ file: file.ctx.file, reason }, 'file re-read from the start');
  }

  /** While a final line lacks its `\n`, (re)arms the wait for INGEST_PARTIAL_LINE_MS of quiet. */
  private armTail(file: TrackedFile): void {
    clearTimeout(file.tailTimer);
    file.tailTimer = undefined;
    if (this.stopping || file.splitter.pendingOffset === file.splitter.nextOffset) return;
    file.tailTimer = setTimeout(() => {
      file.tailTimer = undefined;
      if (this.files.get(file.path) !== file) return;
      this.tailsDue.add(file.path);
      this.scheduleFile(file.path);
    }, this.deps.config.partialLineMs);
    file.tailTimer.unref();
  }

  /** The quiet final line, when it is a complete JSON value; a `\n` appended later then ends an empty line. */
  private async publishTail(file: TrackedFile): Promise<void> {
    const line = file.splitter.takeFinishedLine();
    if (!line) return;
    this.deps.metrics.linesRead.inc();
    this.deps.log.debug({ file: file.ctx.file, offset: line.offset }, 'final line without a newline published');
    await this.runs.publish(file, [line]);
  }

  /** `--once`: every file's final line without `\n`, read once more and published when complete. */
  private async publishFinishedTails(): Promise<void> {
    for (const file of this.files.values()) {
      if (file.splitter.pendingOffset === file.splitter.nextOffset) continue;
      this.tailsDue.add(file.path);
      this.dirtyFiles.add(file.path);
    }
    await this.settle();
  }

  private async forget(file: TrackedFile): Promise<void> {
    file.generation++;
    clearTimeout(file.tailTimer);
    this.files.delete(file.path);
    this.polls.forget(file.path);
    this.checkpoints.drop(file);
    this.deps.metrics.fileResets.inc({ reason: 'deleted' });
    this.deps.metrics.filesTracked.set(this.files.size);
    this.deps.log.info({ file: file.ctx.file }, 'file deleted; forgotten');
    try {
      await this.deps.offsets.forget(file.path);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'checkpoint of a deleted file not removed');
    }
  }

  private refreshGauges(): void {
    this.deps.metrics.filesTracked.set(this.files.size);
    this.deps.metrics.lagBytes.set(this.lagBytes);
    this.deps.metrics.filesPolled.set(this.polls.size);
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const value of set) return value;
  return undefined;
}

/** True when a stat says the file is not as last read: grown, shrunk, replaced, touched or gone. */
function changed(file: TrackedFile, st: FileStat | undefined): boolean {
  return !st || st.inode !== file.inode || st.size !== file.size || st.mtime !== file.mtime || file.size !== file.splitter.nextOffset;
}

/** Inode, size and mtime of a regular file (or of a directory with `dir`); undefined when it is not there. */
async function statOf(path: string, dir = false): Promise<FileStat | undefined> {
  try {
    const st = await stat(path, { bigint: true });
    if (dir ? !st.isDirectory() : !st.isFile()) return undefined;
    return { inode: String(st.ino), size: Number(st.size), mtime: String(st.mtimeNs) };
  } catch {
    return undefined;
  }
}

/** `statOf` without the thread pool, for the start-up pass over a local tree; null when not a file. */
function statNow(path: string): FileStat | null {
  try {
    const st = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (!st?.isFile()) return null;
    return { inode: String(st.ino), size: Number(st.size), mtime: String(st.mtimeNs) };
  } catch {
    return null;
  }
}
