// The Run tab: the form, the Run and Cancel buttons (Ctrl/Cmd+Enter runs), the output streaming in
// with the elapsed time, and once done the usage, cost and any error, with copy / open. One Run
// button runs the form again (no separate Rerun). A finished run's figures sit above its output, and
// a one-line summary (tokens · cost · latency) in the status line, so they are seen without scrolling
// past a long answer; the output section is brought into view when a run starts.
import type { TestRun } from '../contract/index.ts';
import { button, errorBox } from './controls.ts';
import { h, show } from './dom.ts';
import { duration, tokens, usd } from './format.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';
import type { PushPayload } from './protocol.ts';
import { RunForm } from './run-form.ts';
import { runFailure, statusBadge, usageStats } from './run-result.ts';

export class RunView {
  readonly element = h('div', { class: 'run-view' });
  readonly form: RunForm;
  private readonly actions = h('div', { class: 'actions run-actions' });
  private readonly statusLine = h('div', { class: 'run-status', role: 'status', 'aria-live': 'polite' });
  private readonly output = h('pre', { class: 'output', 'data-output': '', tabindex: 0, 'aria-label': 'Output' });
  private readonly result = h('div', { class: 'run-result' });
  private readonly liveSection = h('section', { class: 'live', 'aria-label': 'Output' }, this.statusLine, this.result, this.output);
  private ticker: number | undefined;
  private starting = false;
  private saveTimer: number | undefined;

  constructor(private readonly panel: Panel) {
    this.form = new RunForm(panel);
    this.element.append(this.form.element, this.actions, this.liveSection);
    panel.host.on('runDelta', (p) => this.onDelta(p));
    panel.host.on('runReset', (p) => this.onReset(p));
    panel.host.on('runDone', (p) => this.onDone(p.run));
    panel.host.on('runStreamFailed', (p) => this.onStreamFailed(p));
  }

  private get live() {
    return this.panel.state.live;
  }

  get running(): boolean {
    return this.starting || (this.live !== null && this.live.run === null);
  }

  render(): void {
    this.form.render();
    this.renderActions();
    this.renderLive();
  }

  /** After a reload: a run that was in progress is joined again (the host replays its text so far). */
  resume(): void {
    const live = this.live;
    if (live && !live.run) void this.watch(live.runId);
  }

  async run(): Promise<void> {
    if (this.running) return;
    const collected = this.form.collect();
    if (!collected.ok) return;
    this.starting = true;
    this.renderActions();
    show(this.result);
    this.statusLine.textContent = 'Starting the run…';
    try {
      const run = await this.panel.host.request('startRun', collected.request);
      this.panel.state.live = { runId: run.id, status: run.status, output: '', startedAt: Date.now(), run: null };
      this.panel.save();
      this.starting = false;
      this.renderLive();
      this.renderActions();
      this.liveSection.scrollIntoView({ block: 'nearest' });
      await this.watch(run.id);
    } catch (error) {
      this.starting = false;
      const problem = panelErrorOf(error);
      this.statusLine.textContent = '';
      if (problem.kind === 'invalid') this.form.flagRefusal(problem.details);
      show(this.result, errorBox(problem, this.panel.errorActions(() => void this.run())));
      this.renderActions();
    }
  }

  private async watch(runId: string): Promise<void> {
    try {
      await this.panel.host.request('watchRun', { runId });
    } catch (error) {
      this.onStreamFailed({ runId, error: panelErrorOf(error) });
    }
  }

  async cancel(): Promise<void> {
    const live = this.live;
    if (!live || live.run) return;
    this.statusLine.textContent = 'Canceling…';
    try {
      const run = await this.panel.host.request('cancelRun', { runId: live.runId });
      if (run.finishedAt) this.onDone(run);
    } catch (error) {
      show(this.result, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.cancel())));
    }
  }

  private onDelta({ runId, text }: PushPayload<'runDelta'>): void {
    const live = this.live;
    if (!live || live.runId !== runId || live.run) return;
    live.output += text;
    if (live.status !== 'running') {
      live.status = 'running';
      this.statusLine.querySelector('[data-status]')?.replaceWith(statusBadge('running'));
    }
    // Appending keeps the reader's selection and scroll; re-rendering the whole text would not.
    this.output.append(text);
    this.output.classList.remove('empty');
    this.saveSoon();
  }

  private onReset({ runId, attempt, reason }: PushPayload<'runReset'>): void {
    const live = this.live;
    if (!live || live.runId !== runId || live.run) return;
    live.output = '';
    this.output.textContent = '';
    if (attempt !== null) show(this.result, h('p', { class: 'notice', 'data-notice': 'retry' }, `Attempt ${attempt}: ${reason} Starting over.`));
    this.panel.save();
  }

  private onDone(run: TestRun): void {
    const live = this.live;
    if (!live || live.runId !== run.id) return;
    live.run = run;
    live.status = run.status;
    live.output = run.output ?? live.output;
    this.panel.save();
    this.renderLive();
    this.renderActions();
  }

  private onStreamFailed({ runId, error }: PushPayload<'runStreamFailed'>): void {
    if (this.live?.runId !== runId) return;
    show(this.result, errorBox(error, this.panel.errorActions(() => void this.watch(runId))));
  }

  private saveSoon(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      this.panel.save();
    }, 250);
  }

  private renderActions(): void {
    const running = this.running;
    const runButton = button(running ? 'Running…' : 'Run', () => void this.run(), { action: 'run', title: 'Run (Ctrl+Enter / Cmd+Enter)' });
    if (running) runButton.setAttribute('disabled', '');
    const done = this.live?.run ?? null;
    show(
      this.actions,
      runButton,
      running && !this.starting ? button('Cancel', () => void this.cancel(), { secondary: true, action: 'cancel' }) : null,
      h('span', { class: 'hint' }, 'Ctrl+Enter'),
      done?.output ? button('Copy Output', () => void this.panel.host.request('copyText', { text: done.output ?? '' }), { secondary: true, action: 'copy' }) : null,
      done?.output ? button('Open as Document', () => void this.panel.host.request('openDocument', { text: done.output ?? '', language: 'markdown' }), { secondary: true, action: 'open-document' }) : null,
    );
  }

  private renderLive(): void {
    window.clearInterval(this.ticker);
    const live = this.live;
    if (!live) {
      this.output.textContent = '';
      this.output.classList.add('empty');
      this.statusLine.textContent = 'Run the prompt to see its output here.';
      return;
    }
    this.output.textContent = live.output;
    this.output.classList.toggle('empty', live.output === '');
    const run = live.run;
    if (!run) {
      const elapsed = h('span', { class: 'elapsed', 'data-stat': 'elapsed' });
      show(this.statusLine, h('vscode-progress-ring', { 'aria-label': 'Running' }), statusBadge(live.status), elapsed);
      const tick = () => {
        elapsed.textContent = ` ${duration(Date.now() - live.startedAt)}`;
      };
      tick();
      this.ticker = window.setInterval(tick, 200);
      return;
    }
    const figures = run.usage ? ` · ${tokens(run.usage.totalTokens)} tokens · ${usd(run.costUsd)} · ${duration(run.latencyMs)}` : '';
    show(this.statusLine, statusBadge(run.status), h('span', { class: 'run-summary', 'data-stat': 'summary' }, `v${run.versionNumber} · ${run.model}${figures}`));
    show(this.result, runFailure(run, { setApiKey: this.panel.setApiKey }), usageStats(run));
  }
}
