/**
 * The suite's figures: what each one is, its unit, what it is compared with, and its target.
 * A target compares `value / baseline` (both measured in the same run, same unit) — or, for an
 * absolute limit from the issue (latency, RSS, replay rate), the value with that limit.
 */

/** One measured figure at one corpus size. */
export interface Figure {
  /** Stable key, e.g. `report.daily`; used for slopes across sizes and for the smoke checks. */
  key: string;
  label: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  /** Target on value/baseline: `higher` means ≥ ratio passes, `lower` means ≤. */
  target?: { ratio: number; better: 'higher' | 'lower' };
}

/** Figures of one corpus size. */
export interface SizeRun {
  size: string;
  corpus: { bytes: number; lines: number; files: number; users: number; resumedCopies: number; bigFileBytes: number; source: string; seed: number };
  figures: Figure[];
  notes: string[];
  seconds: number;
}

export const ratioOf = (f: Figure): number | undefined => (f.baseline ? f.value / f.baseline : undefined);

export function verdict(f: Figure): 'ok' | 'MISSED' | '' {
  const r = ratioOf(f);
  if (r === undefined || !f.target || !Number.isFinite(r)) return '';
  return (f.target.better === 'higher' ? r >= f.target.ratio : r <= f.target.ratio) ? 'ok' : 'MISSED';
}

/** Growth of one figure from the smaller to the larger corpus: per GB of history, and as a factor. */
export interface Slope {
  key: string;
  unit: string;
  from: number;
  to: number;
  perGb: number;
  factor: number;
}

export function slopes(small: SizeRun, large: SizeRun): Slope[] {
  const gb = (large.corpus.bytes - small.corpus.bytes) / 1024 ** 3;
  const out: Slope[] = [];
  for (const f of large.figures) {
    const s = small.figures.find((x) => x.key === f.key);
    if (!s || !gb) continue;
    out.push({ key: f.key, unit: f.unit, from: s.value, to: f.value, perGb: (f.value - s.value) / gb, factor: f.value / s.value });
  }
  return out;
}

export const fmt = (v: number): string =>
  !Number.isFinite(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 0.1 ? v.toFixed(2) : v.toPrecision(2);

/** The table: one row per figure of the largest size, with its baseline, ratio, target and growth. */
export function tableRows(runs: SizeRun[], slope: Slope[]): string[][] {
  const main = runs[runs.length - 1];
  const small = runs.length > 1 ? runs[0] : undefined;
  const header = ['figure', `value (${main.size})`, 'baseline (same run)', 'ratio', 'target', '', ...(small ? [`at ${small.size}`, 'slope / GB', 'growth ×'] : [])];
  const rows = main.figures.map((f) => {
    const r = ratioOf(f);
    const s = slope.find((x) => x.key === f.key);
    return [
      f.label,
      `${fmt(f.value)} ${f.unit}`,
      f.baseline === undefined ? '-' : `${fmt(f.baseline)} ${f.unit} (${f.baselineName})`,
      r === undefined ? '-' : `${fmt(r)}×`,
      f.target ? `${f.target.better === 'higher' ? '≥' : '≤'} ${f.target.ratio}×` : '-',
      verdict(f),
      ...(small ? [s ? `${fmt(s.from)} ${f.unit}` : '-', s ? `${s.perGb >= 0 ? '+' : ''}${fmt(s.perGb)} ${f.unit}` : '-', s ? `${fmt(s.factor)}×` : '-'] : []),
    ];
  });
  return [header, ...rows];
}

export function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${rows[0].map(esc).join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
