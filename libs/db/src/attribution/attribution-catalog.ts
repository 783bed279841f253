import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { AttributionSource } from '../tables/usage-attribution.table';

/** One catalog row. */
export interface AttributionEntry {
  kind: 'skills' | 'agents' | 'commands';
  name: string;
  source: AttributionSource;
  refId: string | null;
}

/** A row of the file that is not acceptable, with its 1-based line. */
export interface CatalogProblem {
  line: number;
  message: string;
}

export type CatalogParse = { ok: true; entries: AttributionEntry[] } | { ok: false; problems: CatalogProblem[] };

const KINDS = ['skills', 'agents', 'commands'] as const;

/**
 * Parses a catalog (YAML or JSON — JSON is YAML): `{ skills: [{name, source, ref_id?}], agents:
 * […], commands: […] }`. Pure: every problem is collected with its line, nothing is thrown.
 */
export function parseAttributionCatalog(text: string): CatalogParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const problems: CatalogProblem[] = [];
  const lineOf = (n: Node | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : 1);
  for (const e of doc.errors) problems.push({ line: e.linePos?.[0].line ?? 1, message: e.message.split('\n')[0] });
  if (problems.length > 0) return { ok: false, problems };
  if (!isMap(doc.contents)) return { ok: false, problems: [{ line: 1, message: 'expected a mapping with skills, agents and/or commands' }] };
  const entries: AttributionEntry[] = [];
  const seen = new Set<string>();
  for (const pair of doc.contents.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const keyLine = lineOf(pair.key as Node);
    if (!(KINDS as readonly string[]).includes(key)) {
      problems.push({ line: keyLine, message: `unknown section '${key}' (expected skills, agents, commands)` });
      continue;
    }
    if (!isSeq(pair.value)) {
      problems.push({ line: keyLine, message: `'${key}' must be a list` });
      continue;
    }
    for (const item of pair.value.items) {
      const line = lineOf(item as Node);
      const v = (item as Node).toJSON() as Record<string, unknown> | null;
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        problems.push({ line, message: `${key}: each row must be a mapping` });
        continue;
      }
      const { name, source } = v;
      const ref = v.ref_id ?? v.refId ?? null;
      if (typeof name !== 'string' || name.trim() === '') problems.push({ line, message: `${key}: 'name' must be a non-empty string` });
      else if (source !== 'curated' && source !== 'flea') problems.push({ line, message: `${key} '${name}': 'source' must be curated or flea` });
      else if (ref !== null && typeof ref !== 'string' && typeof ref !== 'number') problems.push({ line, message: `${key} '${name}': 'ref_id' must be a string` });
      else if (seen.has(`${key}\u0000${name}\u0000${source}`)) problems.push({ line, message: `${key} '${name}' (${source}) appears twice` });
      else {
        seen.add(`${key}\u0000${name}\u0000${source}`);
        entries.push({ kind: key as AttributionEntry['kind'], name, source, refId: ref === null ? null : String(ref) });
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}
