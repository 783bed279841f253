/** Where an attributed skill/agent/command comes from; `curated` beats `flea`. */
export type AttributionSource = 'curated' | 'flea';

/**
 * `usage_attribution_skills`, `usage_attribution_agents`, `usage_attribution_commands` (main
 * schema, one shape): a catalog row, keyed by `(name, source)`.
 */
export interface UsageAttributionTable {
  name: string;
  source: AttributionSource;
  ref_id: string | null;
}
