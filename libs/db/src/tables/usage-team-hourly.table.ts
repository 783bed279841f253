import type { Int8, Money, Timestamp } from './column-types';

/** `usage_team_hourly` (projection schema): `usage_model_hourly` summed over users and projects, per UTC hour and model. */
export interface UsageTeamHourlyTable {
  hour: Timestamp;
  model: string;
  input_tokens: Int8;
  output_tokens: Int8;
  cache_read_tokens: Int8;
  cache_creation_tokens: Int8;
  cache_creation_5m_tokens: Int8;
  cache_creation_1h_tokens: Int8;
  total_tokens: Int8;
  cost_usd: Money;
  messages: Int8;
}
