// What History offers on a run beyond rerunning it: "Save as Case" (the run's variables and input
// become a test case, named here or by the service) and "Replay on Current Version" (the service
// runs it again with the same model, params, variables and input on the current version; the new
// output streams in like a run's, then is shown diffed against the original, with the full A/B
// comparison one click away).
import type { TestRun } from '../contract/index.ts';
import { button, errorBox, flag, textfield } from './controls.ts';
import { diffView } from './diff.ts';
import { h, show } from './dom.ts';
import { duration, signed, tokens, usd } from './format.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';
import type { PushPayload } from './protocol.ts';
import { statusBadge } from './run-result.ts';

export class SaveAsCase {
  readonly element = h('div', { class: 'save-as-case' });
  private name = '';

  constructor(
    private readonly panel: Panel,
    private readonly run: TestRun,
  ) {}

  open(): void {
    this.name = '';
    show(
      this.element,
      h(
        'div',
        { class: 'row' },
        textfield('save-case-name', 'Case name', '', (value) => {
          this.name = value;
          flag(this.element, 'save-case-name', null);
        }, 'empty: “From the run of …”'),
        h(
          'div',
          { class: 'field-actions' },
          button('Save Case', () => void this.save(), { action: 'save-as-case-confirm' }),
          button('Cancel', () => show(this.element), { secondary: true, action: 'save-as-case-cancel' }),
        ),
      ),
      h('div', { class: 'save-problem' }),
    );
    this.element.querySelector<HTMLElement>('[data-field="save-case-name"]')?.focus();
  }

  private async save(): Promise<void> {
    const name = this.name.trim();
    try {
      const saved = await this.panel.host.request('caseFromRun', { runId: this.run.id, ...(name ? { name } : {}) });
      show(
        this.element,
        h(
          'div',
          { class: 'notice', role: 'status', 'data-notice': 'case-saved' },
          h('p', null, `Saved as the case “${saved.name}”, with this run’s variables${saved.input !== null ? ' and input' : ''}. Add its expectations in the Cases tab.`),
          h('div', { class: 'actions' }, button('Show Cases', () => this.panel.go('cases'), { secondary: true, action: 'show-cases' })),
        ),
      );
    } catch (error) {
      const problem = panelErrorOf(error);
      const onName = problem.kind === 'invalid' ? problem.details.find((d) => d.path === 'name') : undefined;
      const box = this.element.querySelector('.save-problem');
      if (onName) flag(this.element, 'save-case-name', onName.message);
      else if (box) show(box, errorBox(problem, this.panel.errorActions(() => void this.save())));
    }
  }
}

/** One replay of a run, followed to its end and diffed against the original. */
export class Replay {
  readonly element = h('section', { class: 'replay', 'aria-label': 'Replay on the current version' });
  private replayId: string | null = null;
  private text = '';
  private readonly status = h('div', { class: 'run-status', role: 'status', 'aria-live': 'polite' });
  private readonly body = h('div', { class: 'replay-body' });

  constructor(
    private readonly panel: Panel,
    private readonly original: TestRun,
  ) {
    this.element.append(h('h4', null, 'Replay on the current version'), this.status, this.body);
  }

  /** Pushes for every run reach every listener: each replay picks its own. */
  delta({ runId, text }: PushPayload<'runDelta'>): void {
    if (runId !== this.replayId) return;
    this.text += text;
    const live = this.body.querySelector('[data-replay-output]');
    if (live) live.append(text);
  }

  reset({ runId }: PushPayload<'runReset'>): void {
    if (runId !== this.replayId) return;
    this.text = '';
    const live = this.body.querySelector('[data-replay-output]');
    if (live) live.textContent = '';
  }

  /** True when `run` is this replay, now shown against the original. */
  done(run: TestRun): boolean {
    if (run.id !== this.replayId) return false;
    this.replayId = null;
    this.showResult(run);
    return true;
  }

  failed({ runId, error }: PushPayload<'runStreamFailed'>): void {
    if (runId !== this.replayId) return;
    show(this.body, errorBox(error, this.panel.errorActions(() => void this.watch(runId))));
  }

  async start(): Promise<void> {
    show(this.status, h('vscode-progress-ring', { 'aria-label': 'Starting' }), ' Starting the replay…');
    show(this.body);
    let run: TestRun;
    try {
      run = await this.panel.host.request('replayRun', { runId: this.original.id });
    } catch (error) {
      show(this.status);
      show(this.body, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.start())));
      return;
    }
    this.replayId = run.id;
    this.text = '';
    show(this.status, h('vscode-progress-ring', { 'aria-label': 'Running' }), statusBadge(run.status), ` v${run.versionNumber} · ${run.model}`);
    show(this.body, h('pre', { class: 'output', 'data-replay-output': '' }));
    await this.watch(run.id);
  }

  private async watch(runId: string): Promise<void> {
    try {
      await this.panel.host.request('watchRun', { runId });
    } catch (error) {
      this.failed({ runId, error: panelErrorOf(error) });
    }
  }

  private showResult(replay: TestRun): void {
    const original = this.original;
    const before = original.output ?? '';
    const after = replay.output ?? (replay.error ? `${replay.error.code}: ${replay.error.message}` : '');
    const same = replay.output !== null && before === replay.output;
    const delta = (label: string, a: number | null, b: number | null, format: (n: number) => string) =>
      a !== null && b !== null ? `${label} ${signed(b - a, format)}` : null;
    const deltas = [
      delta('tokens', original.usage?.totalTokens ?? null, replay.usage?.totalTokens ?? null, tokens),
      delta('cost', original.costUsd, replay.costUsd, usd),
      delta('latency', original.latencyMs, replay.latencyMs, duration),
    ].filter(Boolean);
    show(this.status, statusBadge(replay.status), ` v${original.versionNumber} → v${replay.versionNumber} · ${replay.model}`);
    show(
      this.body,
      h('p', { class: 'hint', 'data-replay-verdict': same ? 'same' : 'different' }, same ? 'The replay’s output is the same as the original’s.' : 'The output changed: removed text is struck through, added text underlined.', deltas.length ? ` (${deltas.join(', ')})` : ''),
      diffView(before, after, 'words', `Output difference from the original (v${original.versionNumber}) to the replay (v${replay.versionNumber})`),
      h(
        'div',
        { class: 'actions' },
        button('Open in Compare', () => {
          // Emptied first, so the two picks make exactly this pair (A: original, B: replay).
          this.panel.state.compare = { a: null, b: null };
          this.panel.pickForCompare(original);
          this.panel.pickForCompare(replay);
        }, { secondary: true, action: 'replay-compare', title: 'Both runs side by side with usage, settings and the versions’ diff' }),
      ),
    );
  }
}
