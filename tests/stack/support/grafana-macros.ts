/**
 * The few Grafana SQL macros and variables our dashboard uses, expanded the way Grafana's
 * PostgreSQL data source does, so the panel SQL can run against a real database in a test.
 */

export interface MacroContext {
  from: Date;
  to: Date;
  /** `$__interval`, in seconds. */
  intervalSeconds: number;
  /** Values of dashboard variables; arrays become quoted, comma-separated lists. */
  vars: Record<string, string | string[]>;
}

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

export function expandGrafanaSql(sql: string, ctx: MacroContext): string {
  const out = sql
    .replace(/\$__timeGroupAlias\(\s*([a-z_]+)\s*,\s*\$__interval\s*\)/g, (_, col: string) =>
      `to_timestamp(floor(extract(epoch from ${col}) / ${ctx.intervalSeconds}) * ${ctx.intervalSeconds}) AS "time"`)
    .replace(/\$__timeFilter\(\s*([a-z_]+)\s*\)/g, (_, col: string) =>
      `${col} BETWEEN ${quote(ctx.from.toISOString())} AND ${quote(ctx.to.toISOString())}`)
    .replace(/\$\{?([a-z]+)\}?/g, (whole, name: string) => {
      const v = ctx.vars[name];
      if (v === undefined) return whole;
      return Array.isArray(v) ? v.map(quote).join(',') : v;
    });
  if (/\$__|\$[a-z]/.test(out)) throw new Error(`unexpanded macro or variable in: ${out}`);
  return out;
}
