import type { CreatedAt, Int8 } from './column-types';

/** `projection_checkpoints` (main schema): last stream sequence a consumer applied, per schema. */
export interface ProjectionCheckpointsTable {
  consumer: string;
  schema_name: string;
  last_seq: Int8;
  updated_at: CreatedAt;
}
