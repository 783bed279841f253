import { readFile } from 'node:fs/promises';
import { parseAttributionCatalog } from '../attribution/attribution-catalog';
import { loadAttribution } from '../attribution/load-attribution';
import { allPluginDays, recomputePluginDaily } from '../plugin-daily/recompute-plugin-daily';
import { assertReachable, createDatabase } from '../connection/create-database';
import { DbError } from '../errors';
import { assertMigrated } from '../migrations/migrate-to-latest';
import { readProjectionState } from '../projection/projection-schema';

const HELP = `usage: ccpulse attribution load FILE [--replace]

Loads a skills/agents/commands catalog (YAML or JSON):
  skills:   [{ name: my-skill, source: curated, ref_id: "42" }]
  agents:   [{ name: reviewer, source: flea }]
  commands: [{ name: deploy, source: curated }]
All rows are validated first; any bad row is reported with its line and nothing is written.
--replace makes the file the whole catalog. Plugin rollups of the live projection are
re-attributed afterwards.`;

/** `ccpulse attribution load FILE`: 0 loaded, 1 invalid file or database error, 2 bad usage. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const args = argv.filter((a) => a !== '--replace');
  if (args[0] !== 'load' || args.length !== 2) {
    console.error(`ccpulse attribution: expected 'load FILE'\n\n${HELP}`);
    return 2;
  }
  const file = args[1];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    console.error(`ccpulse attribution: cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const parsed = parseAttributionCatalog(text);
  if (!parsed.ok) {
    for (const p of parsed.problems) console.error(`${file}:${p.line}: ${p.message}`);
    console.error(`ccpulse attribution: ${parsed.problems.length} problem(s); nothing was loaded`);
    return 1;
  }
  const db = createDatabase();
  try {
    await assertReachable(db);
    await assertMigrated(db);
    const counts = await loadAttribution(db, parsed.entries, { replace: argv.includes('--replace') });
    const { liveSchema } = await readProjectionState(db);
    if (liveSchema) await recomputePluginDaily(db, liveSchema, await allPluginDays(db, liveSchema));
    console.log(`attribution: loaded ${counts.skills} skills, ${counts.agents} agents, ${counts.commands} commands`);
    return 0;
  } catch (err) {
    console.error(`ccpulse attribution: ${err instanceof DbError || err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await db.destroy();
  }
}
