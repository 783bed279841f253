import type { SessionHour } from '@ccpulse/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { table } from '../sql-helpers';

/** One session's rows of the team read model. */
export interface SessionHoursOf {
  sessionId: string;
  userName: string;
  project: string | null;
  hours: readonly SessionHour[];
}

/**
 * Replaces the `usage_session_hourly` rows of these sessions (and deletes those of `gone`): the
 * rows are a pure function of the session's state, so writing them whenever the summary is
 * written keeps them exact in any batch order, on replay and after a bulk build.
 */
export async function replaceSessionHours(db: Kysely<Database>, schema: string, sessions: readonly SessionHoursOf[], gone: readonly string[] = []): Promise<void> {
  const ids = [...sessions.map((s) => s.sessionId), ...gone];
  if (ids.length === 0) return;
  const t = table(schema, 'usage_session_hourly');
  await sql`delete from ${t} where session_id = any(${ids}::text[])`.execute(db);
  const rows = sessions.flatMap((s) => s.hours.map((h) => ({ s, h })));
  if (rows.length === 0) return;
  const col = <T>(f: (r: { s: SessionHoursOf; h: SessionHour }) => T) => rows.map(f);
  await sql`
    insert into ${t} (session_id, hour, model, user_name, project, sessions, prompts, active_ms, lines_added, lines_removed,
      commits, pull_requests, edits_accepted, edits_rejected, tool_decisions)
    select * from unnest(${col((r) => r.s.sessionId)}::text[], ${col((r) => new Date(r.h.hourMs).toISOString())}::timestamptz[],
      ${col((r) => r.h.model)}::text[], ${col((r) => r.s.userName)}::text[], ${col((r) => r.s.project ?? '')}::text[],
      ${col((r) => r.h.sessions)}::int[], ${col((r) => r.h.prompts)}::int[], ${col((r) => r.h.activeMs)}::bigint[],
      ${col((r) => r.h.outcomes.linesAdded)}::bigint[], ${col((r) => r.h.outcomes.linesRemoved)}::bigint[],
      ${col((r) => r.h.outcomes.commits)}::int[], ${col((r) => r.h.outcomes.pullRequests)}::int[],
      ${col((r) => r.h.outcomes.editsAccepted)}::int[], ${col((r) => r.h.outcomes.editsRejected)}::int[],
      ${col((r) => JSON.stringify(sortedKeys(r.h.outcomes.tools)))}::jsonb[])`.execute(db);
}

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
