import {
  insertEntries,
  mergeTouches,
  recomputeModelHourly,
  recomputePluginDaily,
  recomputeToolDaily,
  recordRejectedEntries,
  storeCheckpoint,
  toolUseOwners,
  upsertToolResults,
  upsertUsageEvents,
  upsertUsageMessages,
  deleteEventsOfEntries,
  type Database,
  type RejectedEntryRow,
  type UsageMessageRow,
} from '@ccpulse/db';
import { totalOfTokenFields } from '@ccpulse/domain';
import type { Kysely } from 'kysely';
import { emptyChanges, noteChange } from '../notify/updated-notices';
import type { ForcedRejection } from '../projection/projection-runner';
import type { StreamMessage } from '../stream/stream-message';
import { decodeMessage, linePosition, type LineOrigin } from './decode-envelope';
import type { FoldResult, FoldTarget, RejectedMessage } from './fold-context';
import { entryRowOf, eventRowsOf, keyed, messageRowOf, toolResultRowsOf, type KeyedEntry } from './fold-rows';
import { foldSessionStates } from './session-states.fold';

/**
 * Writes one batch into `target.schema` inside `trx` (the caller's transaction): rejected
 * messages, entries by key (uuid winner rule), then for the new winners only: kept responses,
 * events and tool results (joined whichever arrives first), session summaries, the touched
 * rollup keys, and finally the checkpoint. Applying a message twice, or in any batch order,
 * leaves the same rows: every write is keyed and every rollup is recomputed from the facts.
 */
export async function applyBatch(
  trx: Kysely<Database>,
  target: FoldTarget,
  messages: readonly StreamMessage[],
  forced: readonly ForcedRejection[],
  checkpoint: number,
): Promise<FoldResult> {
  const { schema } = target;
  const rejected: RejectedMessage[] = [];
  const rejectedRows: RejectedEntryRow[] = [];
  const items: KeyedEntry[] = [];
  for (const m of messages) {
    for (const decoded of decodeMessage(m.data, m.subject)) {
      const position = linePosition(m.seq, decoded.index);
      if (decoded.ok) {
        items.push(keyed(position, decoded.line));
        continue;
      }
      rejected.push({ seq: m.seq, reason: decoded.reason, ...(decoded.detail ? { detail: decoded.detail } : {}) });
      rejectedRows.push(rejectedRow(position, decoded.reason, decoded.detail, decoded.origin));
    }
  }
  for (const f of forced) {
    // A message that cannot be applied is recorded once, where its first line was.
    const [first] = decodeMessage(f.message.data, f.message.subject);
    rejected.push({ seq: f.message.seq, reason: f.reason, ...(f.detail ? { detail: f.detail } : {}) });
    rejectedRows.push(rejectedRow(linePosition(f.message.seq, 0), f.reason, f.detail, first?.ok ? first.line : first?.origin));
  }
  await recordRejectedEntries(trx, schema, rejectedRows);

  const outcomes = await insertEntries(trx, schema, items.map(entryRowOf));
  const winners: KeyedEntry[] = [];
  const rebuild = new Set<string>();
  outcomes.forEach((o, i) => {
    if (o.status === 'duplicate') return;
    winners.push(items[i]);
    if (o.status === 'replaced') {
      // The copy counted so far lived in previousSessionId: that session (and this one, when
      // the copy only moved in time) must be folded again without it.
      rebuild.add(o.previousSessionId);
      if (o.previousSessionId === items[i].sessionId) rebuild.add(items[i].sessionId);
    }
  });

  const replaced = outcomes.filter((o) => o.status === 'replaced').map((o) => o.entryKey);
  const staleTouches = await deleteEventsOfEntries(trx, schema, replaced);

  const messageRows = winners.map(messageRowOf).filter((r): r is UsageMessageRow => r !== undefined);
  const usage = await upsertUsageMessages(trx, schema, messageRows);

  const eventRows = winners.flatMap(eventRowsOf);
  const toolUseIds = [...new Set(eventRows.map((e) => e.toolUseId).filter((id): id is string => id !== null))];
  const before = await toolUseOwners(trx, schema, toolUseIds);
  const eventTouches = await upsertUsageEvents(trx, schema, eventRows);
  const owners = await toolUseOwners(trx, schema, toolUseIds);
  for (const [id, was] of before) {
    if (owners.get(id)?.entryKey !== was.entryKey) rebuild.add(was.sessionId);
  }
  const resultTouches = await upsertToolResults(trx, schema, winners.flatMap(toolResultRowsOf));
  const touches = mergeTouches(staleTouches, eventTouches, resultTouches);

  const written = await foldSessionStates(trx, {
    schema,
    processorVersion: target.processorVersion,
    lastSeq: checkpoint,
    winners,
    rebuild,
    tokenTouched: usage.touchedSessions,
    owners,
  });

  await recomputeModelHourly(trx, schema, usage.touchedHours);
  await recomputeToolDaily(trx, schema, touches.toolDays);
  await recomputePluginDaily(trx, schema, touches.pluginDays);
  await storeCheckpoint(trx, target.consumer, schema, checkpoint);

  const changes = emptyChanges();
  for (const [sessionId, user] of written) noteChange(changes, user, sessionId, undefined);
  for (const h of usage.touchedHours) noteChange(changes, h.userName, undefined, h.hour.toISOString().slice(0, 10));
  for (const d of [...touches.toolDays, ...touches.pluginDays]) noteChange(changes, d.userName, undefined, d.day);

  return {
    applied: winners.length,
    duplicates: items.length - winners.length,
    rejected,
    changes,
    unpricedTokens: unpricedTokens(messageRows),
  };
}

function rejectedRow(position: number, reason: string, detail: string | undefined, origin: LineOrigin | undefined): RejectedEntryRow {
  return {
    streamSeq: position,
    reason,
    detail: detail ?? null,
    userName: origin?.user ?? null,
    file: origin?.file ?? null,
    byteOffset: origin?.offset ?? null,
  };
}

/** Tokens of unpriced models in this batch, one count per response key (its largest copy). */
function unpricedTokens(rows: readonly UsageMessageRow[]): Map<string, number> {
  const best = new Map<string, UsageMessageRow>();
  for (const r of rows) {
    if (!r.unpriced) continue;
    const cur = best.get(r.messageKey);
    if (!cur || totalOfTokenFields(r) > totalOfTokenFields(cur)) best.set(r.messageKey, r);
  }
  const out = new Map<string, number>();
  for (const r of best.values()) out.set(r.model, (out.get(r.model) ?? 0) + totalOfTokenFields(r));
  return out;
}
