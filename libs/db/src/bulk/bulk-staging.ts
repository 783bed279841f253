/**
 * The staging tables of a bulk build: every copy of every row as read from the stream, loaded
 * with COPY into unlogged, unindexed tables inside the schema being built. `finishBulkLoad` turns
 * them into the projection's tables and drops them. Unlogged because they are scratch: a crash
 * restarts the bulk build from the stream.
 */
export const BULK_STAGING = {
  bulk_entries: ['entry_key', 'user_name', 'session_id', 'ts', 'kind', 'project', 'is_prompt', 'stream_seq', 'entry'],
  bulk_messages: [
    'message_key',
    'entry_key',
    'user_name',
    'session_id',
    'project',
    'model',
    'ts',
    'is_sidechain',
    'input_tokens',
    'output_tokens',
    'cache_read_tokens',
    'cache_creation_tokens',
    'cache_creation_5m_tokens',
    'cache_creation_1h_tokens',
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
  /** Held in memory by the builder and written once, so the session phase can read them. */
  bulk_session_states: ['session_id', 'user_name', 'state'],
} as const;

export type BulkStagingTable = keyof typeof BULK_STAGING;

/** The columns of `rejected_entries` a bulk build copies (received_at takes its default). */
export const BULK_REJECTED_COLUMNS = ['stream_seq', 'reason', 'detail', 'user_name', 'file', 'byte_offset'] as const;

/** DDL of the staging tables in `schema` (the entry and state documents stay text until kept). */
export function bulkStagingDdl(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `create unlogged table ${s}.bulk_entries (entry_key text, user_name text, session_id text, ts timestamptz,
      kind text, project text, is_prompt boolean, stream_seq bigint, entry text)`,
    `create unlogged table ${s}.bulk_messages (message_key text, entry_key text, user_name text, session_id text,
      project text, model text, ts timestamptz, is_sidechain boolean, input_tokens bigint, output_tokens bigint,
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
