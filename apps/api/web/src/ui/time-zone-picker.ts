import { timeZones } from '../core/dates';
import { h } from './dom';

/**
 * The time zone every date on the dashboard is shown in (and days are cut at). Defaults to the
 * browser's; a choice goes into the URL (`tz=`) and is remembered in this browser.
 */
export function timeZonePicker(current: string, browserZone: string, choose: (zone: string) => void): HTMLElement {
  const select = h(
    'select',
    { id: 'tz', 'data-testid': 'tz' },
    timeZones(current).map((z) => h('option', { value: z, selected: z === current }, z === browserZone ? `${z} (this browser)` : z)),
  );
  select.addEventListener('change', () => choose(select.value));
  return h('div', { class: 'tz' }, h('label', { for: 'tz' }, 'Time zone'), select);
}
