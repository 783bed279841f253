/** A `usage_tool_daily` key. `day` is the UTC date `YYYY-MM-DD`. */
export interface ToolDayKey {
  day: string;
  userName: string;
  toolName: string;
}

/** A (UTC day, user) whose plugin rows must be recomputed. */
export interface PluginDayKey {
  day: string;
  userName: string;
}

/** What an events/results write touched. */
export interface EventTouches {
  sessions: string[];
  toolDays: ToolDayKey[];
  pluginDays: PluginDayKey[];
}

export function toolDayId(k: ToolDayKey): string {
  return `${k.day}\u0000${k.userName}\u0000${k.toolName}`;
}

export function pluginDayId(k: PluginDayKey): string {
  return `${k.day}\u0000${k.userName}`;
}
