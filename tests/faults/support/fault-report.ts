/**
 * What a fault scenario proves, as one printed line: how many runs (crashes, restarts, outages)
 * it survived, how many rows of the uninterrupted reference are missing (lost) or came out
 * different or extra (double-counted), and how long the pipeline took to make progress again.
 */
import * as fs from 'node:fs';

/** One scenario's outcome. */
export interface FaultOutcome {
  scenario: string;
  runs: number;
  /** Reference rows absent from the faulted run's projection. */
  lost: number;
  /** Rows of the faulted run absent from the reference (a second copy, or a row with inflated counts). */
  doubleCounted: number;
  /** Longest time from a fault to the next committed progress, ms (0 when not applicable). */
  recoverMs: number;
  note?: string;
}

type Dump = Record<string, unknown[]>;

/** Multiset difference of two canonical dumps: rows only in `reference` and rows only in `actual`. */
export function compareDumps(reference: Dump, actual: Dump): { lost: number; extra: number; tables: string[] } {
  let lost = 0;
  let extra = 0;
  const tables: string[] = [];
  for (const table of [...new Set([...Object.keys(reference), ...Object.keys(actual)])].sort()) {
    const counts = new Map<string, number>();
    for (const r of reference[table] ?? []) {
      const k = JSON.stringify(r);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    let tableExtra = 0;
    for (const r of actual[table] ?? []) {
      const k = JSON.stringify(r);
      const c = counts.get(k) ?? 0;
      if (c > 0) counts.set(k, c - 1);
      else tableExtra++;
    }
    const tableLost = [...counts.values()].reduce((a, b) => a + b, 0);
    if (tableLost || tableExtra) tables.push(`${table}: lost ${tableLost}, extra ${tableExtra}`);
    lost += tableLost;
    extra += tableExtra;
  }
  return { lost, extra, tables };
}

export function formatOutcome(o: FaultOutcome): string {
  const recover = o.recoverMs ? `${(o.recoverMs / 1000).toFixed(1)} s` : '-';
  return `${o.scenario.padEnd(40)} runs ${String(o.runs).padStart(4)}  lost ${String(o.lost).padStart(3)}  double-counted ${String(o.doubleCounted).padStart(3)}  time to recover ${recover.padStart(7)}${o.note ? `  (${o.note})` : ''}`;
}

/**
 * Prints the line (straight to stdout, so jest shows it in every reporter mode) and, when
 * `CCPULSE_FAULTS_TABLE` names a file, appends it there as JSON for the summary table.
 */
export function reportOutcome(o: FaultOutcome): void {
  process.stdout.write(`[faults] ${formatOutcome(o)}\n`);
  const file = process.env.CCPULSE_FAULTS_TABLE;
  if (file) fs.appendFileSync(file, `${JSON.stringify(o)}\n`);
}
