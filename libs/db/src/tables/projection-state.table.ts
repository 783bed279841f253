import type { CreatedAt } from './column-types';

/** `projection_state` (main schema): which `usage_v<N>` schema the API reads, and which is building. */
export interface ProjectionStateTable {
  /** always `usage` today */
  name: string;
  live_version: number | null;
  live_schema: string | null;
  building_version: number | null;
  building_schema: string | null;
  updated_at: CreatedAt;
}
