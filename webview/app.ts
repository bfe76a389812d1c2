// The panel: loads the prompt through the host, draws the header and the four tabs, keeps the state
// for hide/show and reloads, and carries the actions that cross tabs (rerun, compare).
import type { TestRun, Version } from '../contract/index.ts';
import { BatchView } from './batch-view.ts';
import { CasesView } from './cases-view.ts';
import { CompareView } from './compare-view.ts';
import { button, errorBox, type ErrorActions } from './controls.ts';
import { h, show } from './dom.ts';
import { HistoryView } from './history-view.ts';
import { panelErrorOf, type Host } from './host.ts';
import type { Panel } from './panel.ts';
import { paramInputsOf } from './params.ts';
import type { PanelData } from './protocol.ts';
import { RunView } from './run-view.ts';
import { TABS, restoreState, type PanelState, type Tab } from './state.ts';
import { UsageView } from './usage-view.ts';

const TAB_LABELS: Record<Tab, string> = { run: 'Run', history: 'History', compare: 'Compare', cases: 'Cases', usage: 'Usage' };

export class App implements Panel {
  readonly state: PanelState;
  private loaded: PanelData | null = null;
  private readonly versions = new Map<string, Version>();
  private runView: RunView | null = null;
  private historyView: HistoryView | null = null;
  private compareView: CompareView | null = null;
  private usageView: UsageView | null = null;
  private batchView: BatchView | null = null;
  /** The Cases tab; its `slots` are where the batch UI (Run all) goes. */
  casesView: CasesView | null = null;
  private tabs: HTMLElement | null = null;

