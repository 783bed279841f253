import type { Migration, MigrationProvider } from 'kysely';
import * as controlTables from './20261126T1200-control-tables.migration';
import * as budgets from './20261205T1225-budgets.migration';

/**
 * The main schema's migrations, by name. Names are timestamps so the order is the name order;
 * listed statically (not read from a folder) so the same list works from ts sources and dist/.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '20261126T1200-control-tables': controlTables,
  '20261205T1225-budgets': budgets,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
