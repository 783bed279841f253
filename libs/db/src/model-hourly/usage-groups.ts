/** How usage and outcome sums can be grouped. */
export type UsageDimension = 'DAY' | 'WEEK' | 'MONTH' | 'MODEL' | 'USER' | 'PROJECT';

/** The keys of a usage or outcome group; null for a dimension not grouped by. */
export interface UsageGroupKeys {
  day: string | null;
  week: string | null;
  month: string | null;
  model: string | null;
  user: string | null;
  project: string | null;
}

/** The column alias of each dimension, named like its key. */
export const GROUP_KEY: Record<UsageDimension, keyof UsageGroupKeys> = {
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
  MODEL: 'model',
  USER: 'user',
  PROJECT: 'project',
};

/** A grouped row's keys, null where the query did not group. */
export function groupKeysOf(row: Record<string, unknown>): UsageGroupKeys {
  const key = (k: keyof UsageGroupKeys) => (row[k] as string | undefined) ?? null;
  return { day: key('day'), week: key('week'), month: key('month'), model: key('model'), user: key('user'), project: key('project') };
}
