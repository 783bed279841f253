import { sessionToken, type UpdatedNotice } from '@ccpulse/domain';

/** What one committed batch changed, per user. */
export interface BatchChanges {
  /** user → sessions whose summary row was written. */
  sessions: Map<string, Set<string>>;
  /** user → UTC days (`YYYY-MM-DD`) whose rollups were recomputed. */
  days: Map<string, Set<string>>;
}

export function emptyChanges(): BatchChanges {
  return { sessions: new Map(), days: new Map() };
}

export function noteChange(changes: BatchChanges, user: string, sessionId: string | undefined, day: string | undefined): void {
  if (sessionId) (changes.sessions.get(user) ?? changes.sessions.set(user, new Set()).get(user)!).add(sessionId);
  if (day) (changes.days.get(user) ?? changes.days.set(user, new Set()).get(user)!).add(day);
}

/** A user with more touched sessions than this gets one notice for all of them (on session `_`). */
export const MAX_SESSION_NOTICES_PER_USER = 50;

/**
 * The core-NATS notices of one commit: `<prefix>.updated.<user>.<session>` per touched session,
 * each listing the user's changed days, so a dashboard can refetch only what moved. A user with
 * many touched sessions (a backfill) gets a single notice listing them all.
 */
export function noticesFor(
  changes: BatchChanges,
  prefix: string,
  seq: number,
  committedAt: number,
): { subject: string; notice: UpdatedNotice }[] {
  const users = new Set([...changes.sessions.keys(), ...changes.days.keys()]);
  const out: { subject: string; notice: UpdatedNotice }[] = [];
  for (const user of [...users].sort()) {
    const sessions = [...(changes.sessions.get(user) ?? [])].sort();
    const days = [...(changes.days.get(user) ?? [])].sort();
    const base = { v: 1 as const, user, days, users: [user], seq, committedAt };
    if (sessions.length === 0 || sessions.length > MAX_SESSION_NOTICES_PER_USER) {
      out.push({ subject: userSubject(prefix, user), notice: { ...base, sessions } });
      continue;
    }
    for (const session of sessions) {
      out.push({ subject: `${prefix}.updated.${user}.${sessionToken(session)}`, notice: { ...base, sessions: [session] } });
    }
  }
  return out;
}

/** A user's notice subject not tied to one session. */
function userSubject(prefix: string, user: string): string {
  return `${prefix}.updated.${user}._`;
}

/** The notice of a heartbeat that moved a user's last sync: no stream sequence, no rows. */
export function syncNoticeFor(prefix: string, user: string, at: number): { subject: string; notice: UpdatedNotice } {
  return { subject: userSubject(prefix, user), notice: { v: 1, user, users: [user], sessions: [], days: [], seq: 0, committedAt: at, syncOnly: true } };
}
