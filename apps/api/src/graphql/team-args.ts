import { badUserInput } from './api-errors';
import { dayRangeArgs, timeZoneArg } from './args';
import type { ActivityPeriod, TeamScope } from '@ccpulse/db';

const PERIODS = new Set<ActivityPeriod>(['DAY', 'WEEK', 'MONTH']);

/** A list filter: at most 100 non-empty names, empty = none. */
function namesArg(argument: string, value: string[] | null | undefined): string[] | undefined {
  if (!value || value.length === 0) return undefined;
  if (value.length > 100) throw badUserInput(argument, 'at most 100 values');
  if (value.some((v) => typeof v !== 'string' || v.length === 0 || v.length > 4096)) throw badUserInput(argument, 'expected non-empty names');
  return [...new Set(value)];
}

/** The checked window and filters of `team`, `activity` and the team export (users apart). */
export function teamScopeArgs(a: { from: unknown; to: unknown; timezone: unknown; projects?: string[] | null; models?: string[] | null }): Omit<TeamScope, 'users'> {
  const range = dayRangeArgs(a.from, a.to);
  const scope: Omit<TeamScope, 'users'> = { ...range, timeZone: timeZoneArg('timezone', a.timezone ?? 'UTC') };
  const projects = namesArg('projects', a.projects);
  const models = namesArg('models', a.models);
  if (projects) scope.projects = projects;
  if (models) scope.models = models;
  return scope;
}

export function activityPeriodArg(value: unknown): ActivityPeriod {
  if (typeof value !== 'string' || !PERIODS.has(value as ActivityPeriod)) throw badUserInput('period', 'expected DAY, WEEK or MONTH');
  return value as ActivityPeriod;
}
