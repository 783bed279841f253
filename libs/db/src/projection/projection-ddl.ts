import { TOKEN_COUNTER_COLUMNS } from '../tables/usage-columns';
import { SESSION_COUNT_COLUMNS } from '../tables/usage-session-summary.table';

/**
 * DDL of one projection schema (`usage_v<N>`). Plain idempotent SQL (IF NOT EXISTS everywhere)
 * rather than a migration: a projection schema is disposable and rebuilt from the stream, so it
 * is created fresh for each processor version instead of being altered in place.
 */
export function projectionDdl(schema: string): string[] {
  return [...projectionTableDdl(schema), ...projectionIndexDdl(schema)];
}

/** The token counters of every usage table (`UsageColumns`), in their column order. */
const USAGE_COUNTER_COLUMNS = [...TOKEN_COUNTER_COLUMNS, 'total_tokens'];

/** The token counters and cost, the same columns in every usage table; `extra` e.g. a default. */
function usageColumnsDdl(extra = ''): string {
  const suffix = extra ? ` ${extra}` : '';
  return [...USAGE_COUNTER_COLUMNS.map((c) => `${c} bigint not null${suffix}`), `cost_usd numeric(38, 9) not null${suffix}`].join(',\n      ');
}

/** The session's counts (`SESSION_COUNTS`), each an integer that starts at 0. */
function sessionCountColumnsDdl(): string {
  return SESSION_COUNT_COLUMNS.map((c) => `${c} integer not null default 0`).join(',\n      ');
}

/**
 * The schema and its tables with their primary keys, without the secondary indexes: a bulk
 * build loads the tables first and indexes them once at the end, which is cheaper than keeping
 * every index up to date row by row.
 */
export function projectionTableDdl(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `create schema if not exists ${s}`,
    `create table if not exists ${s}.usage_entries (
      entry_key text primary key,
      user_name text not null,
      session_id text not null,
      ts timestamptz,
      kind text not null,
      project text,
      is_prompt boolean not null default false,
      stream_seq bigint not null,
      content_key text not null default '',
      entry jsonb not null)`,
    `create table if not exists ${s}.usage_messages (
      message_key text primary key,
      entry_key text not null,
      user_name text not null,
      session_id text not null,
      project text,
      model text not null,
      ts timestamptz,
      is_sidechain boolean not null,
      message_id text,
      ${usageColumnsDdl()},
      unpriced boolean not null default false,
      stream_seq bigint not null)`,
    `create table if not exists ${s}.usage_events (
      event_key text primary key,
      entry_key text not null,
      tool_use_id text,
      user_name text not null,
      session_id text not null,
      project text,
      ts timestamptz,
      event_type text not null check (event_type in ('tool_use', 'subagent', 'mcp_call', 'slash_command')),
      tool_name text,
      skill_name text,
      subagent_type text,
      mcp_server text,
      command_name text,
      is_error boolean not null default false,
      duration_ms bigint,
      stream_seq bigint not null)`,
    `create table if not exists ${s}.usage_tool_results (
      tool_use_id text primary key,
      is_error boolean not null,
      ts timestamptz,
      patch_lines bigint)`,
    `create table if not exists ${s}.usage_session_summary (
      session_id text primary key,
      user_name text not null,
      project text,
      git_branch text,
      started_at timestamptz,
      ended_at timestamptz,
      active_seconds bigint not null default 0,
      wall_seconds bigint not null default 0,
      ${sessionCountColumnsDdl()},
      distinct_tools integer not null default 0,
      distinct_skills integer not null default 0,
      primary_model text,
      ${usageColumnsDdl('default 0')},
      processor_version integer not null,
      state jsonb not null,
      last_seq bigint not null,
      updated_at timestamptz not null default now())`,
    `create table if not exists ${s}.usage_tool_daily (
      day date not null,
      user_name text not null,
      tool_name text not null,
      calls bigint not null,
      errors bigint not null,
      duration_ms_sum bigint not null,
      duration_count bigint not null,
      primary key (day, user_name, tool_name))`,
    `create table if not exists ${s}.usage_plugin_daily (
      day date not null,
      user_name text not null,
      kind text not null check (kind in ('skill', 'agent', 'command')),
      name text not null,
      source text not null check (source in ('curated', 'flea', 'builtin')),
      ref_id text,
      invocations bigint not null,
      primary key (day, user_name, kind, name))`,
    `create table if not exists ${s}.usage_model_hourly (
      hour timestamptz not null,
      user_name text not null,
      project text not null,
      model text not null,
      ${usageColumnsDdl()},
      messages bigint not null,
      primary key (hour, user_name, project, model))`,
    // The team's hours by model (usage_model_hourly summed over users and projects): what an
    // unscoped daily/weekly/monthly by-model query reads, ~users × projects times fewer rows.
    // Filled from usage_model_hourly when created, so a schema built before this table existed
    // answers the same without a replay.
    `do $$ begin
      if to_regclass('${s}.usage_team_hourly') is null then
        create table ${s}.usage_team_hourly (
          hour timestamptz not null,
          model text not null,
          ${usageColumnsDdl()},
          messages bigint not null,
          primary key (hour, model));
        insert into ${s}.usage_team_hourly
        select hour, model, ${[...USAGE_COUNTER_COLUMNS, 'cost_usd', 'messages'].map((c) => `sum(${c})`).join(', ')}
        from ${s}.usage_model_hourly group by hour, model;
      end if;
    end $$`,
    `create table if not exists ${s}.usage_session_hourly (
      session_id text not null,
      hour timestamptz not null,
      model text not null,
      user_name text not null,
      project text not null,
      sessions integer not null,
      prompts integer not null,
      active_ms bigint not null,
      lines_added bigint not null,
      lines_removed bigint not null,
      commits integer not null,
      pull_requests integer not null,
      edits_accepted integer not null,
      edits_rejected integer not null,
      tool_decisions jsonb not null,
      primary key (session_id, hour, model))`,
    `create table if not exists ${s}.rejected_entries (
      stream_seq bigint primary key,
      reason text not null,
      detail text,
      user_name text,
      file text,
      byte_offset bigint,
      received_at timestamptz not null default now())`,
  ];
}

