/**
 * What the resolvers read and write, as plain data. The Postgres implementation lives in
 * `pg-api-store.ts`; resolvers never see SQL, so their access rules are testable on their own.
 */

import type { ActivityPeriod, ActivityRecord, OutcomeRowRecord, TeamRowRecord, TeamScope } from './team.query';

/** A caller as stored. */
export interface UserRecord {
  name: string;
  role: 'member' | 'admin';
  onboarded: boolean;
  lastSyncAt: Date | null;
}

/** Token counters and cost, the shape shared by every usage aggregate. */
export interface TokenTotals {
  inputTokens: number | bigint;
  outputTokens: number | bigint;
  cacheReadTokens: number | bigint;
  cacheCreationTokens: number | bigint;
  cacheCreation5mTokens: number | bigint;
  cacheCreation1hTokens: number | bigint;
  totalTokens: number | bigint;
  costUsd: number;
}

export type UsageDimension = 'DAY' | 'WEEK' | 'MONTH' | 'MODEL' | 'USER' | 'PROJECT';

export interface UsageQuery {
  /** Inclusive first day, `YYYY-MM-DD` in `timeZone`. */
  from: string;
  /** Inclusive last day, `YYYY-MM-DD` in `timeZone`. */
  to: string;
  timeZone: string;
  groupBy: UsageDimension[];
  /** undefined = every user (admin without a filter). */
  users?: string[];
  projects?: string[];
  /** Refuse (rather than stream) results larger than this. */
  maxRows: number;
  /** The sums to compute (those the request selects); every one when absent. */
  totals?: readonly UsageTotal[];
}

/** The summed fields of a usage row. */
export const USAGE_TOTALS = [
  'messages',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheCreationTokens',
  'cacheCreation5mTokens',
  'cacheCreation1hTokens',
  'totalTokens',
  'costUsd',
  'unpricedTokens',
] as const;
export type UsageTotal = (typeof USAGE_TOTALS)[number];

/** A usage group: its keys, and the sums the query asked for (`UsageQuery.totals`). */
export interface UsageRowRecord extends Partial<TokenTotals> {
  /** Counted API responses. */
  messages?: number;
  /** Tokens of models without a price. */
  unpricedTokens?: number | bigint;
  day: string | null;
  week: string | null;
  month: string | null;
  model: string | null;
  user: string | null;
  project: string | null;
}

export interface HomeStatsRecord {
  /** The user's last heartbeat or entry, whichever is later. */
  lastSyncAt: Date | null;
  sessions: number;
  prompts: number;
  tokens: number | bigint;
  projects: number;
}

/** A `usage_session_summary` row in API terms. */
export interface SessionRecord extends TokenTotals {
  id: string;
  user: string;
  project: string | null;
  gitBranch: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  activeSeconds: number;
  wallSeconds: number;
  userMessages: number;
  assistantMessages: number;
  prompts: number;
  toolCalls: number;
  toolErrors: number;
  skillInvocations: number;
  subagentDispatches: number;
  mcpCalls: number;
  slashCommands: number;
  distinctTools: number;
  distinctSkills: number;
  primaryModel: string | null;
  processorVersion: number | null;
  /** The domain's session state (jsonb), for insights the summary row does not hold. */
  state: unknown;
}

export interface SessionsQuery {
  first: number;
  after?: string;
  /** At most one user (undefined = everyone). */
  users?: string[];
  project?: string;
  model?: string;
  from?: Date;
  to?: Date;
  /** Latest activity first (default) or newest start first. */
  order?: 'lastActive' | 'started';
}

export interface SessionsPage {
  rows: SessionRecord[];
  cursors: string[];
  hasNextPage: boolean;
}

/** One kept API response: what blocks, timelines and burn rates are computed from. */
export interface MessageRecord extends TokenTotals {
  /** `message.id:requestId`, else the entry key. */
  key: string;
  at: Date;
  isSidechain: boolean;
  project: string | null;
  user: string;
  sessionId: string;
  model: string;
}

export interface ToolDayRecord {
  day: string;
  user: string;
  tool: string;
  calls: number;
  errors: number;
  avgDurationMs: number | null;
  /** Uses the person let run / rejected (docs/outcome-metrics.md). */
  accepted?: number;
  rejected?: number;
}

export interface PluginDayRecord {
  day: string;
  user: string;
  kind: string;
  name: string;
  source: string;
  refId: string | null;
  invocations: number;
}

export interface DayRange {
  from: string;
  to: string;
  users?: string[];
}

/** Readiness of the database, for `/readyz`. */
export type StoreReadiness = { ok: true } | { ok: false; reason: string };

export interface ApiStore {
  findUserByToken(token: string): Promise<UserRecord | undefined>;
  getUser(name: string): Promise<UserRecord | undefined>;
  /** Creates the user when missing (local single-user mode), then marks them onboarded. */
  markOnboarded(name: string, roleIfNew: UserRecord['role']): Promise<UserRecord>;
  homeStats(user: string, since: Date, until: Date): Promise<HomeStatsRecord>;
  usage(q: UsageQuery): Promise<UsageRowRecord[]>;
  sessions(q: SessionsQuery): Promise<SessionsPage>;
  session(id: string): Promise<SessionRecord | undefined>;
  sessionMessages(id: string, limit: number): Promise<MessageRecord[]>;
  /** Per session id: tokens of its kept responses whose model has no price (absent ids have none). */
  unpricedTokens(sessionIds: readonly string[]): Promise<Map<string, number | bigint>>;
  messages(q: { users?: string[]; from: Date; to: Date; limit: number }): Promise<MessageRecord[]>;
  costBetween(q: { users?: string[]; from: Date; to: Date }): Promise<number>;
  toolDaily(q: DayRange): Promise<ToolDayRecord[]>;
  pluginDaily(q: DayRange): Promise<PluginDayRecord[]>;
  /** One row per visible user (docs/outcome-metrics.md). */
  team(q: TeamScope): Promise<TeamRowRecord[]>;
  activity(q: TeamScope & { period: ActivityPeriod }): Promise<ActivityRecord[]>;
  /** Outcome sums grouped like `usage`. */
  usageOutcomes(q: TeamScope & { groupBy: UsageDimension[] }): Promise<OutcomeRowRecord[]>;
  readiness(): Promise<StoreReadiness>;
  close(): Promise<void>;
}
