import type { SessionRecord } from './api-store';

/** A stored session summary row in API terms. */
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
