/**
 * Every operation the dashboard sends, named so the API's metrics can tell them apart. Field
 * names follow apps/api/src/graphql/schema.sdl.ts, the contract.
 */
import { selectionOf, SESSION_COUNTS, USAGE_SUM_FIELDS, type SessionCount } from '@ccpulse/domain';
import type { BigIntValue } from '../core/format';
import type { GraphQLValues } from '../core/graphql-values';
import type { UsageRow } from '../core/usage.shape';

export type Window = 'H24' | 'D7';
export type Role = 'MEMBER' | 'ADMIN';

export interface Me {
  name: string;
  role: Role;
  onboarded: boolean;
  lastSyncAt: string | null;
}

export interface HomeStats {
  window: Window;
  lastSyncAt: string | null;
  sessions: number;
  prompts: number;
  tokens: BigIntValue;
  projects: number;
}

const HOME_FIELDS = 'window lastSyncAt sessions prompts tokens projects';

export const BOOT_QUERY = `query Boot($window: HomeWindow!) { me { name role onboarded lastSyncAt } homeStats(window: $window) { ${HOME_FIELDS} } }`;
export interface BootData {
  me: Me;
  homeStats: HomeStats | null;
}

export const MARK_ONBOARDED = `mutation MarkOnboarded { markOnboarded { name role onboarded lastSyncAt } }`;

export const HOME_STATS_QUERY = `query HomeStats($window: HomeWindow!) { homeStats(window: $window) { ${HOME_FIELDS} } }`;
export const HOME_STATS_SUBSCRIPTION = `subscription HomeStatsLive($window: HomeWindow!) { homeStatsUpdated(window: $window) { ${HOME_FIELDS} } }`;

export const USAGE_TICK_SUBSCRIPTION = `subscription UsageLive { usageUpdated { users sessions days seq committedAt notices } }`;
export interface UsageTick {
  users: string[];
  sessions: string[];
  days: string[];
  seq: BigIntValue;
  committedAt: string;
  notices: number;
}

const USAGE_FIELDS = `day week month model user project ${selectionOf(USAGE_SUM_FIELDS)}`;

export const USAGE_QUERY = `query Usage($from: String!, $to: String!, $timezone: String!, $groupBy: [UsageDimension!]!, $budgetUsd: Float!, $period: BudgetPeriod!) {
  usage(from: $from, to: $to, timezone: $timezone, groupBy: $groupBy) { ${USAGE_FIELDS} }
  burnRate { blockStart tokensPerMinute costUsdPerHour costUsd projectedBlockCostUsd }
  budgetProjection(budgetUsd: $budgetUsd, period: $period, timezone: $timezone) { period periodStart periodEnd budgetUsd spentUsd projectedUsd remainingUsd onTrack exhaustsAt }
}`;
export interface BurnRate {
  blockStart: string;
  tokensPerMinute: number;
  costUsdPerHour: number;
  costUsd: number;
  projectedBlockCostUsd: number;
}
export interface ApiBudgetProjection {
  period: 'DAY' | 'WEEK' | 'MONTH';
  periodStart: string;
  periodEnd: string;
  budgetUsd: number;
  spentUsd: number;
  projectedUsd: number;
  remainingUsd: number;
  onTrack: boolean;
  exhaustsAt: string | null;
}
export interface UsageData {
  usage: UsageRow[];
  burnRate: BurnRate | null;
  budgetProjection: ApiBudgetProjection;
}

type SessionCounts = GraphQLValues<typeof SESSION_COUNTS>;
type UsageSums = GraphQLValues<typeof USAGE_SUM_FIELDS>;

/** The counts the sessions list shows; the session page selects every other one. */
const LISTED_COUNTS = ['prompts', 'toolCalls', 'toolErrors'] as const satisfies readonly SessionCount[];
const OTHER_COUNTS = (Object.keys(SESSION_COUNTS) as SessionCount[]).filter((c) => !(LISTED_COUNTS as readonly string[]).includes(c));

const SESSION_SUMMARY = `id user project gitBranch startedAt endedAt activeSeconds wallSeconds ${LISTED_COUNTS.join(' ')} primaryModel totalTokens costUsd unpricedTokens`;

export interface SessionSummary extends Pick<SessionCounts, (typeof LISTED_COUNTS)[number]>, Pick<UsageSums, 'totalTokens' | 'costUsd' | 'unpricedTokens'> {
  id: string;
  user: string;
  project: string | null;
  gitBranch: string | null;
  startedAt: string | null;
  endedAt: string | null;
  activeSeconds: number;
  wallSeconds: number;
  primaryModel: string | null;
}

