import { visibleUsers, type Viewer } from '../auth/viewer';
import { badUserInput } from '../graphql/api-errors';
import { teamScopeArgs } from '../graphql/team-args';
import { withOutcomes } from '../store/with-outcomes';
import { USAGE_TOTALS, type UsageDimension } from '@ccpulse/db';
import type { ApiStore } from '../store/api-store';
import { toCsv, type CsvValue } from './csv';
import { zonedDayStart } from './zoned-day';

export const EXPORT_VIEWS = ['usage', 'sessions', 'team', 'tools'] as const;
export type ExportView = (typeof EXPORT_VIEWS)[number];

/** The query string of an export, as strings (repeated keys as arrays). */
export type ExportParams = Record<string, string | string[] | undefined>;

/** Sessions in one export at most; a wider range is refused, not cut. */
const MAX_SESSIONS = 50_000;
const SESSION_PAGE = 500;

const list = (v: string | string[] | undefined): string[] | null => (v === undefined ? null : (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).filter((x) => x !== ''));
const one = (p: ExportParams, key: string): string | undefined => {
  const v = p[key];
  if (Array.isArray(v)) throw badUserInput(key, 'give it once');
  return v;
};

/**
 * One dashboard table as CSV, with the scoping of its GraphQL query: a member gets their own
 * rows (naming another user is FORBIDDEN), an admin the team or the named users.
 */
export async function exportCsv(view: ExportView, p: ExportParams, viewer: Viewer, store: ApiStore, maxUsageRows: number): Promise<{ filename: string; csv: string }> {
  const scope = teamScopeArgs({ from: one(p, 'from'), to: one(p, 'to'), timezone: one(p, 'timezone') ?? 'UTC', projects: list(p.projects), models: list(p.models) });
  const users = visibleUsers(viewer, list(p.users));
  const filename = `ccpulse-${view}-${scope.from}-${scope.to}.csv`;
  switch (view) {
    case 'team': {
      const rows = await store.team({ ...scope, users });
      const cols = ['user', 'sessions', 'prompts', 'activeSeconds', 'totalTokens', 'costUsd', 'linesAdded', 'linesRemoved', 'commits', 'pullRequests', 'editsAccepted', 'editsRejected'] as const;
      return { filename, csv: toCsv(cols, rows.map((r) => cols.map((c) => r[c] as CsvValue))) };
    }
    case 'usage': {
      const groupBy: UsageDimension[] = ['DAY', 'USER', 'PROJECT', 'MODEL'];
      const q = { from: scope.from, to: scope.to, timeZone: scope.timeZone, users, projects: scope.projects };
      const [rows, outcomes] = await Promise.all([store.usage({ ...q, groupBy, maxRows: maxUsageRows }), store.usageOutcomes({ ...q, groupBy })]);
      const merged = withOutcomes(rows, outcomes, USAGE_TOTALS, groupBy).filter((r) => !scope.models || scope.models.includes(r.model ?? ''));
      const cols = ['day', 'user', 'project', 'model', ...USAGE_TOTALS, 'linesAdded', 'linesRemoved', 'commits', 'pullRequests', 'editsAccepted', 'editsRejected'] as const;
      return { filename, csv: toCsv(cols, merged.map((r) => cols.map((c) => (r as Record<string, CsvValue>)[c]))) };
    }
    case 'sessions': {
      if (users && users.length > 1) throw badUserInput('users', 'the sessions export takes at most one user');
      const from = zonedDayStart(scope.from, scope.timeZone);
      const to = zonedDayStart(nextDay(scope.to), scope.timeZone);
      const cols = ['id', 'user', 'project', 'gitBranch', 'startedAt', 'endedAt', 'activeSeconds', 'wallSeconds', 'prompts', 'userMessages', 'assistantMessages', 'toolCalls', 'toolErrors', 'primaryModel', 'totalTokens', 'costUsd'] as const;
      const rows: CsvValue[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.sessions({ first: SESSION_PAGE, after, users, project: scope.projects?.[0], model: scope.models?.[0], from, to });
        for (const s of page.rows) {
          rows.push(cols.map((c) => (c === 'startedAt' || c === 'endedAt' ? (s[c]?.toISOString() ?? null) : (s[c] as CsvValue))));
        }
        if (rows.length > MAX_SESSIONS) throw badUserInput('from', `more than ${MAX_SESSIONS} sessions; narrow the range`);
        if (!page.hasNextPage) break;
        after = page.cursors.at(-1);
      }
      return { filename, csv: toCsv(cols, rows) };
    }
    case 'tools': {
      // Tool rollups are per UTC day (the toolDaily query's days).
      const rows = await store.toolDaily({ from: scope.from, to: scope.to, users });
      const cols = ['day', 'user', 'tool', 'calls', 'errors', 'avgDurationMs', 'accepted', 'rejected'] as const;
      return { filename, csv: toCsv(cols, rows.map((r) => cols.map((c) => r[c] as CsvValue))) };
    }
  }
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
