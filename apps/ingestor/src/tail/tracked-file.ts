import { sep } from 'node:path';
import type { LineContext } from '../publish/run-message';
import { AckTracker } from '../publish/ack-tracker';
import { LineSplitter } from '@ccpulse/domain';
import type { FileStat } from './resume';

/** Reading state of one transcript file. */
export interface TrackedFile {
  path: string;
  inode: string;
  /** Size at the last stat. */
  size: number;
  /** mtime (ns, decimal) at the last stat. */
  mtime: string;
  /** When the file last grew (ms since the epoch; its mtime when first seen): drives the poll back-off. */
  lastGrowthMs: number;
  /** Fingerprint of the bytes before `printOffset` as last read (tail/fingerprint.ts); undefined before the first read. */
  print?: string;
  printOffset: number;
  /** Armed while a final line without `\n` waits to be quiet for INGEST_PARTIAL_LINE_MS. */
  tailTimer?: NodeJS.Timeout;
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
  let root: string | undefined;
  for (const r of roots) if ((path === r || path.startsWith(r + sep)) && (root === undefined || r.length > root.length)) root = r;
  // Cheaper than path.relative (it is called for every file at start-up); both paths are absolute and normalised.
  const rel = root === undefined ? path : path.slice(root.length + 1);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

export function trackFile(path: string, st: FileStat, start: number, ctx: LineContext, maxLineBytes: number): TrackedFile {
  return {
    path,
    inode: st.inode,
    size: st.size,
    mtime: st.mtime,
    lastGrowthMs: Number(BigInt(st.mtime) / 1_000_000n),
    printOffset: start,
    splitter: new LineSplitter(maxLineBytes, start),
    tracker: new AckTracker(start),
    generation: 0,
    storedOffset: start,
    ctx,
  };
}

/** Starts the file over from byte 0 (truncated, replaced or rewritten): ids make the re-sent lines harmless. */
export function restartFile(file: TrackedFile, inode: string): void {
  file.generation++;
  file.inode = inode;
  file.print = undefined;
  file.printOffset = 0;
  file.splitter.reset(0);
  file.tracker = new AckTracker(0);
  file.storedOffset = -1;
}
