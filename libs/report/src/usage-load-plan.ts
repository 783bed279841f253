import { closeSync, openSync, readSync } from 'node:fs';
import type { TranscriptFile } from './transcript-roots';
import type { Segment } from './usage-segment.reader';

/** One piece of work for a reader thread: consecutive segments, in the order the files are read. */
export interface UsageUnit {
  segments: Segment[];
  /** Index in the plan's file list of each segment's file. */
  fileIndexes: number[];
}

export interface PlanOptions {
  /** Files larger than this are split at line starts (one long session must not serialise the load). */
  segmentBytes: number;
  /** Segments are grouped into units of about this many bytes (fewer round trips to the threads). */
  unitBytes: number;
}

/**
 * The files cut into segments and grouped into units, all in reading order: merging the units'
 * results in this order is reading the files one after the other. The last segment of a file
 * reads to its end, as it is when read.
 */
export function planUsageUnits(files: TranscriptFile[], opts: PlanOptions): UsageUnit[] {
  const units: UsageUnit[] = [];
  let current: UsageUnit = { segments: [], fileIndexes: [] };
  let currentBytes = 0;
  files.forEach((f, fileIndex) => {
    const cuts = f.size > opts.segmentBytes ? lineStartsNear(f.path, f.size, Math.ceil(f.size / opts.segmentBytes)) : [];
    const bounds = [0, ...cuts, Number.POSITIVE_INFINITY];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const segment: Segment = { path: f.path, file: f.file, start: bounds[k], end: bounds[k + 1] };
      current.segments.push(segment);
      current.fileIndexes.push(fileIndex);
      currentBytes += Math.min(bounds[k + 1], f.size) - bounds[k];
      if (currentBytes >= opts.unitBytes) {
        units.push(current);
        current = { segments: [], fileIndexes: [] };
        currentBytes = 0;
      }
    }
  });
  if (current.segments.length) units.push(current);
  return units;
}

const PROBE_BYTES = 64 * 1024;

/**
 * Up to `pieces - 1` cut points for a file of `size` bytes, each the first line start at or after
 * an even share of the size (shares inside a line already cut past are dropped): strictly
 * increasing, above 0, below `size`.
 */
function lineStartsNear(path: string, size: number, pieces: number): number[] {
  const cuts: number[] = [];
  const probe = Buffer.allocUnsafe(PROBE_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (let k = 1; k < pieces; k++) {
      const target = Math.floor((size * k) / pieces);
      if (target <= (cuts.at(-1) ?? 0)) continue; // a long line swallowed this share
      let position = target - 1; // a line starts at `target` when the byte before it is `\n`
      let cut = -1;
      while (position < size && cut === -1) {
        const got = readSync(fd, probe, 0, PROBE_BYTES, position);
        if (got === 0) break;
        const nl = probe.subarray(0, got).indexOf(0x0a);
        if (nl !== -1) cut = position + nl + 1;
        else position += got;
      }
      if (cut === -1 || cut >= size) break;
      cuts.push(cut);
    }
  } finally {
    closeSync(fd);
  }
  return cuts;
}
