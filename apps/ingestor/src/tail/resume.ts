import type { FileCheckpoint } from '../nats/offsets.store';

/** What a stat tells about a file without reading it. */
export interface FileStat {
  inode: string;
  size: number;
  /** Modification time in nanoseconds, as a decimal string (exact). */
  mtime: string;
}

/** Where to start reading a file found at start-up, and why not at its checkpoint. */
export interface Resume {
  start: number;
  /** Compare the fingerprint before trusting `start` (the file changed since the checkpoint). */
  verify: boolean;
  reset?: 'truncated' | 'replaced';
}

/**
 * Decides from the checkpoint and a stat alone, so a history of unchanged files is resumed
 * without opening one: same inode, size and mtime as when the checkpoint was stored means
 * nothing was written since. A file that changed is resumed only after its fingerprint matched
 * (the caller reads it); an older checkpoint without one is trusted as before.
 */
export function resumeFrom(checkpoint: FileCheckpoint | undefined, st: FileStat): Resume {
  if (!checkpoint || checkpoint.offset === 0) return { start: 0, verify: false };
  if (checkpoint.inode !== st.inode) return { start: 0, verify: false, reset: 'replaced' };
  if (checkpoint.offset > st.size) return { start: 0, verify: false, reset: 'truncated' };
  const unchanged = checkpoint.size === st.size && checkpoint.mtime === st.mtime;
  return { start: checkpoint.offset, verify: !unchanged && checkpoint.print !== undefined };
}
