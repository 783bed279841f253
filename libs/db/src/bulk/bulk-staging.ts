import { TOKEN_COUNTER_COLUMNS } from '../tables/usage-columns';

/**
 * What a bulk build COPYs, by table. Entries, one per message and nearly all of them kept, go
 * straight into `usage_entries` (its primary key is added once the losing copies are deleted);
 * the other rows go into staging tables: unlogged, unindexed scratch in the schema being built,
 * which `finishBulkLoad` turns into the projection's tables and drops. A crash restarts the bulk
 * build from the stream.
 */
export const BULK_COPY = {
  usage_entries: ['entry_key', 'user_name', 'session_id', 'ts', 'kind', 'project', 'is_prompt', 'stream_seq', 'content_key', 'entry'],
  bulk_messages: [
    'message_key',
    'entry_key',
    'user_name',
    'session_id',
    'project',
    'model',
    'ts',
    'is_sidechain',
    'message_id',
    ...TOKEN_COUNTER_COLUMNS,
    'cost_usd',
    'unpriced',
    'stream_seq',
  ],
  bulk_events: [
    'event_key',
    'entry_key',
    'tool_use_id',
    'user_name',
    'session_id',
    'project',
    'ts',
    'event_type',
    'tool_name',
    'skill_name',
    'subagent_type',
    'mcp_server',
    'command_name',
    'stream_seq',
  ],
  bulk_tool_results: ['tool_use_id', 'is_error', 'ts', 'patch_lines', 'stream_seq'],
  /** Session states folded while reading, written as they leave memory. */
  bulk_session_states: ['session_id', 'user_name', 'state'],
  /** received_at takes its default. */
  rejected_entries: ['stream_seq', 'reason', 'detail', 'user_name', 'file', 'byte_offset'],
} as const;

export type BulkCopyTable = keyof typeof BULK_COPY;

/** The staging tables, dropped when the build finishes. */
export const BULK_STAGING_TABLES = ['bulk_messages', 'bulk_events', 'bulk_tool_results', 'bulk_session_states'] as const;

/**
 * DDL that prepares a schema created by `projectionTableDdl` for a bulk load: the staging tables
 * (the state documents stay text until kept), and `usage_entries` without its primary key, which
 * the copies of an entry would violate until the losers are deleted.
 */
export function bulkStagingDdl(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `alter table ${s}.usage_entries drop constraint usage_entries_pkey`,
    `create unlogged table ${s}.bulk_messages (message_key text, entry_key text, user_name text, session_id text,
      project text, model text, ts timestamptz, is_sidechain boolean, message_id text, input_tokens bigint, output_tokens bigint,
      cache_read_tokens bigint, cache_creation_tokens bigint, cache_creation_5m_tokens bigint,
      cache_creation_1h_tokens bigint, cost_usd numeric(38, 9), unpriced boolean, stream_seq bigint)`,
    `create unlogged table ${s}.bulk_events (event_key text, entry_key text, tool_use_id text, user_name text,
      session_id text, project text, ts timestamptz, event_type text, tool_name text, skill_name text,
      subagent_type text, mcp_server text, command_name text, stream_seq bigint)`,
    `create unlogged table ${s}.bulk_tool_results (tool_use_id text, is_error boolean, ts timestamptz,
      patch_lines bigint, stream_seq bigint)`,
    `create unlogged table ${s}.bulk_session_states (session_id text, user_name text, state text)`,
  ];
}

/** `COPY "schema"."table" (columns) FROM STDIN` (text format). */
export function copyFromStdin(schema: string, table: string, columns: readonly string[]): string {
  const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
  return `copy ${q(schema)}.${q(table)} (${columns.map(q).join(', ')}) from stdin`;
}
