/* Test-only: the batch pipeline of the report, over in-memory lines. */
import { isBlankLine, parseLine } from '../entry/parse-line';
import { toEntry } from '../entry/to-entry';
import type { Entry } from '../entry/entry';
import { entryKey } from '../usage/entry-key';
import { EntryLedger, ToolUseLedger, UsageLedger } from '../usage/usage-ledger';
import { usageRecordOf, type UsageRecord } from '../usage/usage-record';
import { evolveSession, initialSessionState, type SessionState } from '../session/session-state';
import { summarizeSession, type SessionSummary } from '../session/session-summary';
import { tokensBySession } from '../session/session-tokens';

export interface Folded {
  rejected: number;
  records: UsageRecord[];
  states: Map<string, SessionState>;
  summaries: Map<string, SessionSummary>;
  entries: Entry[];
}

export function entriesOf(files: { file: string; lines: string[] }[]): { entries: { entry: Entry; key: string }[]; rejected: number } {
  const entries: { entry: Entry; key: string }[] = [];
  let rejected = 0;
  for (const { file, lines } of files) {
    let offset = 0;
    for (const line of lines) {
      const at = offset;
      offset += Buffer.byteLength(line) + 1;
      if (isBlankLine(line)) continue;
      const parsed = parseLine(line);
      if (!parsed.ok) {
        rejected++;
        continue;
      }
      const entry = toEntry(parsed.value, { file });
      entries.push({ entry, key: entryKey(entry, 'me', file, at) });
    }
  }
  return { entries, rejected };
}

export function fold(files: { file: string; lines: string[] }[]): Folded {
  const { entries, rejected } = entriesOf(files);
  const usage = new UsageLedger();
  const byUuid = new EntryLedger();
  const tools = new ToolUseLedger();
  const keys = new Map<Entry, string>();
  for (const { entry, key } of entries) {
    keys.set(entry, key);
    tools.add(entry, key);
    const r = usageRecordOf(entry, key);
    if (r) usage.add(r);
    byUuid.add(entry);
  }
  const states = new Map<string, SessionState>();
  const kept = [...byUuid.entries()];
  for (const entry of kept) {
    if (!entry.sessionId) continue;
    let s = states.get(entry.sessionId);
    if (!s) states.set(entry.sessionId, (s = initialSessionState(entry.sessionId)));
    const key = keys.get(entry)!;
    evolveSession(s, entry, { countToolUse: (id) => tools.isKept(id, key) });
  }
  const records = [...usage.records()];
  const tokens = tokensBySession(records);
  const summaries = new Map<string, SessionSummary>();
  for (const [id, s] of states) {
    const summary = summarizeSession(s, tokens.get(id));
    if (summary) summaries.set(id, summary);
  }
  return { rejected, records, states, summaries, entries: kept };
}
