import { type RawBuilder, sql } from 'kysely';
import { table } from '../sql-helpers';
import { zoneHasWholeHourOffsetsCached } from './whole-hour-offsets';

/** Local days `[from, to]` (inclusive, `YYYY-MM-DD`) of an IANA time zone. */
export interface LocalDays {
  from: string;
  to: string;
  timeZone: string;
}

/** Where usage over some local days is read, and its columns there. */
export interface UsageSource {
  /** Hourly rollups (a whole-hour zone) rather than the message facts. */
  hourly: boolean;
  table: RawBuilder<unknown>;
  /** `hour` of a rollup, `ts` of a fact. */
  ts: RawBuilder<unknown>;
  /** The project, null when none (the rollups key a missing project as ''). */
  project: RawBuilder<unknown>;
}

/**
 * The narrowest table that answers usage over these days: the team's hours by model unless users
 * or projects are grouped or filtered, else the hourly rollup (days in any whole-hour zone are
 * unions of UTC hours); zones with 30/45-minute offsets read the message facts instead, as the
 * data model says. `team` and `usage` read the same source, so they add up to each other.
 */
export function usageSource(schema: string, days: LocalDays, byUserOrProject: boolean): UsageSource {
  const hourly = zoneHasWholeHourOffsetsCached(days.timeZone, new Date(`${days.from}T00:00:00Z`), new Date(`${days.to}T23:59:59Z`));
  if (!hourly) return { hourly, table: table(schema, 'usage_messages'), ts: sql`ts`, project: sql`project` };
  const rollup = byUserOrProject ? 'usage_model_hourly' : 'usage_team_hourly';
  return { hourly, table: table(schema, rollup), ts: sql`hour`, project: sql`nullif(project, '')` };
}

/** `ts` within the local days, as instants. */
export function withinLocalDays(ts: RawBuilder<unknown>, days: LocalDays): RawBuilder<unknown>[] {
  return [
    sql`${ts} >= (${days.from}::date)::timestamp at time zone ${days.timeZone}`,
    sql`${ts} < (${days.to}::date + 1)::timestamp at time zone ${days.timeZone}`,
  ];
}
