import { PROCESSOR_VERSION } from '@ccpulse/domain';
import { readDatabaseConfig } from '../connection/database-config';
import { assertReachable, createDatabase } from '../connection/create-database';
import { createMissingDatabase } from '../connection/create-missing-database';
import { DbError, MigrationFailedError } from '../errors';
import { migrateToLatest } from '../migrations/migrate-to-latest';
import { ensureLiveProjection } from '../projection/projection-schema';

const HELP = `usage: ccpulse migrate [--create-db] [--no-projection]

Applies pending migrations of the main schema under an advisory lock (concurrent runs queue),
then, on a fresh database, creates usage_v${PROCESSOR_VERSION} and makes it live.
  --create-db   first create the database named in DATABASE_URL when it does not exist
                (the role needs CREATEDB; otherwise the message says what to ask an admin)
Reads DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

/** `ccpulse migrate`: 0 on success, 1 naming the failing migration, 2 on bad usage. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--no-projection' && a !== '--create-db');
  if (unknown.length > 0) {
    console.error(`ccpulse migrate: unknown option ${unknown[0]}\n\n${HELP}`);
    return 2;
  }
  let db;
  try {
    if (argv.includes('--create-db') && (await createMissingDatabase(readDatabaseConfig().url)) === 'created') {
      console.log('migrate: created the database');
    }
    db = createDatabase();
    await assertReachable(db);
    const { applied } = await migrateToLatest(db);
    console.log(applied.length === 0 ? 'migrate: nothing to apply' : `migrate: applied ${applied.join(', ')}`);
    if (!argv.includes('--no-projection')) {
      const schema = await ensureLiveProjection(db, PROCESSOR_VERSION);
      console.log(`migrate: live projection ${schema}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof MigrationFailedError) console.error(`ccpulse migrate: ${err.message} (failing migration: ${err.migration ?? 'unknown'})`);
    else if (err instanceof DbError) console.error(`ccpulse migrate: ${err.message}`);
    else console.error(`ccpulse migrate: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await db?.destroy();
  }
}
