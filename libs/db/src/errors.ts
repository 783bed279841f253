/** Infrastructure failures of libs/db: named, with a stable `code` and the underlying `cause`. */
export class DbError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Postgres could not be reached; the message names the host, never the password. */
export class DatabaseUnavailableError extends DbError {
  constructor(readonly host: string, cause?: unknown) {
    super('DB_UNAVAILABLE', `PostgreSQL at ${host} is unreachable: ${describe(cause)}`, { cause });
  }
}

/**
 * The server answers but the database named in DATABASE_URL does not exist (Postgres 3D000): not
 * "unreachable", and `ccpulse migrate --create-db` fixes it.
 */
export class DatabaseMissingError extends DbError {
  constructor(
    readonly host: string,
    readonly database: string,
    cause?: unknown,
  ) {
    super('DB_MISSING', `database "${database}" does not exist on PostgreSQL at ${host}; create it with: ccpulse migrate --create-db`, { cause });
  }
}

/** A setting (`DATABASE_URL`, `DB_POOL_SIZE`, `DB_STATEMENT_TIMEOUT_MS`) has a value we cannot use. */
export class DbConfigError extends DbError {
  constructor(readonly setting: string, why: string) {
    super('DB_CONFIG', `${setting}: ${why}`);
  }
}

/** The database lacks migrations this build needs; the app must not serve. */
export class PendingMigrationsError extends DbError {
  constructor(readonly pending: readonly string[]) {
    super(
      'DB_PENDING_MIGRATIONS',
      `database is not migrated: pending ${pending.join(', ')}; run 'ccpulse migrate'`,
    );
  }
}

/** A migration failed; `migration` names it. */
export class MigrationFailedError extends DbError {
  constructor(readonly migration: string | undefined, cause: unknown) {
    super('DB_MIGRATION_FAILED', `migration ${migration ?? '(unknown)'} failed: ${describe(cause)}`, { cause });
  }
}

/** The live projection pointer is not set, so there is nothing to read yet. */
export class NoLiveProjectionError extends DbError {
  constructor() {
    super('DB_NO_LIVE_PROJECTION', "no live projection schema; run 'ccpulse migrate' or start the aggregator");
  }
}

/** A pagination cursor that we did not issue (or that was altered). */
export class InvalidCursorError extends DbError {
  constructor() {
    super('DB_INVALID_CURSOR', 'invalid pagination cursor');
  }
}

function describe(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describe(cause.errors[0]);
  if (cause instanceof Error) return (cause as { code?: string }).code ? `${(cause as { code?: string }).code} ${cause.message}`.trim() : cause.message;
  return String(cause);
}