/** The secondary indexes of the projection tables (the query paths of the API and the fold). */
export function projectionIndexDdl(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `create index if not exists usage_entries_session_idx on ${s}.usage_entries (session_id)`,
    `create index if not exists usage_entries_user_ts_idx on ${s}.usage_entries (user_name, ts)`,
    `create index if not exists usage_messages_session_idx on ${s}.usage_messages (session_id)`,
    `create index if not exists usage_messages_user_ts_idx on ${s}.usage_messages (user_name, ts)`,
    `create index if not exists usage_messages_ts_idx on ${s}.usage_messages (ts)`,
    `create index if not exists usage_messages_message_id_idx on ${s}.usage_messages (message_id) where message_id is not null`,
    `create index if not exists usage_events_tool_use_idx on ${s}.usage_events (tool_use_id) where tool_use_id is not null`,
    `create index if not exists usage_events_session_idx on ${s}.usage_events (session_id)`,
    `create index if not exists usage_events_user_ts_idx on ${s}.usage_events (user_name, ts)`,
    // Keyset pagination of the sessions page: newest first, session_id breaks ties.
    `create index if not exists usage_session_summary_page_idx on ${s}.usage_session_summary (started_at desc, session_id desc)`,
    `create index if not exists usage_session_summary_user_idx on ${s}.usage_session_summary (user_name, started_at desc, session_id desc)`,
    // The same by last activity (the default order: a resumed session comes back to the top).
    `create index if not exists usage_session_summary_active_idx on ${s}.usage_session_summary (ended_at desc, session_id desc)`,
    `create index if not exists usage_session_summary_user_active_idx on ${s}.usage_session_summary (user_name, ended_at desc, session_id desc)`,
    `create index if not exists usage_model_hourly_user_idx on ${s}.usage_model_hourly (user_name, hour)`,
    `create index if not exists usage_session_hourly_hour_idx on ${s}.usage_session_hourly (hour, user_name)`,
  ];
}
