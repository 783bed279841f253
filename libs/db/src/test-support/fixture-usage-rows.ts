/* Test-only: usage rows derived from the real transcript fixtures through the domain parser. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { costOf, entryKey, parseLine, toEntry, usageRecordOf } from '@ccpulse/domain';
import type { UsageMessageRow } from '../messages/upsert-usage-messages';

/** Every usage record of every transcript of a corpus (`claude/projects` under `dir`) as a row (user `fixture`). */
export function fixtureUsageRows(dir: string): UsageMessageRow[] {
  const root = path.join(dir, 'claude', 'projects');
  const rows: UsageMessageRow[] = [];
  let seq = 0;
  for (const file of walk(root)) {
    const rel = path.relative(root, file);
    let offset = 0;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const here = offset;
      offset += Buffer.byteLength(line, 'utf8') + 1;
      const parsed = parseLine(line);
      if (!parsed.ok) continue;
      const entry = toEntry(parsed.value, { file: rel });
      const key = entryKey(entry, 'fixture', rel, here);
      const rec = usageRecordOf(entry, key);
      if (!rec) continue;
      const cost = costOf(rec.model, rec.tokens);
      rows.push({
        messageKey: rec.key,
        entryKey: rec.entryKey,
        userName: 'fixture',
        sessionId: rec.sessionId ?? 'unknown',
        project: rec.project ?? null,
        model: rec.model,
        ts: rec.ts === undefined ? null : new Date(Math.floor(rec.ts)),
        isSidechain: rec.isSidechain,
        messageId: rec.messageId ?? null,
        inputTokens: rec.tokens.input,
        outputTokens: rec.tokens.output,
        cacheReadTokens: rec.tokens.cacheRead,
        cacheCreationTokens: rec.tokens.cacheCreation,
        cacheCreation5mTokens: rec.tokens.cacheCreation5m,
        cacheCreation1hTokens: rec.tokens.cacheCreation1h,
        costUsd: cost.costUsd,
        unpriced: cost.unpriced,
        streamSeq: ++seq,
      });
    }
  }
  return rows;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...walk(p));
    else if (d.name.endsWith('.jsonl')) out.push(p);
  }
  return out.sort();
}
