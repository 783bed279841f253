import type { Int8, Timestamp } from './column-types';

/** `ingestor_heartbeats` (main schema): the last heartbeat of each (user, host). */
export interface IngestorHeartbeatsTable {
  user_name: string;
  host: string;
  version: string;
  files_tracked: number;
  lag_bytes: Int8;
  at: Timestamp;
}
