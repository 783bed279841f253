/* Test-only: a canonical, comparable dump of a projection schema. */
import type { Database } from '@ccpulse/db';
import { sql, type Kysely } from 'kysely';

/** Columns that say when or from which stream position a row was written, not what it holds. */
const POSITION_COLUMNS = new Set(['stream_seq', 'last_seq', 'updated_at', 'received_at']);

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Every table of `schema`, each as rows of its columns minus the position ones, ordered by all
 * remaining columns (so the order does not depend on insertion or on stream sequences).
 */
export async function dumpProjection(db: Kysely<Database>, schema: string): Promise<Record<string, unknown[]>> {
  const cols = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = ${schema} order by table_name, ordinal_position`.execute(db);
  const byTable = new Map<string, string[]>();
  for (const c of cols.rows) {
    if (POSITION_COLUMNS.has(c.column_name)) continue;
    (byTable.get(c.table_name) ?? byTable.set(c.table_name, []).get(c.table_name)!).push(c.column_name);
  }
  const dump: Record<string, unknown[]> = {};
  for (const [table, columns] of [...byTable].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const list = sql.join(columns.map((c) => sql.id(c)));
    const order = sql.join(columns.map((c) => sql`${sql.id(c)}::text collate "C"`));
    const rows = await sql<Record<string, unknown>>`select ${list} from ${sql.id(schema, table)} order by ${order}`.execute(db);
    dump[table] = rows.rows.map(canonical);
  }
  return dump;
}

/** Rows found in only one of two dumps, per table (first few): a readable failure message. */
export function dumpDifference(a: Record<string, unknown[]>, b: Record<string, unknown[]>, limit = 3): string[] {
  const out: string[] = [];
  for (const table of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const ra = new Set((a[table] ?? []).map((r) => JSON.stringify(r)));
    const rb = new Set((b[table] ?? []).map((r) => JSON.stringify(r)));
    const onlyA = [...ra].filter((x) => !rb.has(x)).slice(0, limit);
    const onlyB = [...rb].filter((x) => !ra.has(x)).slice(0, limit);
    for (const x of onlyA) out.push(`${table} only in first: ${x.slice(0, 400)}`);
    for (const x of onlyB) out.push(`${table} only in second: ${x.slice(0, 400)}`);
  }
  return out;
}
