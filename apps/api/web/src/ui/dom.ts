/** Attributes, properties and listeners accepted by {@link h}. */
export type Props = Record<string, string | number | boolean | null | undefined | EventListener>;
/** What may go inside an element; falsy values are skipped so `cond && h(...)` reads naturally. */
export type Child = Node | string | number | null | undefined | false | Child[];

/**
 * Creates an element: `on*` props become listeners, `false`/`null` attributes are left out,
 * `true` ones are set empty, `style` is set through the CSSOM (allowed by the CSP). A hyperscript helper instead of a framework keeps the bundle tiny.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
      // Through the CSSOM: a `style` attribute is inline style, which the dashboard's CSP refuses.
      else if (key === 'style') el.style.cssText = String(value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Sets text only when it changed, so frequent live updates cause no needless layout. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets or removes an attribute only when it changed. */
export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/**
 * A table with a caption, header cells scoped to columns, and numeric columns right-aligned. It
 * scrolls sideways inside its own box (the page never does) with the first column sticky, and
 * says so under the table whenever some columns are out of view.
 */
export function table<T>(
  caption: string,
  columns: { label: string; cell: (row: T) => Child; numeric?: boolean }[],
  rows: readonly T[],
  opts: { footer?: Child[]; empty?: string; testId?: string; rowAttrs?: (row: T) => Props } = {},
): HTMLElement {
  const body = rows.length
    ? rows.map((r) => h('tr', opts.rowAttrs?.(r) ?? null, columns.map((c) => h('td', c.numeric ? { class: 'num' } : null, c.cell(r)))))
    : [h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, opts.empty ?? 'Nothing yet.'))];
  const wrap = h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption, 'data-testid': opts.testId },
    h(
      'table',
      null,
      h('caption', null, caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h('tbody', null, body),
      opts.footer && h('tfoot', null, h('tr', null, opts.footer.map((f, i) => h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : { class: 'num' }, f)))),
    ),
  );
  return tableBox(wrap);
}

/**
 * The box around a table's `.table-wrap` (for tables built by hand, such as a sortable one):
 * the table scrolls inside it with the cue shown while columns are out of view.
 */
export function tableBox(wrap: HTMLElement): HTMLElement {
  const cue = h('p', { class: 'scroll-cue', hidden: true, 'data-testid': 'scroll-cue' }, 'Scroll the table sideways for more columns →');
  followOverflow(wrap, cue);
  return h('div', { class: 'table-box' }, wrap, cue);
}

/** Shows `cue` while `wrap` has columns out of view, and marks which edge has more. */
function followOverflow(wrap: HTMLElement, cue: HTMLElement): void {
  const update = () => {
    const more = wrap.scrollWidth - wrap.clientWidth > 1;
    cue.hidden = !more;
    setAttr(wrap, 'data-overflow', more ? (wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1 ? 'end' : 'more') : null);
  };
  if (typeof ResizeObserver !== 'undefined') new ResizeObserver(update).observe(wrap);
  wrap.addEventListener('scroll', update, { passive: true });
}

/** A labelled two-or-more-way toggle (buttons with `aria-pressed`), keyboard operable as buttons are. */
export function toggleGroup<V extends string>(label: string, options: { value: V; label: string }[], current: V, onChange: (v: V) => void, testId?: string): HTMLElement {
  const buttons = options.map((o) =>
    h('button', { type: 'button', 'aria-pressed': String(o.value === current), 'data-value': o.value, onclick: () => select(o.value) }, o.label),
  );
  function select(v: V) {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.value === v));
    onChange(v);
  }
  return h('div', { class: 'toggle', role: 'group', 'aria-label': label, 'data-testid': testId }, buttons);
}

/**
 * Remembers what each part of a page last rendered (by its JSON), so a live update that changes
 * nothing touches no DOM, and one that changes a number rebuilds only that part.
 */
export class RenderMemo {
  private readonly last = new Map<string, string>();

  /** True (and remembered) when `value` differs from what `part` last rendered. */
  changed(part: string, value: unknown): boolean {
    const json = JSON.stringify(value);
    if (this.last.get(part) === json) return false;
    this.last.set(part, json);
    return true;
  }

  clear(): void {
    this.last.clear();
  }
}

/**
 * Runs `paint` in an animation frame, at most once per `minMs`: bursts of live updates collapse
 * into one paint of the newest data, so heavy pages never spend every frame re-rendering.
 */
export function paintScheduler(paint: () => void, minMs: number): { request(): void; cancel(): void } {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  const run = () => {
    frame = 0;
    last = performance.now();
    paint();
  };
  return {
    request() {
      if (frame || timer) return;
      const wait = last + minMs - performance.now();
      if (wait <= 0) frame = requestAnimationFrame(run);
      else
        timer = setTimeout(() => {
          timer = undefined;
          frame = requestAnimationFrame(run);
        }, wait);
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(timer);
      frame = 0;
      timer = undefined;
    },
  };
}
