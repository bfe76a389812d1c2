// The History tab: the prompt's runs, newest first, a page at a time, filtered by status, model and
// version and searched in the output text; a selected run shows whole underneath, scrolled into
// view. In a narrow panel the filters wrap in a grid and the table scrolls sideways in its own box
// (never the page), so every column and every Compare button can be reached.
import type { TestRun } from '../contract/index.ts';
import { RUN_STATUSES } from '../contract/run-statuses.ts';
import { button, errorBox, select, textfield } from './controls.ts';
import { h, show } from './dom.ts';
import { duration, tokens, usd, when, whenShort } from './format.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';
import { RunDetail } from './run-detail.ts';
import { STATUS_LABELS, statusBadge } from './run-result.ts';

const ANY = '';
const SEARCH_DELAY_MS = 350;
/** Columns aligned right, headers with their figures. */
const NUMERIC = new Set(['Tokens', 'Cost', 'Latency']);

export class HistoryView {
  readonly element = h('div', { class: 'history-view' });
  private readonly filters = h('div', { class: 'row filters', role: 'search' });
  private readonly list = h('div', { class: 'run-list table-scroll' });
  private readonly more = h('div', { class: 'actions' });
  private readonly detail: RunDetail;
  private runs: TestRun[] = [];
  private nextCursor: string | null = null;
  private loading = 0;
  private searchTimer: number | undefined;

  constructor(private readonly panel: Panel) {
    // A replay's run joins the list once it has ended; the detail (and the replay's diff in it) stays.
    this.detail = new RunDetail(panel, () => void this.load(false, { keepDetail: true }));
    this.element.append(this.filters, this.list, this.more, this.detail.element);
  }

  private get state() {
    return this.panel.state;
  }

  /** Shown: draws the filters and loads the first page with them. */
  activate(): void {
    this.renderFilters();
    void this.load(false);
  }

  private renderFilters(): void {
    const f = this.state.filters;
    const { data } = this.panel;
    const models = new Set([...data.models.map((m) => m.id), ...this.runs.map((r) => r.model)]);
    if (f.model) models.add(f.model);
    const change = () => {
      this.panel.save();
      void this.load(false);
    };
    show(
      this.filters,
      select('filter-status', 'Status', [{ value: ANY, label: 'Any status' }, ...RUN_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))], f.status ?? ANY, (v) => {
        f.status = RUN_STATUSES.find((s) => s === v) ?? null;
        change();
      }),
      select('filter-model', 'Model', [{ value: ANY, label: 'Any model' }, ...[...models].map((m) => ({ value: m, label: m }))], f.model ?? ANY, (v) => {
        f.model = v || null;
        change();
      }),
      select(
        'filter-version',
        'Version',
        [{ value: ANY, label: 'Any version' }, ...data.versions.items.map((v) => ({ value: v.id, label: `v${v.versionNumber}` }))],
        f.promptVersionId ?? ANY,
        (v) => {
          f.promptVersionId = v || null;
          change();
        },
      ),
      textfield('filter-q', 'Search the output', f.q ?? '', (v) => {
        f.q = v.trim() || null;
        window.clearTimeout(this.searchTimer);
        this.searchTimer = window.setTimeout(change, SEARCH_DELAY_MS);
      }, 'text in the output'),
    );
  }

  private async load(append: boolean, options: { keepDetail?: boolean } = {}): Promise<void> {
    const ticket = ++this.loading;
    // A quiet reload keeps the list on screen until the new one replaces it.
    if (!append && !options.keepDetail) show(this.list, h('p', { class: 'hint' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), ' Loading runs…'));
    try {
      const page = await this.panel.host.request('listRuns', { ...this.state.filters, cursor: append ? this.nextCursor : null });
      if (ticket !== this.loading) return; // a newer filter won
      this.runs = append ? [...this.runs, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      this.renderList();
      const selected = this.runs.find((r) => r.id === this.state.selectedRunId);
      if (selected && !append && !options.keepDetail) this.detail.show(selected);
    } catch (error) {
      if (ticket !== this.loading) return;
      show(this.list, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.load(append))));
    }
  }

  private renderList(): void {
    const f = this.state.filters;
    const filtered = Boolean(f.status || f.model || f.promptVersionId || f.q);
    if (this.runs.length === 0) {
      show(this.list, h('p', { class: 'hint empty-history' }, filtered ? 'No run matches these filters.' : 'No runs yet. Run the prompt from the Run tab.'));
      show(this.more);
      return;
    }
    const header = ['Time', 'Version', 'Model', 'Status', 'Tokens', 'Cost', 'Latency', ''];
    show(
      this.list,
      h(
        'table',
        { class: 'runs' },
        h('thead', null, h('tr', null, header.map((t) => h('th', { scope: 'col', class: NUMERIC.has(t) ? 'num' : null }, t)))),
        h('tbody', null, this.runs.map((run) => this.row(run))),
      ),
    );
    show(this.more, this.nextCursor ? button('Load More', () => void this.load(true), { secondary: true, action: 'load-more' }) : null);
  }

  private row(run: TestRun): HTMLElement {
    const select = () => {
      this.state.selectedRunId = run.id;
      this.panel.save();
      for (const tr of this.list.querySelectorAll('tr.selected')) tr.classList.remove('selected');
      tr.classList.add('selected');
      this.detail.show(run);
      // The detail is drawn under the list, often below the fold: bring it to the reader.
      this.detail.element.scrollIntoView({ block: 'start' });
    };
    const tr = h(
      'tr',
      { 'data-run-id': run.id, tabindex: 0, class: run.id === this.state.selectedRunId ? 'selected' : null, onclick: select },
      h('td', { class: 'time', title: when(run.createdAt) }, whenShort(run.createdAt)),
      h('td', null, `v${run.versionNumber}`),
      h('td', null, run.model),
      h('td', null, statusBadge(run.status)),
      h('td', { class: 'num' }, tokens(run.usage?.totalTokens)),
      h('td', { class: 'num' }, run.usage ? usd(run.costUsd) : '—'),
      h('td', { class: 'num' }, duration(run.latencyMs)),
      h('td', null, button('Compare', () => this.panel.pickForCompare(run), { secondary: true, action: 'pick-compare', title: 'Add to A/B compare' })),
    );
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target === tr) select();
    });
    return tr;
  }
}
