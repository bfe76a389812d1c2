// A grouped bar chart in plain SVG: labelled axes, a legend, a <title> per bar for exact values,
// colours from VS Code's chart variables (set in styles.ts), so every theme reads it. A charting
// library would bring far more than bars and would need its own theming.
const SVG = 'http://www.w3.org/2000/svg';

export interface Series {
  name: string;
}
export interface BarGroup {
  label: string;
  values: number[];
}
export interface ChartSpec {
  title: string;
  yLabel: string;
  series: Series[];
  groups: BarGroup[];
  format(n: number): string;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** 1, 2, 5 × 10^n steps so the axis reads in round numbers. */
export function niceMax(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 0.25 };
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return { top: step * Math.ceil(max / step), step };
}

export function barChart(spec: ChartSpec): SVGSVGElement {
  const height = 220;
  const margin = { top: 28, right: 12, bottom: 56, left: 72 };
  const groupWidth = Math.max(28, spec.series.length * 14 + 12);
  const width = Math.max(320, margin.left + margin.right + spec.groups.length * groupWidth);
  const plotH = height - margin.top - margin.bottom;
  const max = Math.max(0, ...spec.groups.flatMap((g) => g.values));
  const { top, step } = niceMax(max);
  const y = (v: number) => margin.top + plotH - (v / top) * plotH;

  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': spec.title });
  svg.append(el('title', {}, spec.title));
  for (let v = 0; v <= top + step / 2; v += step) {
    svg.append(el('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v) }));
    svg.append(el('text', { class: 'tick', x: margin.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, spec.format(v)));
  }
  svg.append(el('text', { class: 'axis-label', transform: `translate(14 ${margin.top + plotH / 2}) rotate(-90)`, 'text-anchor': 'middle' }, spec.yLabel));
  svg.append(el('line', { class: 'axis', x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0) }));

  const barW = (groupWidth - 12) / Math.max(1, spec.series.length);
  spec.groups.forEach((group, gi) => {
    const x0 = margin.left + gi * groupWidth + 6;
    group.values.forEach((value, si) => {
      const bar = el('rect', { class: `bar series-${si}`, x: x0 + si * barW, y: y(value), width: Math.max(1, barW - 1), height: Math.max(0, y(0) - y(value)) });
      bar.append(el('title', {}, `${group.label} · ${spec.series[si]?.name ?? ''}: ${spec.format(value)}`));
      svg.append(bar);
    });
    const label = group.label.length > 12 ? `${group.label.slice(0, 11)}…` : group.label;
    svg.append(el('text', { class: 'tick', transform: `translate(${x0 + (groupWidth - 12) / 2} ${y(0) + 12}) rotate(35)`, 'text-anchor': 'start' }, label));
  });

  spec.series.forEach((series, si) => {
    const x = margin.left + si * 130;
    svg.append(el('rect', { class: `bar series-${si}`, x, y: 8, width: 10, height: 10 }));
    svg.append(el('text', { class: 'legend', x: x + 14, y: 17 }, series.name));
  });
  return svg;
}
