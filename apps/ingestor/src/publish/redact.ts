import { createHmac } from 'node:crypto';
import type { Entry } from '@ccpulse/domain';

/** What `INGEST_REDACT` hides before a line leaves the machine. */
export interface Redaction {
  paths: boolean;
  branches: boolean;
  /** Per-team secret (`INGEST_REDACT_SALT`): the same on every machine, so projects still group. */
  salt: string;
}

/** A keyed hash: without the salt, a guessed path cannot be checked against it. */
function digest(salt: string, kind: string, value: string): string {
  return createHmac('sha256', salt).update(`${kind}\0${value}`).digest('hex').slice(0, 16);
}

/**
 * `/home/ann/clients/acme/api` → `/redacted-<hmac>/api`: the same directory always gives the
 * same value (so sessions group into the same project), and the last folder name stays readable.
 */
export function redactDirectory(salt: string, dir: string): string {
  const last = dir.split(/[\\/]+/).filter(Boolean).at(-1) ?? '';
  return `/redacted-${digest(salt, 'dir', dir)}/${last}`;
}

/** `<project folder>/<session>.jsonl…` → the folder (it spells the working directory) hashed. */
export function redactTranscriptPath(salt: string, file: string): string {
  const slash = file.search(/[\\/]/);
  if (slash < 0) return file;
  return `redacted-${digest(salt, 'file', file.slice(0, slash))}${file.slice(slash)}`;
}

export function redactBranch(salt: string, branch: string): string {
  return `redacted-${digest(salt, 'branch', branch)}`;
}

/** The entry with its working directory and/or branch replaced (a copy; the input is untouched). */
export function redactEntry(r: Redaction, entry: Entry): Entry {
  if ((!r.paths || entry.cwd === undefined) && (!r.branches || entry.gitBranch === undefined)) return entry;
  const out = { ...entry };
  if (r.paths && out.cwd !== undefined) out.cwd = redactDirectory(r.salt, out.cwd);
  if (r.branches && out.gitBranch !== undefined) out.gitBranch = redactBranch(r.salt, out.gitBranch);
  return out;
}
