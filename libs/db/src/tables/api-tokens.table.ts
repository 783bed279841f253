import type { CreatedAt, Generated, NullableTimestamp } from './column-types';

/** `api_tokens` (main schema): only the sha256 of a token is stored, never the token. */
export interface ApiTokensTable {
  id: Generated<number>;
  user_name: string;
  /** hex sha256 of the plaintext token */
  token_hash: string;
  created_at: CreatedAt;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}
