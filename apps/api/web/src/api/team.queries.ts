/** The team view's operations (apps/api/src/graphql/team.sdl.ts is the contract). */
import { OUTCOME_FIELDS, selectionOf, type OutcomeTotals } from '@ccpulse/domain';
import type { BigIntValue } from '../core/format';

/** A leaderboard row; its outcome counts are the domain's `OUTCOME_FIELDS`. */
export interface TeamRow extends OutcomeTotals {
  user: string;
  sessions: number;
  prompts: number;
  activeSeconds: number;
  totalTokens: BigIntValue;
  costUsd: number;
  acceptanceRate: number | null;
}

export interface ActivityPoint {
  period: string;
  activeUsers: number;
  sessions: number;
  prompts: number;
  costUsd: number;
}

export const TEAM_ROW_FIELDS = `user sessions prompts activeSeconds totalTokens costUsd ${selectionOf(OUTCOME_FIELDS)} acceptanceRate`;

export const TEAM_PAGE_QUERY = `query TeamPage($from: String!, $to: String!, $timezone: String!, $projects: [String!], $models: [String!]) {
  team(from: $from, to: $to, timezone: $timezone, projects: $projects, models: $models) { ${TEAM_ROW_FIELDS} }
  daily: activity(from: $from, to: $to, timezone: $timezone, period: DAY, projects: $projects, models: $models) { period activeUsers sessions prompts costUsd }
  weekly: activity(from: $from, to: $to, timezone: $timezone, period: WEEK, projects: $projects, models: $models) { period activeUsers sessions prompts costUsd }
  costs: usage(from: $from, to: $to, timezone: $timezone, groupBy: [DAY, USER, MODEL], projects: $projects) { day user model costUsd unpricedTokens }
  options: usage(from: $from, to: $to, timezone: $timezone, groupBy: [PROJECT, MODEL]) { project model }
  toolDaily(from: $from, to: $to) { tool accepted rejected }
}`;
export interface TeamPageData {
  team: TeamRow[];
  daily: ActivityPoint[];
  weekly: ActivityPoint[];
  costs: { day: string; user: string; model: string; costUsd: number; unpricedTokens: BigIntValue }[];
  options: { project: string | null; model: string }[];
  /** Per UTC day, user and tool; the page sums them per tool. */
  toolDaily: { tool: string; accepted: number; rejected: number }[];
}

/** The admin home's team panel: the window's rows and active users. */
export const TEAM_HOME_QUERY = `query TeamHome($from: String!, $to: String!, $timezone: String!) {
  team(from: $from, to: $to, timezone: $timezone) { ${TEAM_ROW_FIELDS} }
  activity(from: $from, to: $to, timezone: $timezone, period: DAY) { period activeUsers }
  unpriced: usage(from: $from, to: $to, timezone: $timezone, groupBy: [USER, MODEL]) { user model unpricedTokens }
}`;
export interface TeamHomeData {
  team: TeamRow[];
  activity: { period: string; activeUsers: number }[];
  /** Tokens without a price per user and model: those users' cost is a lower bound. */
  unpriced: { user: string; model: string; unpricedTokens: BigIntValue }[];
}
