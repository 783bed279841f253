import type { Entry } from '../entry/entry';

/**
 * The natural key of an entry in the read model: its uuid when it has one (so copies of a line in
 * resumed sessions, other files or other machines collapse into one), else where it was read.
 */
export function entryKey(entry: Entry, user: string, file: string, offset: number): string {
  return entry.uuid ?? `${user}:${file}:${offset}`;
}

/**
 * The key of one API response: `message.id:requestId`, global across files, sessions and
 * machines. Undefined when either half is missing (such lines are counted as they are).
 */
export function messageKey(entry: Entry): string | undefined {
  const id = entry.message?.id;
  return id && entry.requestId ? `${id}:${entry.requestId}` : undefined;
}
