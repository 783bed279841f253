import type { Int8, Timestamp } from './column-types';
import type { UsageColumns } from './usage-columns';

/** `usage_team_hourly` (projection schema): `usage_model_hourly` summed over users and projects, per UTC hour and model. */
export interface UsageTeamHourlyTable extends UsageColumns {
  hour: Timestamp;
  model: string;
  messages: Int8;
}
