import type { Kysely } from 'kysely';
import type { Database } from '../database';

/** Who owns a tool_use id: the entry and session of its counted copy (tool uses are deduplicated by id). */
export type ToolUseOwners = Map<string, { entryKey: string; sessionId: string }>;

/** The stored owners of these tool_use ids (absent ids have none yet). */
export async function toolUseOwners(db: Kysely<Database>, schema: string, toolUseIds: readonly string[]): Promise<ToolUseOwners> {
  if (toolUseIds.length === 0) return new Map();
  const rows = await db
    .withSchema(schema)
    .selectFrom('usage_events')
    .select(['event_key', 'entry_key', 'session_id'])
    .where('event_key', 'in', toolUseIds as string[])
    .execute();
  return new Map(rows.map((r) => [r.event_key, { entryKey: r.entry_key, sessionId: r.session_id }]));
}

/** The tool uses a session owns: tool_use id → the entry key of the counted copy. */
export async function sessionToolUses(db: Kysely<Database>, schema: string, sessionId: string): Promise<Map<string, string>> {
  const rows = await db
    .withSchema(schema)
    .selectFrom('usage_events')
    .select(['tool_use_id', 'entry_key'])
    .where('session_id', '=', sessionId)
    .where('tool_use_id', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.tool_use_id as string, r.entry_key]));
}