  constructor(
    readonly host: Host,
    private readonly root: HTMLElement,
    promptId: string,
    title: string,
  ) {
    this.state = restoreState(host.getState(), promptId, title);
    host.on('refresh', () => {
      void this.reload({ onlyIfChanged: true });
      // A case changed elsewhere (another window, the REST API) comes as a refresh of the prompt
      // with nothing new in the panel's data: the Cases tab on screen loads its list again.
      if (this.state.tab === 'cases') void this.casesView?.activate();
    });
    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && this.state.tab === 'run' && this.runView) {
        event.preventDefault();
        void this.runView.run();
      }
    });
  }

  get setApiKey(): (() => void) | undefined {
    const state = this.loaded?.apiKey ?? 'service';
    if (state === 'service') return undefined;
    return () => {
      void this.host
        .request('setApiKey', {})
        .then(({ apiKey }) => {
          if (!this.loaded) return;
          this.loaded = { ...this.loaded, apiKey };
          this.runView?.form.render();
        })
        .catch(() => undefined); // the command itself tells what went wrong
    };
  }

  get data(): PanelData {
    if (!this.loaded) throw new Error('The panel is not loaded yet');
    return this.loaded;
  }

  save(): void {
    this.host.setState(this.state);
  }

  async start(): Promise<void> {
    show(this.root, h('p', { class: 'loading' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), ` Loading ${this.state.title}…`));
    try {
      this.setData(await this.host.request('load', {}));
    } catch (error) {
      show(this.root, h('h1', null, this.state.title), errorBox(panelErrorOf(error), this.errorActions(() => void this.start())));
      return;
    }
    this.renderShell();
    this.runView?.resume();
    // A batch still running when the panel was hidden or reloaded is followed again.
    void this.batchView?.resume();
  }

  /** Loads the panel's data again and redraws; `onlyIfChanged`: not when the data is the same. */
  async reload(options: { onlyIfChanged?: boolean } = {}): Promise<void> {
    if (!this.loaded) return this.start();
    let data: PanelData;
    try {
      data = await this.host.request('load', {});
    } catch {
      return; // the panel keeps what it shows; the next action reports the problem
    }
    // A pushed refresh that changed nothing (a reconnected change feed says "everything may have
    // changed") leaves the page alone, so an open list or a half-typed value is not swept away. The
    // panel's own reloads (after a restore) always redraw: they changed what the form shows.
    if (options.onlyIfChanged && JSON.stringify(data) === JSON.stringify(this.loaded)) return;
    this.setData(data);
    this.renderHeader();
    this.runView?.form.render();
    if (this.state.tab !== 'run') this.go(this.state.tab);
  }

  private setData(data: PanelData): void {
    this.loaded = data;
    this.state.title = data.prompt.title;
    for (const v of data.versions.items) this.versions.set(v.id, v);
    if (data.prompt.currentVersion) this.versions.set(data.prompt.currentVersion.id, data.prompt.currentVersion);
    this.save();
  }

  private readonly header = h('header', { class: 'panel-header' });

  private renderHeader(): void {
    const p = this.data.prompt;
    show(
      this.header,
      h('h1', null, p.title),
      h('span', { class: 'badge' }, p.type === 'system' ? 'System prompt' : 'User prompt'),
      h('span', { class: 'hint' }, p.currentVersionNumber ? ` current version v${p.currentVersionNumber}` : ' no version yet'),
    );
  }

  private renderShell(): void {
    this.runView = new RunView(this);
    this.historyView = new HistoryView(this);
    this.compareView = new CompareView(this);
    this.usageView = new UsageView(this);
    this.casesView = new CasesView(this);
    // Run all lives in the Cases tab: its form and results under the list, a button beside Add Case.
    this.batchView = new BatchView(this);
    const batchView = this.batchView;
    this.casesView.slots.below.append(batchView.element);
    this.casesView.slots.toolbar.append(button('Run All…', () => batchView.reveal(), { secondary: true, action: 'reveal-run-all', title: 'Run every case on versions × models (below the list)' }));
    this.casesView.onChange((cases) => batchView.setCases(cases));
    const panels: Record<Tab, HTMLElement> = {
      run: this.runView.element,
      history: this.historyView.element,
      compare: this.compareView.element,
      cases: this.casesView.element,
      usage: this.usageView.element,
    };
    const tabs = h(
      'vscode-tabs',
      { 'selected-index': TABS.indexOf(this.state.tab) },
      TABS.flatMap((tab) => [h('vscode-tab-header', { slot: 'header', 'data-tab': tab }, TAB_LABELS[tab]), h('vscode-tab-panel', { 'data-panel': tab }, panels[tab])]),
    );
    tabs.addEventListener('vsc-tabs-select', (event) => {
      const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      const tab = TABS[index];
      if (tab && tab !== this.state.tab) this.go(tab);
    });
    this.tabs = tabs;
    this.renderHeader();
    show(this.root, this.header, tabs);
    this.runView.render();
    if (this.state.tab !== 'run') this.go(this.state.tab);
  }

  go(tab: Tab): void {
    this.state.tab = tab;
    this.save();
    if (this.tabs && 'selectedIndex' in this.tabs) this.tabs.selectedIndex = TABS.indexOf(tab);
    if (tab === 'history') this.historyView?.activate();
    if (tab === 'compare') void this.compareView?.activate();
    if (tab === 'cases') {
      void this.casesView?.activate();
      void this.batchView?.activate();
    }
    if (tab === 'usage') this.usageView?.activate();
  }

  errorActions(retry?: () => void): ErrorActions {
    return {
      retry,
      signIn: () => {
        void this.host.request('signIn', {}).then(({ signedIn }) => {
          if (signedIn) retry?.();
        });
      },
      openSettings: () => void this.host.request('openSettings', {}),
    };
  }

  async version(versionId: string): Promise<Version> {
    const known = this.versions.get(versionId);
    if (known) return known;
    const version = await this.host.request('getVersion', { versionId });
    this.versions.set(version.id, version);
    return version;
  }

  rerun(run: TestRun, version: 'same' | 'current'): void {
    const form = this.state.form;
    form.versionId = version === 'same' ? run.promptVersionId : null;
    form.model = run.model;
    form.params = paramInputsOf(run.params);
    form.variables = { ...form.variables, ...run.inputVariables };
    if (run.input !== null) form.input = run.input;
    // A version from an older page is put into the list so the form can show and use it.
    void this.version(run.promptVersionId).then((v) => {
      if (!this.data.versions.items.some((x) => x.id === v.id)) this.data.versions.items.push(v);
      this.go('run');
      this.runView?.form.render();
      void this.runView?.run();
    });
  }

  pickForCompare(run: TestRun): void {
    this.compareView?.pick(run);
    const { a, b } = this.state.compare;
    if (a && b) this.go('compare');
  }
}
