/** Names on the NATS side of ccpulse, shared by the ingestor, aggregator and API. */
export const ENTRIES_STREAM = 'CCPULSE_ENTRIES';
export const OFFSETS_BUCKET = 'ccpulse-offsets';

/** Users, hosts and subject tokens must be plain: anything else is refused at config time. */
export const SUBJECT_TOKEN = /^[A-Za-z0-9_-]+$/;

export function isSubjectToken(value: string): boolean {
  return SUBJECT_TOKEN.test(value);
}

/** A session id becomes a subject token; ids outside the safe alphabet are replaced by `_`. */
export function sessionToken(sessionId: string | undefined): string {
  if (!sessionId) return '_';
  return isSubjectToken(sessionId) ? sessionId : sessionId.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The subject prefix every name below starts with; overridable so tests can use private subjects. */
export const DEFAULT_SUBJECT_PREFIX = 'ccpulse';

export function entrySubject(user: string, sessionId: string | undefined, prefix = DEFAULT_SUBJECT_PREFIX): string {
  return `${prefix}.entries.${user}.${sessionToken(sessionId)}`;
}

/** The stream's subject filter for a prefix (`ccpulse.entries.>` by default). */
export function entriesSubjects(prefix = DEFAULT_SUBJECT_PREFIX): string {
  return `${prefix}.entries.>`;
}

export function heartbeatSubject(user: string, prefix = DEFAULT_SUBJECT_PREFIX): string {
  return `${prefix}.heartbeat.${user}`;
}
