// The Usage tab: tokens and cost of this prompt's runs (or of every prompt) per day, version, model
// or prompt, over the last 30 days, as charts and as a table with totals. Backed by GET /api/usage.
// In a narrow panel the charts and the table scroll sideways in their own boxes.
import type { UsageReport, UsageRow } from '../contract/index.ts';
import { barChart } from './chart.ts';
import { errorBox, select } from './controls.ts';
import { h, show } from './dom.ts';
import { count, tokens, usd } from './format.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';

type GroupBy = UsageReport['groupBy'];
const GROUP_LABELS: Record<GroupBy, string> = { day: 'Per day', version: 'Per version', model: 'Per model', prompt: 'Per prompt' };

export class UsageView {
  readonly element = h('div', { class: 'usage-view' });
  private readonly controls = h('div', { class: 'row' });
  private readonly body = h('div', { class: 'usage-body' });
  private ticket = 0;

  constructor(private readonly panel: Panel) {
    this.element.append(this.controls, this.body);
  }

  activate(): void {
    this.renderControls();
    void this.load();
  }

  private renderControls(): void {
    const u = this.panel.state.usage;
    const groups: GroupBy[] = u.allPrompts ? ['day', 'model', 'prompt'] : ['day', 'version', 'model'];
    if (!groups.includes(u.groupBy)) u.groupBy = 'day';
    show(
      this.controls,
      select('usage-scope', 'Runs of', [{ value: 'prompt', label: `This prompt (${this.panel.data.prompt.title})` }, { value: 'all', label: 'All prompts' }], u.allPrompts ? 'all' : 'prompt', (v) => {
        u.allPrompts = v === 'all';
        this.panel.save();
        this.activate();
      }),
      select('usage-group', 'Grouped', groups.map((g) => ({ value: g, label: GROUP_LABELS[g] })), u.groupBy, (v) => {
        u.groupBy = groups.find((g) => g === v) ?? 'day';
        this.panel.save();
        void this.load();
      }),
    );
  }

  private async load(): Promise<void> {
    const ticket = ++this.ticket;
    show(this.body, h('p', { class: 'hint' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), ' Loading usage…'));
    try {
      const report = await this.panel.host.request('usage', this.panel.state.usage);
      if (ticket === this.ticket) this.render(report);
    } catch (error) {
      if (ticket === this.ticket) show(this.body, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.load())));
    }
  }

  private render(report: UsageReport): void {
    const range = `${report.from.slice(0, 10)} – ${report.to.slice(0, 10)} (UTC)`;
    if (report.items.length === 0) {
      show(this.body, h('p', { class: 'hint empty-usage' }, `No runs with usage between ${range}.`));
      return;
    }
    const groups = report.items;
    const t = report.totals;
    show(
      this.body,
      h(
        'p',
        { class: 'hint usage-totals' },
        `${range}. Totals: ${count(t.runs, 'run')}, ${count(t.totalTokens, 'token')}, ${usd(t.costUsd)}`,
        t.unpricedRuns ? ` (${count(t.unpricedRuns, 'unpriced run')} not in the cost)` : '',
        '.',
      ),
      h(
        'div',
        { class: 'charts' },
        h('figure', null, barChart({
          title: `Tokens ${GROUP_LABELS[report.groupBy].toLowerCase()}`,
          yLabel: 'tokens',
          series: [{ name: 'Input' }, { name: 'Output' }],
          groups: groups.map((r) => ({ label: r.label, values: [r.inputTokens, r.outputTokens] })),
          format: compact,
        })),
        h('figure', null, barChart({
          title: `Cost ${GROUP_LABELS[report.groupBy].toLowerCase()}`,
          yLabel: 'USD',
          series: [{ name: 'Cost' }],
          groups: groups.map((r) => ({ label: r.label, values: [r.costUsd] })),
          format: usd,
        })),
      ),
      this.table(groups, t),
    );
  }

  private table(rows: UsageRow[], totals: UsageRow): HTMLElement {
    const cells = (r: UsageRow) => [r.runs, tokens(r.inputTokens), tokens(r.cachedInputTokens), tokens(r.outputTokens), tokens(r.reasoningTokens), tokens(r.totalTokens), usd(r.costUsd), r.unpricedRuns];
    const head = ['', 'Runs', 'Input', 'Cached', 'Output', 'Reasoning', 'Total', 'Cost', 'Unpriced runs'];
    return h(
      'div',
      { class: 'table-scroll' },
      h(
      'table',
      { class: 'usage-table' },
      h('thead', null, h('tr', null, head.map((t) => h('th', { scope: 'col', class: t ? 'num' : null }, t)))),
      h('tbody', null, rows.map((r) => h('tr', { 'data-key': r.key }, h('th', { scope: 'row' }, r.label), cells(r).map((c) => h('td', { class: 'num' }, c))))),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Total'), cells(totals).map((c) => h('td', { class: 'num' }, c)))),
      ),
    );
  }
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
function compact(n: number): string {
  return compactFormat.format(n);
}
