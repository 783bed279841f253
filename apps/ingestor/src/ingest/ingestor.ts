import { open, stat, type FileHandle } from 'node:fs/promises';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { IngestConfig } from '../config/ingest-config';
import { publishHeartbeat } from '../heartbeat/heartbeat';
import type { IngestorMetrics } from '../metrics/ingestor.metrics';
import type { OffsetsStore } from '../nats/offsets.store';
import type { BackfillProgress } from '../progress/backfill-progress';
import type { PublishWindow } from '../publish/publish-window';
import { relativeToRoot, restartFile, trackFile, type TrackedFile } from '../tail/tracked-file';
import { TranscriptTree } from '../tail/transcript-tree';
import { CheckpointWriter } from './checkpoint-writer';
import { LinePublisher } from './line-publisher';

const CHUNK_BYTES = 1024 * 1024;
const CHECKPOINT_EVERY_MS = 200;

export interface IngestorDeps {
  config: IngestConfig;
  nc: NatsConnection;
  window: PublishWindow;
  offsets: OffsetsStore;
  metrics: IngestorMetrics;
  log: Logger;
  progress?: BackfillProgress;
}

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException)?.code ?? '');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Tails every transcript under the roots and publishes each complete line once: reads by bytes
 * from the acknowledged checkpoint, one file at a time through a single bounded publish window,
 * and stores a file's checkpoint only past the contiguous prefix of acknowledged lines.
 */
