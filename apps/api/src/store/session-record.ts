import { SESSION_COUNTS, TOKEN_FIELDS } from '@ccpulse/domain';
import { fromColumns } from '@ccpulse/db';
import type { SessionRecord } from './api-store';

/** A stored session summary row in API terms; the counts and token counters by their lists. */
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
    ...fromColumns(SESSION_COUNTS, r),
    distinctTools: r.distinct_tools,
    distinctSkills: r.distinct_skills,
    primaryModel: r.primary_model,
    processorVersion: r.processor_version ?? null,
    ...fromColumns(TOKEN_FIELDS, r),
    totalTokens: r.total_tokens,
    costUsd: Number(r.cost_usd),
    state: r.state,
  };
}
