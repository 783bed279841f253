import type { UsageEvent } from './classify-events';

export type AttributionKind = 'skill' | 'agent' | 'command';
export type AttributionSource = 'curated' | 'flea' | 'builtin';

/** One row of `usage_attribution_skills|agents|commands`. */
export interface CatalogRow {
  name: string;
  source: 'curated' | 'flea';
  refId?: string | null;
}

/** The loaded catalogs; build with {@link buildCatalog} so lookups are O(1). */
export interface AttributionCatalog {
  skills: ReadonlyMap<string, CatalogRow>;
  agents: ReadonlyMap<string, CatalogRow>;
  commands: ReadonlyMap<string, CatalogRow>;
}

export interface Attribution {
  kind: AttributionKind;
  name: string;
  source: AttributionSource;
  refId?: string;
}

/** Rows to lookup maps; when a name is in both sources, `curated` wins over `flea`. */
export function buildCatalog(rows: { skills?: CatalogRow[]; agents?: CatalogRow[]; commands?: CatalogRow[] }): AttributionCatalog {
  const index = (list: CatalogRow[] = []) => {
    const map = new Map<string, CatalogRow>();
    for (const row of list) {
      const prev = map.get(row.name);
      if (!prev || (prev.source === 'flea' && row.source === 'curated')) map.set(row.name, row);
    }
    return map;
  };
  return { skills: index(rows.skills), agents: index(rows.agents), commands: index(rows.commands) };
}

export const EMPTY_CATALOG: AttributionCatalog = buildCatalog({});

/**
 * Who an event is attributed to: its skill name, else subagent type, else command name, looked up
 * in the catalog; a name not in the catalog is `builtin`. Plain tool calls have no attribution.
 */
export function attributionFor(event: UsageEvent, catalog: AttributionCatalog = EMPTY_CATALOG): Attribution | undefined {
  const pick = (kind: AttributionKind, name: string, map: ReadonlyMap<string, CatalogRow>): Attribution => {
    const row = map.get(name);
    const out: Attribution = { kind, name, source: row ? row.source : 'builtin' };
    if (row?.refId) out.refId = row.refId;
    return out;
  };
  if (event.skillName) return pick('skill', event.skillName, catalog.skills);
  if (event.eventType === 'subagent' && event.subagentType) return pick('agent', event.subagentType, catalog.agents);
  if (event.eventType === 'slash_command' && event.commandName) return pick('command', event.commandName, catalog.commands);
  return undefined;
}
