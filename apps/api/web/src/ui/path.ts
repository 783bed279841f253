import { h } from './dom';

/** How many characters a path keeps in a table cell; the full path is on hover. */
export const PATH_CHARS = 36;

/**
 * A long path shortened in the middle, keeping its start (the root people recognise) and as
 * much of its end (the project's own name) as fits: `/home/ann/…/shop/web`. Short text is
 * returned unchanged.
 */
export function shortenMiddle(text: string, max = PATH_CHARS): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  // The last segment matters most: give the tail two thirds, but never cut a short last segment.
  const lastSlash = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  const lastSegment = lastSlash >= 0 ? text.length - lastSlash : 0;
  const tail = Math.min(keep - 4, Math.max(Math.ceil((keep * 2) / 3), lastSegment));
  const head = keep - tail;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/**
 * A path for a table cell or a line of text: shortened in the middle, the full path in the
 * tooltip (`title`) and, in place of the shortened text, for screen readers.
 */
export function pathLabel(path: string | null | undefined, max = PATH_CHARS): HTMLElement {
  if (!path) return h('span', { class: 'muted' }, '–');
  const short = shortenMiddle(path, max);
  if (short === path) return h('span', { class: 'path', title: path, 'data-full': path }, path);
  return h('span', { class: 'path', title: path, 'data-full': path }, h('span', { 'aria-hidden': 'true' }, short), h('span', { class: 'sr-only' }, path));
}
