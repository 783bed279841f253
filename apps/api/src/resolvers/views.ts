import type { SessionInsights } from '@ccpulse/domain';
import type { UserRecord, SessionRecord, HomeStatsRecord } from '../store/api-store';
import { iso, type HomeWindow } from '../graphql/args';

/** GraphQL `User` from a stored user. */
export function userView(u: UserRecord) {
  return { name: u.name, role: u.role === 'admin' ? 'ADMIN' : 'MEMBER', onboarded: u.onboarded, lastSyncAt: iso(u.lastSyncAt) };
}

/** GraphQL `Session` parent object: the record with instants as RFC 3339 (field resolvers add the rest). */
export function sessionView(s: SessionRecord): SessionView {
  return { ...s, startedAt: iso(s.startedAt), endedAt: iso(s.endedAt), record: s };
}

/** The parent object of `Session` fields; `insights` is filled lazily by the first field that needs it. */
export type SessionView = Omit<SessionRecord, 'startedAt' | 'endedAt'> & {
  startedAt: string | null;
  endedAt: string | null;
  record: SessionRecord;
  insights?: Promise<SessionInsights>;
};

export function homeStatsView(window: HomeWindow, lastSyncAt: Date | null, r: HomeStatsRecord) {
  return { window, lastSyncAt: iso(lastSyncAt), sessions: r.sessions, prompts: r.prompts, tokens: r.tokens, projects: r.projects };
}
