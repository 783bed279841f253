import { OUTCOME_FIELDS } from '@ccpulse/domain';
import { sdlFields } from './sdl-fields';

/**
 * The team view's part of the GraphQL contract: `team`, `activity` and the outcome fields of
 * `usage` (counting rules: docs/outcome-metrics.md). Extends the types of schema.sdl.ts.
 */
export const teamTypeDefs = /* GraphQL */ `
"""One person's totals over a window: a row of the team leaderboard."""
type TeamRow {
  """The user."""
  user: String!
  """Sessions that started in the window."""
  sessions: Int!
  """Prompts typed in the window."""
  prompts: Int!
  """Active time in the window (activity blocks, gaps over 10 minutes excluded), seconds."""
  activeSeconds: Int!
  """Input + output + cache read + cache creation tokens."""
  totalTokens: BigInt!
  """Cost in USD."""
  costUsd: Float!
${sdlFields(OUTCOME_FIELDS)}
  """editsAccepted / (editsAccepted + editsRejected); null without decisions."""
  acceptanceRate: Float
}

"""A period of the activity series."""
enum ActivityPeriod {
  """Calendar day in the query's time zone."""
  DAY
  """Week starting Monday in the query's time zone."""
  WEEK
  """Calendar month in the query's time zone."""
  MONTH
}

"""The team's activity in one period."""
type ActivityPoint {
  """First local day of the period (YYYY-MM-DD)."""
  period: String!
  """Users with a session or a counted response in the period."""
  activeUsers: Int!
  """Sessions that started in the period."""
  sessions: Int!
  """Prompts typed in the period."""
  prompts: Int!
  """Cost in USD."""
  costUsd: Float!
}

extend type UsageRow {
${sdlFields(OUTCOME_FIELDS)}
}

extend type ToolDay {
  """Uses of this tool the person let run (a failed use included)."""
  accepted: Int!
  """Uses of this tool the person rejected."""
  rejected: Int!
}

extend type Query {
  """
  One row per user from \`from\` to \`to\` (inclusive days YYYY-MM-DD in \`timezone\`): activity,
  tokens, cost and outcome metrics. A member gets only their own row; an admin every user, or
  the given ones. \`projects\` and \`models\` narrow the rows.
  """
  team(from: String!, to: String!, timezone: String = "UTC", projects: [String!], models: [String!], users: [String!]): [TeamRow!]!
  """Active users, sessions, prompts and cost per day, week or month (members: their own)."""
  activity(
    from: String!
    to: String!
    timezone: String = "UTC"
    period: ActivityPeriod = DAY
    projects: [String!]
    models: [String!]
    users: [String!]
  ): [ActivityPoint!]!
}
`;
