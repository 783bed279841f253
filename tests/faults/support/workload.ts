/** Synthetic transcript trees on disk for the fault scenarios (no shared fixtures needed). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syntheticTranscripts, type SyntheticFile } from '../../../libs/domain/src/test-support/synthetic-transcript';

/** A temp Claude config dir holding `projects/**`; `remove()` deletes it. */
export interface Workload {
  /** The dir passed to `ccpulse ingest --dir`. */
  root: string;
  files: SyntheticFile[];
  lines: number;
  remove(): void;
}

export function tempRoot(prefix = 'ccpulse-faults-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes the files under `<root>/projects/`. */
export function writeFiles(root: string, files: readonly SyntheticFile[]): void {
  for (const f of files) {
    const p = path.join(root, 'projects', f.file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.lines.map((l) => `${l}\n`).join(''));
  }
}

/** Deterministic transcripts (same seed, same bytes) of about `sessions × turns × 5` lines. */
export function writeWorkload(opts: { seed: number; sessions: number; turns: number }): Workload {
  const root = tempRoot();
  const files = syntheticTranscripts({ seed: opts.seed, sessions: opts.sessions, turnsPerSession: opts.turns });
  writeFiles(root, files);
  return {
    root,
    files,
    lines: files.reduce((n, f) => n + f.lines.length, 0),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
