import { addDays, lastDays, startOfDayInZone } from './dates';
import type { SessionFilterParams } from './route';

/** The API's filter: days become the instants they start at in the picked zone. */
export function apiFilter(filter: SessionFilterParams, nowMs: number, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (filter.user) out.user = filter.user;
  if (filter.project) out.project = filter.project;
  if (filter.model) out.model = filter.model;
  const days = Number(filter.days);
  const from = filter.from ?? (days > 0 ? lastDays(days, nowMs, timeZone).from : undefined);
  if (from) out.from = startOfDayInZone(from, timeZone);
  if (filter.to) out.to = startOfDayInZone(addDays(filter.to, 1), timeZone);
  return out;
}
