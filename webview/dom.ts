// A small hyperscript helper: the panel is plain DOM, built from data, with text always set as text
// (never as HTML), so nothing a model writes can become markup.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElement;
export function h(tag: string, attrs: Attrs | null = null, ...children: (Child | Child[])[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces what `parent` shows. */
export function show(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A `<dl>`-like grid of label/value pairs; `data-stat` lets tests and styles find a value. */
export function stats(rows: [label: string, value: string, key?: string][]): HTMLElement {
  return h(
    'dl',
    { class: 'stats' },
    rows.map(([label, value, key]) => h('div', { class: 'stat', 'data-stat': key ?? label }, h('dt', null, label), h('dd', null, value))),
  );
}

/** A value element (`input`, `select`, …) read as text. */
export function valueOf(element: Element | null): string {
  return element && 'value' in element && typeof element.value === 'string' ? element.value : '';
}
