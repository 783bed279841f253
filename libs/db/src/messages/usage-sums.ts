/** Sums over kept `usage_messages` rows: the counters every usage read model reports. */
export interface UsageSums {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  totalTokens: number;
  costUsd: number;
  messages: number;
}
