import type { Entry } from '@ccpulse/domain';
import type { ColumnType } from 'kysely';
import type { Int8, NullableTimestamp } from './column-types';

/**
 * `usage_entries` (projection schema): one row per entry id after the global uuid dedupe. The
 * slim entry is kept as jsonb so a session can be recomputed when a uuid winner moves away.
 */
export interface UsageEntriesTable {
  /** the uuid, else `user:file:offset` */
  entry_key: string;
  user_name: string;
  session_id: string;
  ts: NullableTimestamp;
  kind: string;
  /** the entry's cwd (home stats count distinct projects) */
  project: string | null;
  /** a human prompt (home stats count prompts) */
  is_prompt: boolean;
  stream_seq: Int8;
  /** entryContentKey of the entry: the last tie-break between copies (ENTRY_COPY_ORDER) */
  content_key: ColumnType<string, string | undefined, string>;
  entry: ColumnType<Entry, string, string>;
}