export const SESSIONS_QUERY = `query Sessions($first: Int!, $after: String, $filter: SessionFilter) {
  sessions(first: $first, after: $after, filter: $filter) { edges { cursor node { ${SESSION_SUMMARY} } } pageInfo { hasNextPage endCursor } }
}`;
export interface SessionsData {
  sessions: { edges: { cursor: string; node: SessionSummary }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const SESSION_DETAIL = `${SESSION_SUMMARY} worktree ${OTHER_COUNTS.join(' ')} distinctTools distinctSkills
  inputTokens outputTokens cacheReadTokens cacheCreationTokens
  timeline { at tokens costUsd cumulativeTokens cumulativeCostUsd }
  timelineBucketSeconds
  models { model messages inputTokens outputTokens cacheReadTokens cacheCreationTokens totalTokens costUsd }
  tools { name calls errors failureRate avgDurationMs }
  efficiency { successfulEdits linesAdded linesRemoved changes tokensPerChange cacheHitRatio outputTokensPerPrompt costPerPromptUsd tokensPerActiveMinute toolErrorRate activeRatio }
  progress { done total donePerHour etaAt }
  costProjection(budgetUsd: $budgetUsd) { budgetUsd spentUsd remainingUsd burnRateUsdPerHour windowMinutes hoursToBudget exhaustsAt overBudget }
  summaryText`;

export const SESSION_QUERY = `query Session($id: ID!, $budgetUsd: Float!) { session(id: $id) { ${SESSION_DETAIL} } }`;
export const SESSION_SUBSCRIPTION = `subscription SessionLive($id: ID!, $budgetUsd: Float!) { sessionUpdated(id: $id) { ${SESSION_DETAIL} } }`;

export interface TimelinePoint {
  at: string;
  tokens: BigIntValue;
  costUsd: number;
  cumulativeTokens: BigIntValue;
  cumulativeCostUsd: number;
}
export interface SessionModel {
  model: string;
  messages: number;
  inputTokens: BigIntValue;
  outputTokens: BigIntValue;
  cacheReadTokens: BigIntValue;
  cacheCreationTokens: BigIntValue;
  totalTokens: BigIntValue;
  costUsd: number;
}
export interface SessionTool {
  name: string;
  calls: number;
  errors: number;
  failureRate: number;
  avgDurationMs: number | null;
}
export interface Efficiency {
  successfulEdits: number;
  linesAdded: number;
  linesRemoved: number;
  /** Changed lines: linesAdded + linesRemoved. */
  changes: number;
  tokensPerChange: number | null;
  cacheHitRatio: number | null;
  outputTokensPerPrompt: number | null;
  costPerPromptUsd: number | null;
  tokensPerActiveMinute: number | null;
  toolErrorRate: number | null;
  activeRatio: number | null;
}
export interface Progress {
  done: number;
  total: number;
  donePerHour: number | null;
  etaAt: string | null;
}
export interface CostProjection {
  budgetUsd: number;
  spentUsd: number;
  remainingUsd: number;
  burnRateUsdPerHour: number;
  windowMinutes: number;
  hoursToBudget: number | null;
  exhaustsAt: string | null;
  overBudget: boolean;
}
export interface SessionDetail extends SessionSummary, SessionCounts, Pick<UsageSums, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheCreationTokens'> {
  worktree: string | null;
  distinctTools: number;
  distinctSkills: number;
  timeline: TimelinePoint[];
  timelineBucketSeconds: number;
  models: SessionModel[];
  tools: SessionTool[];
  efficiency: Efficiency;
  progress: Progress | null;
  costProjection: CostProjection;
  summaryText: string;
}

export const TOOLS_QUERY = `query Tools($from: String!, $to: String!) {
  toolDaily(from: $from, to: $to) { day user tool calls errors avgDurationMs }
  pluginDaily(from: $from, to: $to) { day user kind name source refId invocations }
}`;
export interface ToolDay {
  day: string;
  user: string;
  tool: string;
  calls: number;
  errors: number;
  avgDurationMs: number | null;
}
export interface PluginDay {
  day: string;
  user: string;
  kind: string;
  name: string;
  source: string;
  refId: string | null;
  invocations: number;
}
export interface ToolsData {
  toolDaily: ToolDay[];
  pluginDaily: PluginDay[];
}
