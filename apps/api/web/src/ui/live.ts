import type { LinkState } from '../api/graphql.client';
import { h, setAttr, setText } from './dom';

/**
 * Tracks every open subscription and shows one indicator: "Live" when all are streaming,
 * "Reconnecting…" while any is being re-opened. The label is in an `aria-live` region so screen
 * readers hear a drop and a recovery, but not every update.
 */
export class LiveIndicator {
  readonly el: HTMLElement;
  private readonly label: HTMLElement;
  private readonly links = new Map<number, LinkState>();
  private nextId = 1;
  private lastEventAt = 0;
  /** Events received since the page loaded (exposed for tests and the tooltip). */
  events = 0;

  constructor() {
    this.label = h('span', { class: 'live-label' }, 'Connecting…');
    this.el = h('div', { class: 'live', 'data-state': 'connecting', 'data-testid': 'live', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), this.label);
    addEventListener('online', () => this.render());
    addEventListener('offline', () => this.render());
  }

  /** Registers a link; call the returned function with each state change. */
  track(): (state: LinkState) => void {
    const id = this.nextId++;
    return (state) => {
      if (state === 'stopped') this.links.delete(id);
      else this.links.set(id, state);
      this.render();
    };
  }

  /** Notes that an update arrived (shown in the tooltip, counted for tests). */
  event(): void {
    this.events++;
    this.lastEventAt = Date.now();
    setAttr(this.el, 'data-events', String(this.events));
  }

  private render(): void {
    const states = [...this.links.values()];
    let state: string;
    let text: string;
    if (!navigator.onLine) [state, text] = ['offline', 'Offline'];
    else if (states.length === 0) [state, text] = ['idle', 'Not live'];
    else if (states.every((s) => s === 'live')) [state, text] = ['live', 'Live'];
    else if (states.some((s) => s === 'reconnecting')) [state, text] = ['reconnecting', 'Reconnecting…'];
    else [state, text] = ['connecting', 'Connecting…'];
    setAttr(this.el, 'data-state', state);
    setText(this.label, text);
    setAttr(this.el, 'title', this.lastEventAt ? `${text} · last update ${new Date(this.lastEventAt).toLocaleTimeString()}` : text);
  }
}