export class Ingestor {
  private readonly files = new Map<string, TrackedFile>();
  private readonly dirtyFiles = new Set<string>();
  private readonly dirtyDirs = new Set<string>();
  private readonly tree: TranscriptTree;
  private readonly checkpoints: CheckpointWriter;
  private readonly lines: LinePublisher;
  private pumping?: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private backfilling = new Set<string>();
  /**
   * The one read buffer, reused for every chunk: a fresh 1 MB buffer per read is garbage V8 only
   * collects late (it lives outside the heap), which let RSS grow with the history's size. Safe
   * because files are read one at a time and every line of a chunk is turned into its message
   * (nothing keeps `line.bytes`) before the next read; the splitter copies a partial tail.
   */
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);

  constructor(private readonly deps: IngestorDeps) {
    this.tree = new TranscriptTree(
      { file: (path) => this.scheduleFile(path), directory: (path) => this.scheduleDir(path) },
      !deps.config.once,
    );
    this.checkpoints = new CheckpointWriter(deps.offsets, deps.metrics, deps.config.publishWindow);
    this.lines = new LinePublisher(deps.window, this.checkpoints, deps.metrics, () => deps.nc.info?.max_payload ?? 1024 * 1024);
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

  /** Reads every file to its current end and waits until all its lines are acknowledged and checkpointed. */
  async backfill(): Promise<void> {
    const found: string[] = [];
    for (const root of this.deps.config.roots) await this.tree.walk(root, found);
    let bytes = 0;
    for (const path of found) {
      const file = await this.openTracked(path);
      if (file) bytes += Math.max(0, file.size - file.splitter.nextOffset);
    }
    this.backfilling = new Set(found);
    this.deps.progress?.begin(found.length, bytes);
    const flusher = setInterval(() => void this.checkpoints.flush(), CHECKPOINT_EVERY_MS);
    try {
      for (const path of found) this.dirtyFiles.add(path);
      await this.settle();
      this.deps.progress?.finish();
      await this.deps.window.idle();
    } finally {
      clearInterval(flusher);
    }
    await this.checkpoints.flush();
    this.refreshGauges();
  }

  /** After the backfill: follow changes through inotify events plus a stat poll every INGEST_POLL_MS. */
  follow(): void {
    const { pollMs, heartbeatMs } = this.deps.config;
    this.timers.push(setInterval(() => void this.poll(), pollMs));
    this.timers.push(setInterval(() => void this.checkpoints.flush(), CHECKPOINT_EVERY_MS));
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
        for (const path of await this.tree.walk(dir)) this.dirtyFiles.add(path);
        continue;
      }
      const path = first(this.dirtyFiles);
      if (path === undefined) return;
      this.dirtyFiles.delete(path);
      await this.readFile(path);
      if (this.backfilling.delete(path)) this.deps.progress?.fileDone();
    }
  }

  /** The poll: new, grown, shrunk, replaced or deleted files the watchers may have missed. */
  private async poll(): Promise<void> {
    if (this.stopping) return;
    const seen = new Set<string>();
    for (const root of this.deps.config.roots) for (const path of await this.tree.walk(root)) seen.add(path);
    for (const path of seen) if (!this.files.has(path)) this.scheduleFile(path);
    for (const [path, file] of this.files) {
      if (!seen.has(path)) this.scheduleFile(path);
      else if (file.size !== file.splitter.nextOffset || (await statKey(path)) !== `${file.inode}:${file.size}`) this.scheduleFile(path);
    }
    this.refreshGauges();
  }

  /** Opens the file's tracking state, resuming at its checkpoint when the inode still matches. */
  private async openTracked(path: string): Promise<TrackedFile | undefined> {
    const known = this.files.get(path);
    if (known) return known;
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if (!isMissing(err)) this.deps.log.warn({ path, err: (err as Error).message }, 'cannot open transcript');
      return undefined;
    }
    try {
      const st = await fh.stat({ bigint: true });
      if (!st.isFile()) return undefined;
      const inode = String(st.ino);
      const size = Number(st.size);
      const checkpoint = await this.loadCheckpoint(path);
      const resume = checkpoint && checkpoint.inode === inode && checkpoint.offset <= size ? checkpoint.offset : 0;
      if (checkpoint && resume === 0 && checkpoint.offset > 0) {
        this.deps.metrics.fileResets.inc({ reason: checkpoint.inode === inode ? 'truncated' : 'replaced' });
      }
      const { user, host, content, subjectPrefix, maxLineBytes, roots, redact } = this.deps.config;
      const ctx = { user, host, file: relativeToRoot(roots, path), content, subjectPrefix, maxLineBytes, redact };
      const file = trackFile(path, inode, size, resume, ctx, maxLineBytes);
      if (checkpoint && resume !== checkpoint.offset) file.storedOffset = -1;
      this.files.set(path, file);
      this.deps.metrics.filesTracked.set(this.files.size);
      return file;
    } finally {
      await fh.close();
    }
  }

  private async loadCheckpoint(path: string) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.offsets.load(path);
      } catch (err) {
        if (this.stopping) return undefined;
        if (attempt === 0) this.deps.log.warn({ err: (err as Error).message }, 'cannot read checkpoint; retrying');
        await sleep(Math.min(5000, 100 * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  /** Reads what the file gained since the last read; restarts it from 0 when truncated or replaced. */
  private async readFile(path: string): Promise<void> {
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
      if (inode !== file.inode || size < file.splitter.nextOffset) {
        const reason = inode !== file.inode ? 'replaced' : 'truncated';
        this.deps.metrics.fileResets.inc({ reason });
        this.deps.log.info({ file: file.ctx.file, reason }, 'file re-read from the start');
        restartFile(file, inode);
        this.checkpoints.touch(file);
      }
      file.size = size;
      while (!this.stopping && file.splitter.nextOffset < size) {
        const position = file.splitter.nextOffset;
        const want = Math.min(CHUNK_BYTES, size - position);
        const { bytesRead } = await fh.read(this.chunk, 0, want, position);
        if (bytesRead === 0) break;
        const lines = file.splitter.push(this.chunk.subarray(0, bytesRead));
        this.deps.metrics.bytesRead.inc(bytesRead);
        this.deps.metrics.linesRead.inc(lines.length);
        this.deps.progress?.advance(bytesRead, lines.length);
        // No await per line: publishes of one chunk leave in one socket write (NATS flushes on a microtask).
        for (const line of lines) {
          const full = this.lines.publish(file, line);
          if (full) await full;
        }
      }
    } finally {
      await fh.close();
    }
  }

  private async forget(file: TrackedFile): Promise<void> {
    file.generation++;
    this.files.delete(file.path);
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
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const value of set) return value;
  return undefined;
}

/** `inode:size` of a path, to notice growth, truncation and replacement without reading. */
async function statKey(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path, { bigint: true });
    return `${st.ino}:${st.size}`;
  } catch {
    return undefined;
  }
}
