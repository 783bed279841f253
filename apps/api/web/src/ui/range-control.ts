import { RANGE_DAYS, type DayRange, type RangeDays } from '../core/route';
import { h, toggleGroup } from './dom';

/**
 * The date range every page offers: the same presets (7, 30, 90 days) and a custom From/To.
 * Choosing one calls `go`, which puts it in the URL (so the view can be shared and reloaded).
 */
export function rangeControl(opts: { id: string; range: DayRange; defaultDays: RangeDays; span: { from: string; to: string }; go: (range: DayRange) => void; note?: string }): HTMLElement {
  const custom = Boolean(opts.range.from || opts.range.to);
  const current = custom ? '' : String(opts.range.days ?? opts.defaultDays);
  const presets = toggleGroup<string>('Range', RANGE_DAYS.map((d) => ({ value: String(d), label: `${d} days` })), current, (v) => opts.go({ days: Number(v) as RangeDays }), `${opts.id}-range`);
  const from = h('input', { id: `${opts.id}-from`, name: 'from', type: 'date', value: opts.span.from, max: opts.span.to });
  const to = h('input', { id: `${opts.id}-to`, name: 'to', type: 'date', value: opts.span.to });
  const form = h(
    'form',
    { class: 'controls range-form', 'aria-label': 'Custom date range', 'data-testid': `${opts.id}-custom` },
    h('label', { for: `${opts.id}-from` }, 'From'),
    from,
    h('label', { for: `${opts.id}-to` }, 'To'),
    to,
    h('button', { type: 'submit' }, 'Show'),
    opts.note && h('span', { class: 'muted' }, opts.note),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const range: DayRange = {};
    if (from.value) range.from = from.value;
    if (to.value) range.to = to.value;
    if (range.from && range.to && range.from > range.to) [range.from, range.to] = [range.to, range.from];
    opts.go(range);
  });
  return h('div', { class: 'range' }, presets, form);
}
