import type { Int8, Timestamp } from './column-types';

/**
 * `usage_session_hourly` (projection schema): the team read model's activity and outcomes, per
 * session, UTC hour and model (`sessionHours` of the session's state); replaced with the session's
 * summary. Tokens and cost of the same user × hour × project × model are in `usage_model_hourly`.
 */
export interface UsageSessionHourlyTable {
  session_id: string;
  hour: Timestamp;
  /** '' when none */
  model: string;
  user_name: string;
  /** the session's project; '' when none */
  project: string;
  sessions: number;
  prompts: number;
  active_ms: Int8;
  lines_added: Int8;
  lines_removed: Int8;
  commits: number;
  pull_requests: number;
  edits_accepted: number;
  edits_rejected: number;
  /** `{ [tool]: { accepted, rejected } }` */
  tool_decisions: unknown;
}
