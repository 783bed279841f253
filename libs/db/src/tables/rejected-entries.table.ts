import type { CreatedAt, Int8, NullableInt8 } from './column-types';

/** `rejected_entries` (projection schema): stream messages that could not be applied, and why. */
export interface RejectedEntriesTable {
  stream_seq: Int8;
  reason: string;
  detail: string | null;
  user_name: string | null;
  file: string | null;
  byte_offset: NullableInt8;
  received_at: CreatedAt;
}
