import type { Entry } from '@ccpulse/domain';

/**
 * The entry as `usage_entries.entry` keeps it: what a session re-fold reads (`evolveSession`,
 * `classifyEvents` and the tool-use owner check), still a valid `Entry`. The optional facts that
 * only the usage and event rows need (session id and uuid are columns or keys, the raw timestamp,
 * request and message ids, token counters, versions, opted-in content) are left out: they are
 * written, and parsed by PostgreSQL, for every line, and read back only for a moved uuid.
 */
export function storedEntryOf(entry: Entry): Entry {
  const stored: Entry = {
    type: entry.type,
    kind: entry.kind,
    isSidechain: entry.isSidechain,
    isMeta: entry.isMeta,
    isCompactSummary: entry.isCompactSummary,
    isPrompt: entry.isPrompt,
    toolUses: entry.toolUses,
    toolResults: entry.toolResults,
    commands: entry.commands,
  };
  if (entry.uuid !== undefined) stored.uuid = entry.uuid;
  if (entry.ts !== undefined) stored.ts = entry.ts;
  if (entry.cwd !== undefined) stored.cwd = entry.cwd;
  if (entry.gitBranch !== undefined) stored.gitBranch = entry.gitBranch;
  if (entry.message?.model !== undefined) stored.message = { model: entry.message.model };
  return stored;
}
