import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { WatchMode } from '../config/ingest-config';

/** What the tree reports: a transcript file to look at, or a directory to (re)scan. */
export interface TreeEvents {
  file(path: string): void;
  directory(path: string): void;
}

/** `auto` resolved for this platform: recursive watching is native on macOS and Windows only. */
export function effectiveWatchMode(mode: WatchMode, platform: NodeJS.Platform = process.platform): Exclude<WatchMode, 'auto'> {
  if (mode !== 'auto') return mode;
  return platform === 'darwin' || platform === 'win32' ? 'recursive' : 'directories';
}

/**
 * Finds `*.jsonl` files under the roots (any depth: `subagents/` included) and watches them for
 * changes: one recursive watcher per root where the platform has one (FSEvents, ReadDirectoryChangesW),
 * else one inotify watcher per directory it has seen. Idle watchers cost nothing. Watching is
 * best effort — a watcher that errors (deleted dir, inotify limit) is dropped and the polls and
 * the sweep cover for it.
 */
export class TranscriptTree {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly mode: Exclude<WatchMode, 'auto'>;

  constructor(
    private readonly events: TreeEvents,
    mode: WatchMode,
    private readonly roots: string[],
  ) {
    this.mode = effectiveWatchMode(mode);
  }

  /** Every transcript file below `dir` (which may not exist yet), watching directories on the way. */
  async walk(dir: string, out: string[] = []): Promise<string[]> {
    // Watch before listing: a file created between the listing and the watch would otherwise be
    // seen by neither (a new session folder and its first file arrive together).
    this.watchDir(dir);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      this.unwatch(dir);
      return out;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(path, out);
      else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.jsonl')) out.push(path);
    }
    return out;
  }

  get watchedDirs(): number {
    return this.watchers.size;
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private watchDir(dir: string): void {
    if (this.mode === 'off' || this.watchers.has(dir)) return;
    const recursive = this.mode === 'recursive';
    if (recursive && !this.roots.includes(dir)) return;
    try {
      const watcher = watch(dir, { persistent: false, recursive }, (_event, name) => {
        if (!name) return this.events.directory(dir);
        const path = join(dir, name.toString());
        if (path.endsWith('.jsonl')) this.events.file(path);
        else this.events.directory(path);
      });
      watcher.on('error', () => this.unwatch(dir));
      this.watchers.set(dir, watcher);
    } catch {
      // ENOSPC (inotify limit), a vanished dir, or no recursive watching here: the polls and the sweep still find the files.
    }
  }

  private unwatch(dir: string): void {
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
  }
}
