// The results grid of Run all: cases as rows, version × model as columns. A cell says whether its
// checks passed in words and a sign, not by colour alone ("✓ 2/2 checks"), with an output preview
// (identical outputs of repeats grouped with their counts), cost and latency; a click opens the
// run. Column heads carry each column's progress while the batch runs; the foot its totals.
import type { Batch, TestCase } from '../contract/index.ts';
import { buildGrid, groupsSentence, type Cell, type Column, type Grid } from './batch-grid.ts';
import { h } from './dom.ts';
import { count, duration, usd } from './format.ts';

const PREVIEW_CHARS = 140;

export const preview = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text);

export function caseName(cases: readonly TestCase[] | null, caseId: string): string {
  return cases?.find((c) => c.id === caseId)?.name ?? `Case ${caseId.slice(0, 8)}`;
}

/** The cell's verdict as text: "✓ 2/2 checks", "✗ 1/2 checks", "Running", "2 queued". */
export function verdict(cell: Cell): { text: string; state: 'pass' | 'fail' | 'pending' } {
  const { progress } = cell;
  if (cell.passed === null) {
    return { text: progress.running > 0 ? 'Running…' : progress.total === 0 ? '—' : 'Queued', state: 'pending' };
  }
  const checks = cell.checksTotal > 0 ? `${cell.checksPassed}/${cell.checksTotal} checks` : cell.passed ? 'succeeded' : 'failed';
  const pending = progress.queued + progress.running > 0 ? ` (${progress.queued + progress.running} to go)` : '';
  return cell.passed ? { text: `✓ ${checks}${pending}`, state: 'pass' } : { text: `✗ ${checks}${pending}`, state: 'fail' };
}

function progressLine(grid: Grid, column: Column): string {
  const p = grid.progress(column.key);
  const parts = [`${p.done}/${p.total} done`];
  if (p.running) parts.push(`${p.running} running`);
  if (p.queued) parts.push(`${p.queued} queued`);
  if (p.failed) parts.push(`${p.failed} failed`);
  return parts.join(' · ');
}

/** A cell's cost: "unpriced" only when a run succeeded on a model without a price. */
function cost(cell: Cell): string {
  if (cell.costUsd !== null) return usd(cell.costUsd);
  return cell.results.some((r) => r.status === 'succeeded') ? 'unpriced' : '—';
}

export interface GridActions {
  openRun(runId: string): void;
}

function cellView(cell: Cell, actions: GridActions, label: string): HTMLElement {
  const v = verdict(cell);
  const first = cell.results[0];
  const sentence = groupsSentence(cell.groups);
  const open = (runId: string | undefined) => (event: Event) => {
    event.stopPropagation();
    if (runId) actions.openRun(runId);
  };
  const onKey = (runId: string | undefined) => (event: Event) => {
    const key = (event as KeyboardEvent).key;
    if (key !== 'Enter' && key !== ' ') return;
    event.preventDefault();
    open(runId)(event);
  };
  // With repeats each distinct output is its own button (opening one of its runs); a button inside
  // a button is not allowed, so the cell itself is one only when it shows a single output.
  const single = !sentence && first !== undefined;
  const box = h(
    'div',
    { class: 'cell', role: single ? 'button' : null, tabindex: single ? 0 : null, title: single ? `Open the run (${label})` : null, onclick: open(first?.runId) },
    h('span', { class: `verdict verdict-${v.state}`, 'data-verdict': v.state }, v.text),
    sentence ? h('p', { class: 'groups-sentence' }, sentence) : null,
    sentence
      ? h(
          'ul',
          { class: 'groups' },
          cell.groups.map((g) =>
            h('li', null, h('span', { 'data-group-count': g.count, role: 'button', tabindex: 0, title: `Open one of these runs (${label})`, onclick: open(g.runIds[0]), onkeydown: onKey(g.runIds[0]) }, h('span', { class: 'group-count' }, `×${g.count}`), ' ', h('span', { class: 'preview' }, preview(g.text)))),
          ),
        )
      : cell.groups[0]
        ? h('p', { class: 'preview' }, preview(cell.groups[0].text))
        : null,
    cell.passed !== null ? h('p', { class: 'cell-meta' }, `${cost(cell)} · ${duration(cell.latencyMs)}`) : null,
  );
  if (single) box.addEventListener('keydown', onKey(first.runId));
  return box;
}

export function resultsGrid(batch: Batch, cases: readonly TestCase[] | null, actions: GridActions): HTMLElement {
  const grid = buildGrid(batch);
  const running = batch.status === 'queued' || batch.status === 'running';
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col' }, 'Case'),
    grid.columns.map((c) =>
      h('th', { scope: 'col', 'data-column': c.key }, h('div', null, c.label), running ? h('div', { class: 'column-progress hint', 'data-progress': c.key }, progressLine(grid, c)) : null),
    ),
  );
  const rows = grid.caseIds.map((caseId) =>
    h(
      'tr',
      { 'data-case': caseId },
      h('th', { scope: 'row' }, caseName(cases, caseId)),
      grid.columns.map((c) => h('td', { 'data-column': c.key }, cellView(grid.cell(caseId, c.key), actions, `${caseName(cases, caseId)}, ${c.label}`))),
    ),
  );
  const totals = h(
    'tr',
    { class: 'totals' },
    h('th', { scope: 'row' }, 'Totals'),
    grid.columns.map((c) => {
      const t = grid.totals(c.key);
      if (!t) return h('td', { 'data-column': c.key }, '—');
      return h(
        'td',
        { 'data-column': c.key },
        h('div', { 'data-total': 'checks' }, `${t.checksPassed}/${t.checksTotal} checks passed`),
        h('div', { 'data-total': 'cost' }, `${usd(t.costUsd)} in all`),
        h('div', { 'data-total': 'latency' }, `median ${duration(t.medianLatencyMs)}`),
        h('div', { class: 'hint', 'data-total': 'runs' }, `${t.succeeded} of ${count(t.runs, 'run')} succeeded`),
      );
    }),
  );
  return h('div', { class: 'table-scroll' }, h('table', { class: 'batch-grid' }, h('thead', null, head), h('tbody', null, rows), h('tfoot', null, totals)));
}
