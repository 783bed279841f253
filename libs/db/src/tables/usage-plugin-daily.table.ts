import type { Int8 } from './column-types';
import type { DateText } from './usage-tool-daily.table';

export type PluginKind = 'skill' | 'agent' | 'command';
export type PluginSource = 'curated' | 'flea' | 'builtin';

/** `usage_plugin_daily` (projection schema): skill/agent/command invocations per UTC day, attributed. */
export interface UsagePluginDailyTable {
  day: DateText;
  user_name: string;
  kind: PluginKind;
  name: string;
  source: PluginSource;
  ref_id: string | null;
  invocations: Int8;
}
