import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import type { AttributionEntry } from './attribution-catalog';

/** How many rows a load wrote per table. */
export interface AttributionLoadResult {
  skills: number;
  agents: number;
  commands: number;
}

/**
 * Writes catalog rows in one transaction (all or nothing). With `replace`, the three catalogs
 * are emptied first, so the file becomes the whole catalog.
 */
export async function loadAttribution(
  db: Kysely<Database>,
  entries: readonly AttributionEntry[],
  opts: { replace?: boolean } = {},
): Promise<AttributionLoadResult> {
  const counts: AttributionLoadResult = { skills: 0, agents: 0, commands: 0 };
  await db.transaction().execute(async (trx) => {
    for (const kind of ['skills', 'agents', 'commands'] as const) {
      const rows = entries.filter((e) => e.kind === kind);
      const tableName = `usage_attribution_${kind}` as const;
      if (opts.replace) await trx.withSchema('public').deleteFrom(tableName).execute();
      if (rows.length === 0) continue;
      await trx
        .withSchema('public')
        .insertInto(tableName)
        .values(rows.map((r) => ({ name: r.name, source: r.source, ref_id: r.refId })))
        .onConflict((oc) => oc.columns(['name', 'source']).doUpdateSet({ ref_id: sql`excluded.ref_id` }))
        .execute();
      counts[kind] = rows.length;
    }
  });
  return counts;
}
