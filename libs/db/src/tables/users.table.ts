import type { ColumnType } from 'kysely';
import type { CreatedAt, NullableTimestamp } from './column-types';

/** `users` (main schema): one row per person whose ingestor reports or who may call the API. */
export interface UsersTable {
  name: string;
  role: ColumnType<UserRole, UserRole | undefined, UserRole>;
  onboarded: ColumnType<boolean, boolean | undefined, boolean>;
  last_sync_at: NullableTimestamp;
  created_at: CreatedAt;
}

export type UserRole = 'member' | 'admin';
