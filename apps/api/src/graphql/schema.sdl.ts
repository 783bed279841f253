import { pickFields, SESSION_COUNTS, TOTALLED_TOKEN_FIELDS, USAGE_SUM_FIELDS } from '@ccpulse/domain';
import { sdlFields } from './sdl-fields';

/** The sums of a share of usage (a model in a session, a block): the counters of its total. */
const SHARE_SUMS = pickFields(USAGE_SUM_FIELDS, [...TOTALLED_TOKEN_FIELDS, 'totalTokens', 'costUsd']);

/**
 * The public GraphQL contract. Kept in TypeScript (not a .graphql file) so the compiled app
 * carries it without a copy step. Every field has a description: this is the documentation.
 */
export const typeDefs = /* GraphQL */ `
"""
A 64-bit-safe integer for token counters, which exceed 32 bits. Serialised as a JSON number
when its magnitude is at most 2^53 (exact in every JSON parser), otherwise as a decimal string.
Accepts a number (integer) or a decimal string as input.
"""
scalar BigInt

"""An arbitrary JSON value, used only for operational status documents."""
scalar JSON

"""What a caller may see: a member their own data, an admin the team."""
enum Role {
  MEMBER
  ADMIN
}

"""A person whose Claude Code sessions are counted."""
type User {
  """Unique name, the same token the ingestor publishes under."""
  name: String!
  """Member or admin."""
  role: Role!
  """Whether the user has finished onboarding (gates the home status frame)."""
  onboarded: Boolean!
  """When the last entry from this user was received (RFC 3339), null if never."""
  lastSyncAt: String
}

"""Window of the home status frame."""
enum HomeWindow {
  """The last 24 hours."""
  H24
  """The last 7 days."""
  D7
}

"""The caller's activity in a recent window, for the home status frame."""
type HomeStats {
  """The window these numbers cover."""
  window: HomeWindow!
  """When the last entry from the caller was received (RFC 3339), null if never."""
  lastSyncAt: String
  """Distinct sessions with activity in the window."""
  sessions: Int!
  """Prompts typed by the caller in the window."""
  prompts: Int!
  """Input + output + cache read + cache creation tokens in the window."""
  tokens: BigInt!
  """Distinct projects (working directories) with activity in the window."""
  projects: Int!
}

"""A grouping key of the usage query."""
enum UsageDimension {
  """Calendar day in the query's time zone."""
  DAY
  """ISO week (starting Monday) in the query's time zone."""
  WEEK
  """Calendar month in the query's time zone."""
  MONTH
  """Model name."""
  MODEL
  """User name."""
  USER
  """Project (working directory; a subagent worktree counts as its parent)."""
  PROJECT
}

"""Token and cost totals for one combination of the requested grouping keys."""
type UsageRow {
  """Day (YYYY-MM-DD) when grouped by DAY, else null."""
  day: String
  """First day of the week (YYYY-MM-DD, a Monday) when grouped by WEEK, else null."""
  week: String
  """Month (YYYY-MM) when grouped by MONTH, else null."""
  month: String
  """Model when grouped by MODEL, else null."""
  model: String
  """User when grouped by USER, else null."""
  user: String
  """Project when grouped by PROJECT, else null."""
  project: String
${sdlFields(USAGE_SUM_FIELDS)}
  """Counted API responses."""
  messages: Int!
}

"""The order of the sessions page."""
enum SessionOrder {
  """Latest activity first (endedAt descending): a resumed session comes back to the top."""
  LAST_ACTIVE
  """Newest start first (startedAt descending)."""
  STARTED
}

"""Which sessions to list."""
input SessionFilter {
  """Only this user's sessions (admins; a member may only name themself)."""
  user: String
  """Only sessions in this project (working directory)."""
  project: String
  """Only sessions whose primary model is this one."""
  model: String
  """Only sessions that started on or after this day (YYYY-MM-DD, UTC) or instant (RFC 3339)."""
  from: String
  """Only sessions that started before the end of this day (YYYY-MM-DD, UTC) or before this instant."""
  to: String
}

"""A page of sessions in the requested order."""
type SessionConnection {
  """The sessions of this page with their cursors."""
  edges: [SessionEdge!]!
  """The sessions of this page."""
  nodes: [Session!]!
  """Where this page ends."""
  pageInfo: PageInfo!
}

"""A session and the cursor that points just after it."""
type SessionEdge {
  """Pass as \`after\` to continue after this session."""
  cursor: String!
  """The session."""
  node: Session!
}

"""Cursor pagination state."""
type PageInfo {
  """Whether more sessions follow."""
  hasNextPage: Boolean!
  """Cursor of the last session of this page, null when the page is empty."""
  endCursor: String
}

"""One Claude Code session with every summary field of the counting rules."""
type Session {
  """The session id."""
  id: ID!
  """Who ran it."""
  user: String!
  """Project: the working directory (cwd), a subagent worktree folded into its parent."""
  project: String
  """Git branch recorded in the transcript."""
  gitBranch: String
  """Earliest timestamp of any of its lines (RFC 3339)."""
  startedAt: String
  """Latest timestamp of any of its lines (RFC 3339)."""
  endedAt: String
  """Sum of activity blocks split at gaps over 600 s, whole seconds."""
  activeSeconds: Int!
  """endedAt - startedAt, whole seconds."""
  wallSeconds: Int!
${sdlFields(SESSION_COUNTS)}
  """Distinct tool names over all tool events."""
  distinctTools: Int!
  """Distinct skill names."""
  distinctSkills: Int!
  """Most frequent model, <synthetic> excluded, ties by name."""
  primaryModel: String
${sdlFields(USAGE_SUM_FIELDS)}
  """Subagent worktree (agent-<id>) the session ran in; its project is the worktree's parent."""
  worktree: String
  """Processor version that produced these numbers."""
  processorVersion: Int
  """Tokens and cost over time, oldest first (at most ~500 buckets)."""
  timeline: [TimelinePoint!]!
  """Width of the timeline's buckets, seconds."""
  timelineBucketSeconds: Int!
  """Per-model totals in this session."""
  models: [SessionModel!]!
  """Per-tool totals in this session."""
  tools: [SessionTool!]!
  """How efficiently the session used tokens and time."""
  efficiency: Efficiency!
  """Todo-list progress recorded in the session, null when it kept none."""
  progress: Progress
  """Where the session's spend is heading relative to a budget (trailing-hour rate)."""
  costProjection(budgetUsd: Float!): CostProjection!
  """One-paragraph plain-text summary of the session's numbers."""
  summaryText: String!
}

"""Tokens and cost in one time bucket of a session (buckets widen so there are at most ~500)."""
type TimelinePoint {
  """Bucket start (RFC 3339)."""
  at: String!
  """Tokens in the bucket (all four counters)."""
  tokens: BigInt!
  """Cost in the bucket, USD."""
  costUsd: Float!
  """Tokens so far in the session, this bucket included."""
  cumulativeTokens: BigInt!
  """Cost so far in the session, this bucket included."""
  cumulativeCostUsd: Float!
}

"""One model's share of a session."""
type SessionModel {
  """Model name."""
  model: String!
  """Counted API responses."""
  messages: Int!
${sdlFields(SHARE_SUMS)}
}

"""One tool's use in a session."""
type SessionTool {
  """Tool name (Task, Agent and mcp__… included)."""
  name: String!
  """Calls."""
  calls: Int!
  """Calls whose result was an error."""
  errors: Int!
  """errors / calls."""
  failureRate: Float!
  """Mean use-to-result time of calls whose result arrived, milliseconds; null when none did."""
  avgDurationMs: Float
}

"""How efficiently a session turned tokens and time into changes."""
type Efficiency {
  """Successful Edit/Write/MultiEdit/NotebookEdit calls."""
  successfulEdits: Int!
  """Lines of those edits' structured patches only: a Write that created a file has none, so this is not the changed lines."""
  patchLines: Int! @deprecated(reason: "Counts structured-patch lines only; the changed lines are linesAdded + linesRemoved (changes).")
  """Lines added by the session's successful Edit/Write/MultiEdit/NotebookEdit uses: the outcome metric, as on TeamRow."""
  linesAdded: Int!
  """Lines removed by those uses: the outcome metric, as on TeamRow."""
  linesRemoved: Int!
  """Changed lines, linesAdded + linesRemoved: the denominator of tokensPerChange."""
  changes: Int!
  """Total tokens / changed lines (lower is better); null when no line changed."""
  tokensPerChange: Float
  """Cache read tokens / (input + cache read + cache creation); null without input."""
  cacheHitRatio: Float
  """Output tokens per prompt; null without prompts."""
  outputTokensPerPrompt: Float
  """Cost per prompt in USD; null without prompts."""
  costPerPromptUsd: Float
  """Total tokens per active minute; null without activity."""
  tokensPerActiveMinute: Float
  """Tool errors / tool events; null without tool events."""
  toolErrorRate: Float
  """activeSeconds / wallSeconds; null for an instant session."""
  activeRatio: Float
}

"""Progress of the session's latest todo list (TodoWrite)."""
type Progress {
  """Todos done."""
  done: Int!
  """Todos in the list."""
  total: Int!
  """Completion rate since todos first appeared; null before the first is done."""
  donePerHour: Float
  """When the remaining todos would be done at that rate (RFC 3339); null when unknown or all done."""
  etaAt: String
}

"""Spend so far against a budget, at the trailing-hour spend rate."""
type CostProjection {
  """The budget asked about, USD."""
  budgetUsd: Float!
  """Spent so far, USD."""
  spentUsd: Float!
  """Budget left, USD (0 when over)."""
  remainingUsd: Float!
  """Spend over the trailing window scaled to an hour, USD."""
  burnRateUsdPerHour: Float!
  """Length of the trailing window, minutes."""
  windowMinutes: Int!
  """Hours until the budget is used up at that rate; null when nothing is being spent."""
  hoursToBudget: Float
  """When the budget runs out at that rate (RFC 3339); null when nothing is being spent."""
  exhaustsAt: String
  """Whether spend already exceeds the budget."""
  overBudget: Boolean!
}

"""Daily use of one tool by one user."""
type ToolDay {
  """Day (YYYY-MM-DD, UTC)."""
  day: String!
  """User."""
  user: String!
  """Tool name."""
  tool: String!
  """Calls."""
  calls: Int!
  """Calls whose result was an error."""
  errors: Int!
  """Mean duration of calls with a known result, milliseconds."""
  avgDurationMs: Float
}

"""Daily invocations of one skill, agent or command by one user."""
type PluginDay {
  """Day (YYYY-MM-DD, UTC)."""
  day: String!
  """User."""
  user: String!
  """skill, agent or command."""
  kind: String!
  """Skill, subagent type or command name."""
  name: String!
  """curated, flea or builtin."""
  source: String!
  """Catalog reference of a curated or flea entry."""
  refId: String
  """Invocations."""
  invocations: Int!
}

"""A 5-hour billing block: starts at the first message floored to the hour."""
type Block {
  """Block start (RFC 3339)."""
  start: String!
  """Block end = start + 5 h (RFC 3339)."""
  end: String!
  """Last message in the block (RFC 3339)."""
  lastActivityAt: String!
  """Whether the block is still running now."""
  isActive: Boolean!
  """Counted API responses."""
  messages: Int!
${sdlFields(SHARE_SUMS)}
  """Models used in the block."""
  models: [String!]!
  """Tokens per minute between the block's first and last response."""
  tokensPerMinute: Float!
  """USD per hour between the block's first and last response."""
  costUsdPerHour: Float!
}

"""Spend rate of the active 5-hour block."""
type BurnRate {
  """Start of the active block (RFC 3339)."""
  blockStart: String!
  """Tokens per minute between the block's first and last response."""
  tokensPerMinute: Float!
  """USD per hour between the block's first and last response."""
  costUsdPerHour: Float!
  """Cost so far in the block, USD."""
  costUsd: Float!
  """Cost at block end if the rate holds, USD."""
  projectedBlockCostUsd: Float!
}

"""Calendar period of a budget."""
enum BudgetPeriod {
  """Today."""
  DAY
  """This ISO week (Monday start)."""
  WEEK
  """This month."""
  MONTH
}

"""Spend in the current period projected to its end at the period's average rate."""
type BudgetProjection {
  """The period."""
  period: BudgetPeriod!
  """Period start (RFC 3339)."""
  periodStart: String!
  """Period end (RFC 3339)."""
  periodEnd: String!
  """Budget for the period, USD."""
  budgetUsd: Float!
  """Spent so far, USD."""
  spentUsd: Float!
  """Projected spend at period end, USD."""
  projectedUsd: Float!
  """Budget left now, USD."""
  remainingUsd: Float!
  """Whether the projection stays within budget."""
  onTrack: Boolean!
  """When spend reaches the budget at the current rate (RFC 3339); null if not within the period."""
  exhaustsAt: String
}

"""A change to usage, pushed after the aggregator commits (bursts coalesced)."""
type UsageTick {
  """Users whose numbers changed."""
  users: [String!]!
  """Sessions that changed (capped at 100)."""
  sessions: [ID!]!
  """UTC days whose rollups changed."""
  days: [String!]!
  """Last stream sequence included."""
  seq: BigInt!
  """Commit time of the newest included notice (RFC 3339)."""
  committedAt: String!
  """How many commit notices this tick stands for (>1 when a burst was merged)."""
  notices: Int!
}

type Query {
  """The caller."""
  me: User!
  """
  The caller's home status frame; null when the operator switch is off or the caller is not
  onboarded (the database is not read then).
  """
  homeStats(window: HomeWindow = H24): HomeStats
  """
  Token and cost totals from \`from\` to \`to\` (inclusive days YYYY-MM-DD in \`timezone\`), grouped
  by the given dimensions. Members see their own usage; admins the team, optionally filtered.
  """
  usage(
    from: String!
    to: String!
    timezone: String = "UTC"
    groupBy: [UsageDimension!] = [DAY, MODEL]
    users: [String!]
    projects: [String!]
  ): [UsageRow!]!
  """Sessions, most recently active first unless orderBy says otherwise, with cursor pagination (page size capped)."""
  sessions(first: Int = 50, after: String, filter: SessionFilter, orderBy: SessionOrder = LAST_ACTIVE): SessionConnection!
  """One session, null when it does not exist or is not visible to the caller."""
  session(id: ID!): Session
  """Daily tool use between two days (YYYY-MM-DD, UTC, inclusive)."""
  toolDaily(from: String!, to: String!, users: [String!]): [ToolDay!]!
  """Daily skill/agent/command invocations between two days (YYYY-MM-DD, UTC, inclusive)."""
  pluginDaily(from: String!, to: String!, users: [String!]): [PluginDay!]!
  """5-hour billing blocks between two days (YYYY-MM-DD, UTC, inclusive)."""
  blocks(from: String!, to: String!, users: [String!]): [Block!]!
  """Burn rate of the active block; null when no block is active."""
  burnRate(users: [String!]): BurnRate
  """Spend in the current period against a budget."""
  budgetProjection(budgetUsd: Float!, period: BudgetPeriod = MONTH, timezone: String = "UTC", users: [String!]): BudgetProjection!
  """Replay progress reported by the aggregator (admin)."""
  replayStatus: JSON
  """Consumer lag and state reported by the aggregator (admin)."""
  consumerStatus: JSON
}

type Mutation {
  """Marks the caller as onboarded, which enables their home status frame."""
  markOnboarded: User!
}

type Subscription {
  """A tick after each commit touching visible users (admins: the given users or all)."""
  usageUpdated(users: [String!]): UsageTick!
  """A session's fresh summary after each commit touching it (any visible session when id is omitted)."""
  sessionUpdated(id: ID): Session!
  """The caller's home stats after each commit touching them (null when the frame is gated off)."""
  homeStatsUpdated(window: HomeWindow = H24): HomeStats
}
`;
