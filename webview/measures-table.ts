// The A / B / B − A table of measures (tokens, cost, latency) that both the compare of two runs and
// the compare of two batch columns show. A missing value is "—"; the delta is signed and marked
// more or less.
import { h } from './dom.ts';
import { signed } from './format.ts';

export interface MeasureRow {
  label: string;
  a: number | null;
  b: number | null;
  format: (n: number) => string;
}

export function measuresTable(rows: MeasureRow[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'measures' },
      h('thead', null, h('tr', null, ['', 'A', 'B', 'B − A'].map((t) => h('th', { scope: 'col', class: t ? 'num' : null }, t)))),
      h(
        'tbody',
        null,
        rows.map(({ label, a, b, format }) => {
          const delta = a !== null && b !== null ? b - a : null;
          return h(
            'tr',
            { 'data-measure': label },
            h('th', { scope: 'row' }, label),
            h('td', { class: 'num' }, a === null ? '—' : format(a)),
            h('td', { class: 'num' }, b === null ? '—' : format(b)),
            h('td', { class: `num delta ${delta ? (delta > 0 ? 'more' : 'less') : ''}` }, delta === null ? '—' : signed(delta, format)),
          );
        }),
      ),
    ),
  );
}
