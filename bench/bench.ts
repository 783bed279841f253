/** The shape of a registered bench: measured figures, each next to its baseline from the same run. */
export interface BenchRow {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** The baseline measured in the same process/run, same unit. */
  baseline?: number;
  baselineName?: string;
  /** Target ratio value/baseline; `higher` means ratio ≥ target passes, `lower` means ≤. */
  target?: { ratio: number; better: 'higher' | 'lower' };
}

export interface Bench {
  name: string;
  /** What it needs (e.g. the fixtures); a bench that cannot run says why and returns no rows. */
  run(log: (line: string) => void): Promise<BenchRow[]>;
}
