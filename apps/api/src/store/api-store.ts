/**
 * What the resolvers read and write, as plain data. The Postgres implementation lives in
 * `pg-api-store.ts`; resolvers never see SQL, so their access rules are testable on their own.
 * The shapes of read-model answers are those of the libs/db queries that produce them.
 */

import type {
  ActivityPeriod,
  ActivityRecord,
  DayRange,
  MessageRecord,
  MessageWindow,
  OutcomeRowRecord,
  PluginDayRecord,
  TeamRowRecord,
  TeamScope,
  TokenTotals,
  ToolDayRecord,
  UsageDimension,
  UsageQuery,
  UsageRowRecord,
} from '@ccpulse/db';
import type { SessionCounts } from '@ccpulse/domain';

/** A caller as stored. */
export interface UserRecord {
  name: string;
  role: 'member' | 'admin';
  onboarded: boolean;
  lastSyncAt: Date | null;
}

export interface HomeStatsRecord {
  /** The user's last heartbeat or entry, whichever is later. */
  lastSyncAt: Date | null;
  sessions: number;
  prompts: number;
  tokens: number | bigint;
  projects: number;
}

/** A `usage_session_summary` row in API terms; its counts are the domain's `SESSION_COUNTS`. */
export interface SessionRecord extends TokenTotals, SessionCounts {
  id: string;
  user: string;
  project: string | null;
  gitBranch: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  activeSeconds: number;
  wallSeconds: number;
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
  messages(q: MessageWindow & { limit: number }): Promise<MessageRecord[]>;
  costBetween(q: MessageWindow): Promise<number>;
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
