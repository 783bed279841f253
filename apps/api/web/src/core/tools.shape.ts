/** A daily tool row as the API sends it. */
export interface ToolDayInput {
  tool: string;
  calls: number;
  errors: number;
  avgDurationMs: number | null;
}

/** One tool over the whole range. */
export interface ToolTotal {
  tool: string;
  calls: number;
  errors: number;
  /** errors / calls; null without calls. */
  errorRate: number | null;
  /** Call-weighted mean of the daily means; null when no day knew a duration. */
  avgDurationMs: number | null;
}

/** Sums daily tool rows per tool, most used first. */
export function toolTotals(rows: readonly ToolDayInput[]): ToolTotal[] {
  const acc = new Map<string, { calls: number; errors: number; durSum: number; durCalls: number }>();
  for (const r of rows) {
    const a = acc.get(r.tool) ?? { calls: 0, errors: 0, durSum: 0, durCalls: 0 };
    a.calls += r.calls;
    a.errors += r.errors;
    if (r.avgDurationMs !== null && Number.isFinite(r.avgDurationMs)) {
      a.durSum += r.avgDurationMs * r.calls;
      a.durCalls += r.calls;
    }
    acc.set(r.tool, a);
  }
  return [...acc.entries()]
    .map(([tool, a]) => ({ tool, calls: a.calls, errors: a.errors, errorRate: a.calls ? a.errors / a.calls : null, avgDurationMs: a.durCalls ? a.durSum / a.durCalls : null }))
    .sort((x, y) => y.calls - x.calls || x.tool.localeCompare(y.tool));
}

/** A daily plugin row as the API sends it. */
export interface PluginDayInput {
  kind: string;
  name: string;
  source: string;
  refId: string | null;
  invocations: number;
}

/** One skill, agent or command over the whole range. */
export interface PluginTotal {
  kind: string;
  name: string;
  source: string;
  refId: string | null;
  invocations: number;
}

/** Sums daily plugin rows per (kind, name), curated/flea first within equal counts. */
export function pluginTotals(rows: readonly PluginDayInput[]): PluginTotal[] {
  const acc = new Map<string, PluginTotal>();
  for (const r of rows) {
    const key = `${r.kind}\u0000${r.name}`;
    const a = acc.get(key) ?? { kind: r.kind, name: r.name, source: r.source, refId: r.refId, invocations: 0 };
    a.invocations += r.invocations;
    acc.set(key, a);
  }
  const rank = (s: string) => (s === 'curated' ? 0 : s === 'flea' ? 1 : 2);
  return [...acc.values()].sort((x, y) => y.invocations - x.invocations || rank(x.source) - rank(y.source) || x.name.localeCompare(y.name));
}
