import { uniqueBy } from '../sql-helpers';
import { type EventTouches, pluginDayId, toolDayId } from './event-keys';

/** A returned event row: enough to name the rollup keys it feeds. */
export interface TouchedEventRow {
  session_id: string;
  day: string | null;
  user_name: string;
  tool_name: string | null;
  plugin: boolean;
}

/** SQL select list producing TouchedEventRow columns from an events row alias. */
export const TOUCH_COLUMNS = `session_id, (ts at time zone 'UTC')::date::text as day, user_name, tool_name,
  (skill_name is not null or event_type in ('subagent', 'slash_command')) as plugin`;

export function touchesOf(rows: readonly TouchedEventRow[]): EventTouches {
  return {
    sessions: [...new Set(rows.map((r) => r.session_id))],
    toolDays: uniqueBy(
      rows.filter((r) => r.day !== null && r.tool_name !== null).map((r) => ({ day: r.day as string, userName: r.user_name, toolName: r.tool_name as string })),
      toolDayId,
    ),
    pluginDays: uniqueBy(
      rows.filter((r) => r.day !== null && r.plugin).map((r) => ({ day: r.day as string, userName: r.user_name })),
      pluginDayId,
    ),
  };
}

export function mergeTouches(...all: EventTouches[]): EventTouches {
  return {
    sessions: [...new Set(all.flatMap((t) => t.sessions))],
    toolDays: uniqueBy(all.flatMap((t) => t.toolDays), toolDayId),
    pluginDays: uniqueBy(all.flatMap((t) => t.pluginDays), pluginDayId),
  };
}
