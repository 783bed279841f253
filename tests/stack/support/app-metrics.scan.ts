/**
 * The Prometheus metrics the apps define with prom-client (`new Counter({ name, labelNames })`…),
 * read from their source, so alert rules and dashboards can only name metrics that exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoPath } from './repo-paths';

/** One metric family as defined in code. */
export interface MetricDef {
  name: string;
  type: 'Counter' | 'Gauge' | 'Histogram' | 'Summary';
  labels: string[];
  file: string;
}

export function metricDefsIn(source: string, file: string): MetricDef[] {
  const defs: MetricDef[] = [];
  for (const m of source.matchAll(/new (Counter|Gauge|Histogram|Summary)(?:<[^>(]*>)?\(\s*\{/g)) {
    const end = source.indexOf('})', m.index);
    const body = source.slice(m.index, end < 0 ? undefined : end);
    const name = /name:\s*['"`]([a-zA-Z_:][a-zA-Z0-9_:]*)['"`]/.exec(body)?.[1];
    if (!name) continue;
    const labels = /labelNames:\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
    defs.push({
      name,
      type: m[1] as MetricDef['type'],
      labels: [...labels.matchAll(/['"`]([a-zA-Z_][a-zA-Z0-9_]*)['"`]/g)].map((l) => l[1]),
      file,
    });
  }
  return defs;
}

/** Every metric defined under apps/ (spec files excluded). */
export function appMetricDefs(): MetricDef[] {
  const root = repoPath('apps');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && f.includes(`${path.sep}src${path.sep}`))
    .flatMap((f) => metricDefsIn(fs.readFileSync(path.join(root, f), 'utf8'), `apps/${f}`));
}

/** Series names a family exposes: histograms and summaries add _bucket/_sum/_count. */
export function seriesNames(def: MetricDef): string[] {
  if (def.type === 'Histogram') return [def.name, `${def.name}_bucket`, `${def.name}_sum`, `${def.name}_count`];
  if (def.type === 'Summary') return [def.name, `${def.name}_sum`, `${def.name}_count`];
  return [def.name];
}

/** `ccpulse_*` metric names a PromQL expression refers to. */
export function ccpulseMetricsIn(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b(ccpulse_[a-z0-9_]+)\b/g)].map((m) => m[1]))];
}

/** Label names used in `by (...)` / `without (...)` clauses and `{label=...}` selectors. */
export function labelsIn(expr: string): string[] {
  const out = new Set<string>();
  for (const m of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const l of m[1].split(',')) if (l.trim()) out.add(l.trim());
  }
  for (const m of expr.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) out.add(l[1]);
  }
  return [...out];
}

/** Labels Prometheus adds itself, or our target labels. */
const TARGET_LABELS = ['job', 'instance', 'machine', 'le'];

/**
 * Check PromQL expressions against the apps' metric definitions;
 * metrics of an app that defines none yet are skipped with a warning.
 */
export function unknownMetrics(exprs: string[]): { unknown: string[]; badLabels: string[] } {
  const defs = appMetricDefs();
  const series = new Map(defs.flatMap((d) => seriesNames(d).map((s) => [s, d] as const)));
  const unknown: string[] = [];
  const badLabels: string[] = [];
  for (const expr of exprs) {
    const names = ccpulseMetricsIn(expr);
    const app = (n: string) => /^ccpulse_([a-z]+)_/.exec(n)?.[1];
    for (const n of names) {
      if (series.has(n)) continue;
      const owner = app(n);
      if (owner && !defs.some((d) => d.file.startsWith(`apps/${owner}/`)) && owner !== 'unpriced') {
        console.warn(`prometheus.spec: apps/${owner} defines no metrics yet; ${n} not checked`);
        continue;
      }
      unknown.push(n);
    }
    const allowed = new Set([...TARGET_LABELS, ...names.flatMap((n) => series.get(n)?.labels ?? [])]);
    for (const l of labelsIn(expr)) if (!allowed.has(l)) badLabels.push(`${l} in ${expr.trim()}`);
  }
  return { unknown, badLabels };
}
