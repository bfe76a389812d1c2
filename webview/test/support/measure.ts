// What a reader of the panel can see, measured in Chromium: the contrast of every visible text
// against what is actually behind it, and text that is cut off (clipped by a box that does not
// scroll, or pushed past the page's edge). Both walk the page as it is drawn — the flat tree, into
// the @vscode-elements components' shadow DOM, with slotted text taking its colour from its slot.
// The code runs in the page, so it is a string: tsx would wrap a function's inner names in a helper
// the page lacks (see harness.ts).
import type { Page } from 'playwright-core';

export interface ContrastProblem {
  text: string;
  ratio: number;
  color: string;
  background: string;
  where: string;
}

export interface CutText {
  text: string;
  why: string;
  where: string;
}

const COMMON = /* js */ `
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  // Any CSS colour (rgb(), color(srgb …) from color-mix, #rrggbbaa) as [r, g, b, a] in 0–255 / 0–1.
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = 'rgba(0, 0, 0, 0)';
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return d[3] === 0 ? [0, 0, 0, 0] : [d[0], d[1], d[2], d[3] / 255];
  };
  const parentOf = (node) => node.assignedSlot ?? node.parentElement ?? (node.parentNode instanceof ShadowRoot ? node.parentNode.host : null);
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && parts.length < 4; e = parentOf(e)) {
      const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
      const data = [...e.attributes].filter((a) => a.name.startsWith('data-')).map((a) => '[' + a.name + '="' + a.value + '"]').join('');
      parts.push(e.localName + cls + data);
    }
    return parts.join(' < ');
  };
  // Every non-blank text node that is drawn: the light DOM and each component's shadow DOM.
  const texts = () => {
    const found = [];
    const visit = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let node = walker.currentNode; node; node = walker.nextNode()) {
        if (node.nodeType === Node.ELEMENT_NODE && node.shadowRoot) visit(node.shadowRoot);
        if (node.nodeType !== Node.TEXT_NODE || !node.data.trim()) continue;
        const el = parentOf(node);
        if (!el || ['STYLE', 'SCRIPT', 'TITLE', 'title'].includes(el.tagName)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        if (rects.length === 0) continue;
        if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
        found.push({ node, el, rects });
      }
    };
    visit(document.body);
    return found;
  };
`;

const CONTRAST = /* js */ `(() => {
  ${COMMON}
  const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const backdrop = (el) => {
    const layers = [];
    for (let e = el; e; e = parentOf(e)) {
      const bg = rgba(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let color = page[3] >= 1 ? page : [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const problems = [];
  for (const { node, el } of texts()) {
    // A disabled control is exempt (WCAG 1.4.3); the panel disables only Run while a run is going.
    if (el.closest('[disabled]')) continue;
    const style = getComputedStyle(el);
    let fg = rgba(el instanceof SVGElement ? style.fill : style.color);
    let opacity = 1;
    for (let e = el; e; e = parentOf(e)) opacity *= Number(getComputedStyle(e).opacity);
    fg = [fg[0], fg[1], fg[2], fg[3] * opacity];
    const bg = backdrop(el);
    const seen = over(fg, bg);
    const [a, b] = [luminance(seen), luminance(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) {
      problems.push({ text: node.data.trim().slice(0, 60), ratio: Math.round(ratio * 100) / 100, color: 'rgb(' + seen.slice(0, 3).map(Math.round).join(', ') + ')', background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + ')', where: describe(el) });
    }
  }
  return problems;
})()`;

const CUT = /* js */ `(() => {
  ${COMMON}
  const width = document.documentElement.clientWidth;
  const cut = [];
  for (const { node, el, rects } of texts()) {
    let why = null;
    for (const rect of rects) {
      let reachable = false;
      for (let e = el; e && !why && !reachable; e = parentOf(e)) {
        const overflow = getComputedStyle(e).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') reachable = true;
        else if (overflow === 'hidden' || overflow === 'clip') {
          const box = e.getBoundingClientRect();
          if (rect.left < box.left - 1 || rect.right > box.right + 1) why = 'clipped by ' + describe(e);
        }
      }
      if (!why && !reachable && (rect.right > width + 1 || rect.left < -1)) why = 'past the edge of the page';
      if (why) break;
    }
    if (why) cut.push({ text: node.data.trim().slice(0, 60), why, where: describe(el) });
  }
  return cut;
})()`;

/** Every visible text below 4.5:1 against its background. */
export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate(CONTRAST) as Promise<ContrastProblem[]>;
}

/** Every visible text that the reader cannot get to whole: clipped, or past the page's edge. */
export function cutText(page: Page): Promise<CutText[]> {
  return page.evaluate(CUT) as Promise<CutText[]>;
}

/** How many lines a text node inside `selector` takes, per match. */
export function linesOf(page: Page, selector: string): Promise<number[]> {
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  })`) as Promise<number[]>;
}
