import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** What the tree reports: a transcript file to look at, or a directory to (re)scan. */
export interface TreeEvents {
  file(path: string): void;
  directory(path: string): void;
}

/**
 * Finds `*.jsonl` files under the roots (any depth: `subagents/` included) and watches every
 * directory it has seen with inotify (fs.watch). Watching is best effort — a watcher that errors
 * (deleted dir, inotify limit) is dropped and the periodic poll covers for it.
 */
export class TranscriptTree {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly events: TreeEvents,
    private readonly watching: boolean,
  ) {}

  /** Every transcript file below `dir` (which may not exist yet), watching directories on the way. */
  async walk(dir: string, out: string[] = []): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      this.unwatch(dir);
      return out;
    }
    this.watchDir(dir);
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
    if (!this.watching || this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (!name) return this.events.directory(dir);
        const path = join(dir, name.toString());
        if (path.endsWith('.jsonl')) this.events.file(path);
        else this.events.directory(path);
      });
      watcher.on('error', () => this.unwatch(dir));
      this.watchers.set(dir, watcher);
    } catch {
      // ENOSPC (inotify limit) or a vanished dir: the poll still finds the files.
    }
  }

  private unwatch(dir: string): void {
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
  }
}
