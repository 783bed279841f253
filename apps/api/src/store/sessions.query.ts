import { type Kysely, sql } from 'kysely';
import type { Database } from '@ccpulse/db';
import type { MessageRecord, SessionRecord } from './api-store';

export function toSessionRecord(r: Record<string, any>): SessionRecord {
  return {
    id: r.session_id,
    user: r.user_name,
    project: r.project,
    gitBranch: r.git_branch,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    activeSeconds: Number(r.active_seconds),
    wallSeconds: Number(r.wall_seconds),
    userMessages: r.user_messages,
    assistantMessages: r.assistant_messages,
    prompts: r.prompts,
    toolCalls: r.tool_calls,
    toolErrors: r.tool_errors,
    skillInvocations: r.skill_invocations,
    subagentDispatches: r.subagent_dispatches,
    mcpCalls: r.mcp_calls,
    slashCommands: r.slash_commands,
    distinctTools: r.distinct_tools,
    distinctSkills: r.distinct_skills,
    primaryModel: r.primary_model,
    processorVersion: r.processor_version ?? null,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cacheReadTokens: r.cache_read_tokens,
    cacheCreationTokens: r.cache_creation_tokens,
    cacheCreation5mTokens: r.cache_creation_5m_tokens,
    cacheCreation1hTokens: r.cache_creation_1h_tokens,
    totalTokens: r.total_tokens,
    costUsd: Number(r.cost_usd),
    state: r.state,
  };
}

export const MESSAGE_COLUMNS = sql`message_key as key, ts as at, is_sidechain as "isSidechain", project, user_name as "user", session_id as "sessionId", model,
  input_tokens as "inputTokens", output_tokens as "outputTokens", cache_read_tokens as "cacheReadTokens",
  cache_creation_tokens as "cacheCreationTokens", cache_creation_5m_tokens as "cacheCreation5mTokens",
  cache_creation_1h_tokens as "cacheCreation1hTokens", total_tokens as "totalTokens", cost_usd::float8 as "costUsd"`;

export async function querySessionMessages(db: Kysely<Database>, schema: string, id: string, limit: number): Promise<MessageRecord[]> {
  const r = await sql<MessageRecord>`
    select ${MESSAGE_COLUMNS} from ${sql.table(`${schema}.usage_messages`)}
    where session_id = ${id} and ts is not null
    order by ts, message_key limit ${limit}`.execute(db);
  return r.rows;
}
