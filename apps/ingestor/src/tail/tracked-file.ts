import { relative, sep } from 'node:path';
import type { LineContext } from '../publish/line-message';
import { AckTracker } from '../publish/ack-tracker';
import { LineSplitter } from './line-splitter';

/** Reading state of one transcript file. */
export interface TrackedFile {
  path: string;
  inode: string;
  /** Size at the last stat. */
  size: number;
  splitter: LineSplitter;
  tracker: AckTracker;
  /** Bumped when the file is re-read from 0, so acks of the old contents are ignored. */
  generation: number;
  /** Offset last written to the offsets bucket (-1: never). */
  storedOffset: number;
  ctx: LineContext;
}

/** The root a path lives under (the longest match), and the path relative to it with `/`. */
export function relativeToRoot(roots: string[], path: string): string {
  const root = roots.filter((r) => path === r || path.startsWith(r + sep)).sort((a, b) => b.length - a.length)[0];
  const rel = root ? relative(root, path) : path;
  return rel.split(sep).join('/');
}

export function trackFile(path: string, inode: string, size: number, start: number, ctx: LineContext, maxLineBytes: number): TrackedFile {
  return {
    path,
    inode,
    size,
    splitter: new LineSplitter(maxLineBytes, start),
    tracker: new AckTracker(start),
    generation: 0,
    storedOffset: start,
    ctx,
  };
}

/** Starts the file over from byte 0 (truncated or replaced): ids make the re-sent lines harmless. */
export function restartFile(file: TrackedFile, inode: string): void {
  file.generation++;
  file.inode = inode;
  file.splitter.reset(0);
  file.tracker = new AckTracker(0);
  file.storedOffset = -1;
}
