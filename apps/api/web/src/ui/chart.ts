import uPlot from 'uplot';
import { formatAxisInstant, formatDay } from '../core/format';
import type { StackedSeries } from '../core/usage.shape';
import { h, setText } from './dom';
import { shortenMiddle } from './path';

/** Mid-tone colours that read on both the light and the dark background (Tableau 10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function axis(format: (n: number) => string, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  const stroke = cssVar('--fg-muted', '#555');
  const grid = cssVar('--grid', '#ddd');
  return { stroke, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, values: (_u, vals) => vals.map(format), size: 60, ...extra };
}

/** A time axis labelled in the dashboard's one date style (`14 Dec`, `14 Dec 09:05`), not uPlot's. */
function timeAxis(label: (seconds: number) => string, space: number): uPlot.Axis {
  const stroke = cssVar('--fg-muted', '#555');
  const grid = cssVar('--grid', '#ddd');
  // `space`: the least pixels between ticks, so labels of that width never overlap on a phone.
  return { stroke, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, values: (_u, vals) => vals.map(label), space };
}

/** A bucket's x (UTC midnight of its day) as its day: `14 Dec`. */
export const bucketLabel = (seconds: number): string => formatDay(new Date(seconds * 1000).toISOString().slice(0, 10), true);

/** Keeps a chart as wide as its container (laptop split screens, window resizes). */
function follow(host: HTMLElement, chart: () => uPlot | null, height: number): ResizeObserver {
  const ro = new ResizeObserver(() => {
    const u = chart();
    const width = Math.floor(host.clientWidth);
    if (u && width > 0 && width !== u.width) u.setSize({ width, height });
  });
  ro.observe(host);
  return ro;
}

/**
 * Stacked bars per time bucket: the cumulative series are drawn largest first, each over the
 * previous one, so every band shows one series. Updates reuse the plot (`setData`) unless the
 * set of series changes, which keeps frequent live updates cheap.
 */
export class StackedBars {
  private plot: uPlot | null = null;
  private labels = '';
  private readonly ro: ResizeObserver;
  private readonly canvasHost: HTMLElement;
  /** An HTML legend, largest series first (uPlot's own would list them in drawing order). */
  private readonly legend: HTMLElement;
  private readonly legendDate = h('li', { class: 'legend-date', hidden: true, 'data-testid': 'legend-date' });
  private values: HTMLElement[] = [];
  private data: StackedSeries | null = null;

  constructor(
    host: HTMLElement,
    private readonly format: (n: number) => string,
    private readonly height = 260,
  ) {
    this.canvasHost = h('div');
    this.legend = h('ul', { class: 'legend', 'aria-label': 'Legend' });
    host.replaceChildren(this.canvasHost, this.legend);
    this.ro = follow(this.canvasHost, () => this.plot, height);
  }

  update(data: StackedSeries): void {
    this.data = data;
    const cols: uPlot.AlignedData = [data.xs, ...[...data.stacked].reverse()];
    const key = data.labels.join('\u0000');
    if (this.plot && key === this.labels) {
      this.plot.setData(cols);
      this.showValues(null);
      return;
    }
    this.plot?.destroy();
    this.labels = key;
    const n = data.labels.length;
    const colorOf = (k: number) => (data.labels[k] === 'other' ? '#8c8c8c' : PALETTE[k % PALETTE.length]);
    this.values = data.labels.map(() => h('span', { class: 'legend-value' }));
    this.legend.replaceChildren(
      this.legendDate,
      // Series may be long project paths: shortened in the middle, whole on hover.
      ...data.labels.map((label, k) => h('li', { 'data-series': label, title: label }, h('span', { class: 'swatch', style: `background:${colorOf(k)}`, 'aria-hidden': 'true' }), shortenMiddle(label, 40), this.values[k])),
    );
    const bars = uPlot.paths.bars!({ size: [0.7, 48], gap: 1 });
    const series: uPlot.Series[] = [{}];
    for (let k = n - 1; k >= 0; k--) {
      const color = colorOf(k);
      series.push({
        label: data.labels[k],
        stroke: color,
        fill: color,
        width: 0,
        paths: bars,
        points: { show: false },
      });
    }
    const opts: uPlot.Options = {
      width: Math.max(300, this.canvasHost.clientWidth),
      height: this.height,
      series,
      axes: [timeAxis(bucketLabel, 60), axis(this.format)],
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] } },
      legend: { show: false },
      cursor: { points: { show: false } },
      // The HTML legend shows the hovered bucket's values, and only the labels otherwise.
      hooks: { setCursor: [(u) => this.showValues(u.cursor.idx ?? null)] },
    };
    this.plot = new uPlot(opts, cols, this.canvasHost);
  }

  private showValues(idx: number | null): void {
    const d = this.data;
    const on = idx !== null && d !== null && idx >= 0 && idx < d.xs.length;
    this.legend.toggleAttribute('data-hover', on);
    setText(this.legendDate, on ? bucketLabel(d!.xs[idx!]) : '');
    this.legendDate.hidden = !on;
    this.values.forEach((el, k) => setText(el, on ? this.format(d!.values[k][idx!]) : ''));
  }

  destroy(): void {
    this.ro.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}

/** Points of a session timeline: x in unix seconds. */
export interface TimelineColumns {
  xs: number[];
  tokens: number[];
  cumulativeCost: number[];
}

/** Tokens per response (bars, left axis) and cumulative cost (line, right axis) over time. */
export class TimelineChart {
  private plot: uPlot | null = null;
  private readonly ro: ResizeObserver;

  constructor(
    private readonly host: HTMLElement,
    private readonly formatTokens: (n: number) => string,
    private readonly formatCost: (n: number) => string,
    private readonly timeZone: string,
    private readonly height = 240,
  ) {
    this.ro = follow(host, () => this.plot, height);
  }

  update(d: TimelineColumns): void {
    const cols: uPlot.AlignedData = [d.xs, d.tokens, d.cumulativeCost];
    if (this.plot) {
      this.plot.setData(cols);
      return;
    }
    const opts: uPlot.Options = {
      width: Math.max(300, this.host.clientWidth),
      height: this.height,
      series: [
        { value: (_u, v) => (v == null ? '–' : formatAxisInstant(v * 1000, this.timeZone, true)) },
        { label: 'tokens', stroke: PALETTE[0], fill: PALETTE[0] + '99', width: 0, paths: uPlot.paths.bars!({ size: [0.8, 40, 2] }), points: { show: false }, scale: 'tokens', value: (_u, v) => (v == null ? '–' : this.formatTokens(v)) },
        { label: 'cost so far', stroke: PALETTE[1], width: 2, scale: 'usd', points: { show: false }, value: (_u, v) => (v == null ? '–' : this.formatCost(v)) },
      ],
      axes: [timeAxis((x) => formatAxisInstant(x * 1000, this.timeZone, true), 110), axis(this.formatTokens, { scale: 'tokens' }), axis(this.formatCost, { scale: 'usd', side: 1, size: 72, grid: { show: false } })],
      scales: { x: { time: true }, tokens: { range: (_u, _a, max) => [0, max > 0 ? max * 1.05 : 1] }, usd: { range: (_u, _a, max) => [0, max > 0 ? max * 1.05 : 1] } },
      cursor: { points: { show: false } },
      // The legend's values belong to the hovered bucket: without one they are hidden, not dashes.
      hooks: { setCursor: [(u) => this.host.toggleAttribute('data-hover', u.cursor.idx !== null && u.cursor.idx !== undefined)] },
    };
    this.plot = new uPlot(opts, cols, this.host);
  }

  destroy(): void {
    this.ro.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
