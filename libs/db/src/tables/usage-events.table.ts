import type { NullableInt8, NullableTimestamp, Int8 } from './column-types';

export type UsageEventType = 'tool_use' | 'subagent' | 'mcp_call' | 'slash_command';

/** `usage_events` (projection schema): tool uses, subagents, MCP calls and slash commands. */
export interface UsageEventsTable {
  /** tool_use id, else `entry_key#n` */
  event_key: string;
  entry_key: string;
  /** the tool_use id results join on; null for slash commands */
  tool_use_id: string | null;
  user_name: string;
  session_id: string;
  project: string | null;
  ts: NullableTimestamp;
  event_type: UsageEventType;
  tool_name: string | null;
  skill_name: string | null;
  subagent_type: string | null;
  mcp_server: string | null;
  command_name: string | null;
  is_error: boolean;
  duration_ms: NullableInt8;
  stream_seq: Int8;
}
