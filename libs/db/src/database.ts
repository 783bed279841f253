import type { ApiTokensTable } from './tables/api-tokens.table';
import type { BudgetAlertsTable } from './tables/budget-alerts.table';
import type { BudgetsTable } from './tables/budgets.table';
import type { IngestorHeartbeatsTable } from './tables/ingestor-heartbeats.table';
import type { ProjectionCheckpointsTable } from './tables/projection-checkpoints.table';
import type { ProjectionStateTable } from './tables/projection-state.table';
import type { RejectedEntriesTable } from './tables/rejected-entries.table';
import type { UsageAttributionTable } from './tables/usage-attribution.table';
import type { UsageEntriesTable } from './tables/usage-entries.table';
import type { UsageEventsTable } from './tables/usage-events.table';
import type { UsageMessagesTable } from './tables/usage-messages.table';
import type { UsageModelHourlyTable } from './tables/usage-model-hourly.table';
import type { UsagePluginDailyTable } from './tables/usage-plugin-daily.table';
import type { UsageSessionHourlyTable } from './tables/usage-session-hourly.table';
import type { UsageSessionSummaryTable } from './tables/usage-session-summary.table';
import type { UsageTeamHourlyTable } from './tables/usage-team-hourly.table';
import type { UsageToolDailyTable } from './tables/usage-tool-daily.table';
import type { UsageToolResultsTable } from './tables/usage-tool-results.table';
import type { UsersTable } from './tables/users.table';

/**
 * Every table ccpulse keeps. Control tables live in the main schema (`public`); the `usage_*`
 * projection tables and `rejected_entries` live in a `usage_v<N>` schema — reach them with
 * `db.withSchema(schema)` (the repositories take the schema as an argument and do that).
 */
export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  ingestor_heartbeats: IngestorHeartbeatsTable;
  usage_attribution_skills: UsageAttributionTable;
  usage_attribution_agents: UsageAttributionTable;
  usage_attribution_commands: UsageAttributionTable;
  projection_state: ProjectionStateTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  budgets: BudgetsTable;
  budget_alerts: BudgetAlertsTable;
  usage_entries: UsageEntriesTable;
  usage_messages: UsageMessagesTable;
  usage_events: UsageEventsTable;
  usage_tool_results: UsageToolResultsTable;
  usage_session_summary: UsageSessionSummaryTable;
  usage_tool_daily: UsageToolDailyTable;
  usage_plugin_daily: UsagePluginDailyTable;
  usage_model_hourly: UsageModelHourlyTable;
  usage_team_hourly: UsageTeamHourlyTable;
  usage_session_hourly: UsageSessionHourlyTable;
  rejected_entries: RejectedEntriesTable;
}
