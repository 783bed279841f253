import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { isoOrNull, msOrInfinity, table } from '../sql-helpers';
import type { EventTouches } from './event-keys';
import { joinToolResults } from './join-tool-results';

/** One tool_result (inline in a user line, or a legacy top-level line). */
export interface ToolResultRow {
  toolUseId: string;
  isError: boolean;
  /** the result line's timestamp */
  ts: Date | string | null;
  patchLines: number | null;
}

/**
 * Stores results (any copy saying is_error wins; the earliest timestamp is kept) and joins them
 * onto events already stored. Returns what that join touched.
 */
export async function upsertToolResults(db: Kysely<Database>, schema: string, rows: readonly ToolResultRow[]): Promise<EventTouches> {
  if (rows.length === 0) return { sessions: [], toolDays: [], pluginDays: [] };
  const merged = new Map<string, ToolResultRow>();
  for (const r of rows) {
    const cur = merged.get(r.toolUseId);
    if (!cur) {
      merged.set(r.toolUseId, { ...r });
      continue;
    }
    cur.isError = cur.isError || r.isError;
    if (msOrInfinity(r.ts) < msOrInfinity(cur.ts)) cur.ts = r.ts;
    if (r.patchLines !== null) cur.patchLines = Math.max(cur.patchLines ?? 0, r.patchLines);
  }
  const w = [...merged.values()];
  await sql`
    insert into ${table(schema, 'usage_tool_results')} as t (tool_use_id, is_error, ts, patch_lines)
    select * from unnest(${w.map((r) => r.toolUseId)}::text[], ${w.map((r) => r.isError)}::boolean[],
      ${w.map((r) => isoOrNull(r.ts))}::timestamptz[], ${w.map((r) => r.patchLines)}::bigint[])
    on conflict (tool_use_id) do update set
      is_error = t.is_error or excluded.is_error,
      ts = case when t.ts is null then excluded.ts when excluded.ts is null then t.ts else least(t.ts, excluded.ts) end,
      patch_lines = case when t.patch_lines is null then excluded.patch_lines
        when excluded.patch_lines is null then t.patch_lines else greatest(t.patch_lines, excluded.patch_lines) end
    where (t.is_error, t.ts, t.patch_lines) is distinct from (t.is_error or excluded.is_error,
      case when t.ts is null then excluded.ts when excluded.ts is null then t.ts else least(t.ts, excluded.ts) end,
      case when t.patch_lines is null then excluded.patch_lines
        when excluded.patch_lines is null then t.patch_lines else greatest(t.patch_lines, excluded.patch_lines) end)`.execute(db);
  return joinToolResults(db, schema, w.map((r) => r.toolUseId));
}
