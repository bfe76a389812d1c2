// The Compare tab: two runs side by side — their outputs with a diff, their versions' content diff,
// parameters and variables, and usage and cost with the difference (B − A).
import type { TestRun } from '../contract/index.ts';
import { button, errorBox, select } from './controls.ts';
import { diffView } from './diff.ts';
import { h, show } from './dom.ts';
import { duration, tokens, usd, when, whenShort } from './format.ts';
import { measuresTable } from './measures-table.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';
import { STATUS_LABELS, statusBadge } from './run-result.ts';

type Slot = 'a' | 'b';

interface Measure {
  label: string;
  value(run: TestRun): number | null;
  format(n: number): string;
}

const MEASURES: Measure[] = [
  { label: 'Input tokens', value: (r) => r.usage?.inputTokens ?? null, format: tokens },
  { label: 'Cached input', value: (r) => r.usage?.cachedInputTokens ?? null, format: tokens },
  { label: 'Output tokens', value: (r) => r.usage?.outputTokens ?? null, format: tokens },
  { label: 'Reasoning', value: (r) => r.usage?.reasoningTokens ?? null, format: tokens },
  { label: 'Total tokens', value: (r) => r.usage?.totalTokens ?? null, format: tokens },
  { label: 'Cost', value: (r) => r.costUsd, format: usd },
  { label: 'Latency', value: (r) => r.latencyMs, format: duration },
  { label: 'Attempts', value: (r) => r.attempts, format: String },
];

// Short enough to read whole in a 400 px panel's picker.
const runLabel = (r: TestRun) => `v${r.versionNumber} · ${r.model} · ${whenShort(r.createdAt)} · ${STATUS_LABELS[r.status]}`;

export class CompareView {
  readonly element = h('div', { class: 'compare-view' });
  private readonly pickers = h('div', { class: 'row pickers' });
  private readonly body = h('div', { class: 'compare-body' });
  private recent: TestRun[] = [];

  constructor(private readonly panel: Panel) {
    this.element.append(this.pickers, this.body);
  }

  /** Puts a run into the free slot: A when empty, else B (the older B moves to A). */
  pick(run: TestRun): void {
    const c = this.panel.state.compare;
    if (!c.a || c.a === run.id) c.a = run.id;
    else if (c.b !== run.id) [c.a, c.b] = c.b ? [c.b, run.id] : [c.a, run.id];
    if (!this.recent.some((r) => r.id === run.id)) this.recent.unshift(run);
    this.panel.save();
  }

  async activate(): Promise<void> {
    try {
      const page = await this.panel.host.request('listRuns', { status: null, model: null, promptVersionId: null, q: null, cursor: null });
      const known = new Map(this.recent.map((r) => [r.id, r]));
      for (const run of page.items) known.set(run.id, run);
      this.recent = [...known.values()].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
    } catch (error) {
      show(this.body, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.activate())));
      return;
    }
    this.renderPickers();
    await this.renderComparison();
  }

  private renderPickers(): void {
    const c = this.panel.state.compare;
    const options = [{ value: '', label: 'Choose a run…' }, ...this.recent.map((r) => ({ value: r.id, label: runLabel(r) }))];
    const choose = (slot: Slot) => (value: string) => {
      c[slot] = value || null;
      this.panel.save();
      void this.renderComparison();
    };
    show(
      this.pickers,
      select('compare-a', 'Run A', options, c.a ?? '', choose('a')),
      select('compare-b', 'Run B', options, c.b ?? '', choose('b')),
      h('div', { class: 'field-actions' }, button('Swap', () => {
        [c.a, c.b] = [c.b, c.a];
        this.panel.save();
        void this.activate();
      }, { secondary: true, action: 'swap' })),
    );
  }

  private async run(id: string): Promise<TestRun> {
    return this.recent.find((r) => r.id === id) ?? this.panel.host.request('getRun', { runId: id });
  }

  private async renderComparison(): Promise<void> {
    const { a: idA, b: idB } = this.panel.state.compare;
    if (!idA || !idB) {
      show(this.body, h('p', { class: 'hint' }, 'Pick two runs: choose them above, or press Compare on runs in History (for example the same inputs on two versions, or on two models).'));
      return;
    }
    show(this.body, h('p', { class: 'hint' }, 'Loading the runs…'));
    try {
      const [a, b] = await Promise.all([this.run(idA), this.run(idB)]);
      const [va, vb] = await Promise.all([this.panel.version(a.promptVersionId), this.panel.version(b.promptVersionId)]);
      show(
        this.body,
        h('div', { class: 'side-by-side' }, this.column('A', a), this.column('B', b)),
        h('h3', null, 'Output difference'),
        diffView(a.output ?? '', b.output ?? '', 'words', 'Output difference from A to B'),
        h('h3', null, 'Usage and cost'),
        this.measures(a, b),
        h('h3', null, 'Parameters and variables'),
        this.settings(a, b),
        h('h3', null, a.promptVersionId === b.promptVersionId ? `Version: both ran v${a.versionNumber}` : `Version difference: v${a.versionNumber} → v${b.versionNumber}`),
        diffView(va.content, vb.content, 'lines', 'Version content difference from A to B'),
      );
    } catch (error) {
      show(this.body, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.renderComparison())));
    }
  }

  private column(slot: string, run: TestRun): HTMLElement {
    return h(
      'div',
      { class: 'compare-column', 'data-slot': slot },
      h('h3', null, `${slot}: v${run.versionNumber} · ${run.model} `, statusBadge(run.status)),
      h('p', { class: 'hint' }, when(run.createdAt)),
      h('pre', { class: 'output' }, run.output ?? (run.error ? `${run.error.code}: ${run.error.message}` : '')),
    );
  }

  private measures(a: TestRun, b: TestRun): HTMLElement {
    return measuresTable(MEASURES.map((m) => ({ label: m.label, a: m.value(a), b: m.value(b), format: m.format })));
  }

  private settings(a: TestRun, b: TestRun): HTMLElement {
    const rows: [string, string, string][] = [['Model', a.model, b.model]];
    const paramKeys = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])] as (keyof TestRun['params'])[];
    for (const key of paramKeys) rows.push([key, String(a.params[key] ?? 'default'), String(b.params[key] ?? 'default')]);
    const varKeys = [...new Set([...Object.keys(a.inputVariables), ...Object.keys(b.inputVariables)])];
    for (const key of varKeys) rows.push([`{{${key}}}`, a.inputVariables[key] ?? '—', b.inputVariables[key] ?? '—']);
    if (a.input !== null || b.input !== null) rows.push(['Input', a.input ?? '—', b.input ?? '—']);
    return h(
      'div',
      { class: 'table-scroll' },
      h(
      'table',
      { class: 'settings' },
      h('thead', null, h('tr', null, ['', 'A', 'B'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows.map(([label, x, y]) => h('tr', { class: x === y ? null : 'differs' }, h('th', { scope: 'row' }, label), h('td', null, x), h('td', null, y)))),
      ),
    );
  }
}
