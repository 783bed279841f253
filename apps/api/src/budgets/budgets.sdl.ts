/**
 * The budgets part of the schema, merged with `schema.sdl.ts` (its own file: one concept). It
 * reuses that file's `BudgetPeriod` (DAY, WEEK, MONTH); a stored budget's periods are UTC.
 */
export const budgetTypeDefs = /* GraphQL */ `
"""Whose spend a budget limits."""
enum BudgetScope {
  TEAM
  USER
  PROJECT
}

"""Where an alert's webhook POST stands."""
enum AlertDelivery {
  """The budget has no webhook."""
  NONE
  """Waiting for its first attempt, or for a retry."""
  PENDING
  DELIVERED
  """Every attempt failed (counted in the aggregator's /metrics)."""
  FAILED
}

"""A budget to create, or to replace (same scope, subject and period)."""
input SetBudgetInput {
  """Whose spend it limits."""
  scope: BudgetScope!
  """The user (USER) or project path (PROJECT) limited; empty for TEAM."""
  subject: String = ""
  """The UTC period the limit applies to (ISO weeks from Monday)."""
  period: BudgetPeriod!
  """The limit in USD per period."""
  limitUsd: Float!
  """Fractions of the limit that raise an alert once per period (1.0 = the limit)."""
  thresholds: [Float!] = [0.5, 0.8, 1.0]
  """An http(s) URL the aggregator POSTs each alert to (Slack-compatible \`text\`)."""
  webhookUrl: String
}

"""A spending budget and where it stands in its current period."""
type Budget {
  """The budget's id."""
  id: ID!
  """Whose spend it limits."""
  scope: BudgetScope!
  """The user or project; empty for TEAM."""
  subject: String!
  """The period the limit applies to."""
  period: BudgetPeriod!
  """The limit in USD per period."""
  limitUsd: Float!
  """Fractions of the limit that alert, ascending."""
  thresholds: [Float!]!
  """The webhook: in full for admins, scheme and host only for members (the path is often the secret)."""
  webhookUrl: String
  """Start of the current period (UTC, RFC 3339)."""
  periodStart: String!
  """End of the current period (exclusive)."""
  periodEnd: String!
  """USD spent in the current period."""
  spendUsd: Float!
  """spendUsd / limitUsd."""
  ratio: Float!
  """Alerts raised in the current period, lowest threshold first."""
  alerts: [BudgetAlert!]!
}

"""One threshold of one budget crossed in one period."""
type BudgetAlert {
  """The alert's id."""
  id: ID!
  """The budget it belongs to."""
  budgetId: ID!
  """The budget's scope."""
  scope: BudgetScope!
  """The budget's subject."""
  subject: String!
  """The budget's period."""
  period: BudgetPeriod!
  """Start of the period the threshold was crossed in."""
  periodStart: String!
  """The threshold crossed (fraction of the limit)."""
  threshold: Float!
  """Spend when the crossing was recorded."""
  spendUsd: Float!
  """The limit then."""
  limitUsd: Float!
  """When the crossing was recorded."""
  createdAt: String!
  """The webhook's delivery state."""
  delivery: AlertDelivery!
  """A Slack-style one-line text of the alert."""
  text: String!
}

extend type Query {
  """Every budget visible to the caller with its current spend (members: team, project and their own user budgets)."""
  budgets: [Budget!]!
}

extend type Mutation {
  """Creates the budget of (scope, subject, period), or replaces its limit, thresholds and webhook (admins)."""
  setBudget(input: SetBudgetInput!): Budget!
  """Deletes a budget and its alert history (admins); false when there was none."""
  deleteBudget(id: ID!): Boolean!
}

extend type Subscription {
  """Each budget alert as it is raised (the budgets the caller may see)."""
  budgetAlerts: BudgetAlert!
}
`;
