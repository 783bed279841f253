import type { Logger } from 'pino';

/** Numbers of a backfill at one moment; `render` and the log line are both made from them. */
export interface ProgressSnapshot {
  filesDone: number;
  files: number;
  bytesDone: number;
  bytes: number;
  lines: number;
  elapsedMs: number;
}

const MB = 1024 * 1024;

function eta(snapshot: ProgressSnapshot): string {
  const rate = snapshot.bytesDone / Math.max(snapshot.elapsedMs, 1);
  if (rate <= 0) return '--';
  const s = Math.round((snapshot.bytes - snapshot.bytesDone) / rate / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One progress-bar line: `[#####-----] 12/66 files  3.1/27.0 MB  41,000 lines/s  ETA 6s`. */
export function renderProgress(snapshot: ProgressSnapshot, width = 24): string {
  const ratio = snapshot.bytes > 0 ? Math.min(1, snapshot.bytesDone / snapshot.bytes) : 1;
  const filled = Math.round(ratio * width);
  const linesPerSec = Math.round(snapshot.lines / Math.max(snapshot.elapsedMs / 1000, 0.001));
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${snapshot.filesDone}/${snapshot.files} files  ` +
    `${(snapshot.bytesDone / MB).toFixed(1)}/${(snapshot.bytes / MB).toFixed(1)} MB  ` +
    `${linesPerSec.toLocaleString('en-US')} lines/s  ETA ${eta(snapshot)}`
  );
}

/**
 * Backfill progress: a redrawn bar on a TTY, a structured log line every few seconds otherwise
 * (cron, CI, containers), so a long first run is never silent.
 */
export class BackfillProgress {
  private snapshot: ProgressSnapshot = { filesDone: 0, files: 0, bytesDone: 0, bytes: 0, lines: 0, elapsedMs: 0 };
  private started = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly tty: NodeJS.WriteStream | undefined,
    private readonly logEveryMs = 5000,
  ) {}

  begin(files: number, bytes: number): void {
    this.started = performance.now();
    this.snapshot = { filesDone: 0, files, bytesDone: 0, bytes, lines: 0, elapsedMs: 0 };
    this.log.info({ files, bytes }, 'backfill started');
    this.timer = setInterval(() => this.report(), this.tty ? 250 : this.logEveryMs);
    this.timer.unref();
  }

  advance(bytes: number, lines: number): void {
    this.snapshot.bytesDone += bytes;
    this.snapshot.lines += lines;
  }

  fileDone(): void {
    this.snapshot.filesDone++;
  }

  finish(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.report();
    if (this.tty) this.tty.write('\n');
    const { files, bytesDone, lines, elapsedMs } = this.snapshot;
    this.log.info({ files, bytes: bytesDone, lines, ms: Math.round(elapsedMs) }, 'backfill read');
  }

  private report(): void {
    this.snapshot.elapsedMs = performance.now() - this.started;
    if (this.tty) this.tty.write(`\r${renderProgress(this.snapshot)}\x1b[K`);
    else this.log.info({ progress: { ...this.snapshot, elapsedMs: Math.round(this.snapshot.elapsedMs) } }, renderProgress(this.snapshot, 10));
  }
}
