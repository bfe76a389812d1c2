// One run, whole: output, the exact version it ran, its parameters and variables, usage and any
// error; with "rerun with this version", "rerun with the current version", compare and copy, and
// (run-followups.ts) "replay on the current version" and "save as case".
import type { TestRun } from '../contract/index.ts';
import { button } from './controls.ts';
import { h, show } from './dom.ts';
import { when } from './format.ts';
import type { Panel } from './panel.ts';
import { Replay, SaveAsCase } from './run-followups.ts';
import { runFailure, runSettings, statusBadge, usageStats } from './run-result.ts';

export class RunDetail {
  readonly element = h('section', { class: 'run-detail', 'aria-label': 'Selected run' });
  private shown: string | null = null;
  private replay: Replay | null = null;

  constructor(
    private readonly panel: Panel,
    /** A run this detail started (a replay) has ended: the list it was picked from is out of date. */
    private readonly onRunAdded: () => void = () => undefined,
  ) {
    panel.host.on('runDelta', (p) => this.replay?.delta(p));
    panel.host.on('runReset', (p) => this.replay?.reset(p));
    panel.host.on('runDone', (p) => {
      if (this.replay?.done(p.run)) this.onRunAdded();
    });
    panel.host.on('runStreamFailed', (p) => this.replay?.failed(p));
  }

  show(run: TestRun): void {
    this.shown = run.id;
    const versionBox = h('pre', { class: 'version-content' }, 'Loading the version…');
    const isCurrent = run.promptVersionId === this.panel.data.prompt.currentVersionId;
    const saveAsCase = new SaveAsCase(this.panel, run);
    const replayBox = h('div', { class: 'replay-box' });
    this.replay = null;
    show(
      this.element,
      h('h3', null, `Run of ${when(run.createdAt)} `, statusBadge(run.status)),
      // Titles and version numbers, not ids: the id is one click away in "Copy Run Id".
      h('p', { class: 'hint run-about' }, `${this.panel.data.prompt.title} · v${run.versionNumber}${isCurrent ? ' (current)' : ''} · ${run.model} · ${run.api === 'chat' ? 'Chat Completions' : 'Responses'} API`),
      h(
        'div',
        { class: 'actions' },
        button('Rerun with This Version', () => this.panel.rerun(run, 'same'), { action: 'rerun-same' }),
        isCurrent ? null : button('Rerun with the Current Version', () => this.panel.rerun(run, 'current'), { secondary: true, action: 'rerun-current' }),
        button('Compare', () => this.panel.pickForCompare(run), { secondary: true, action: 'detail-compare' }),
        button('Replay on Current Version', () => {
          this.replay = new Replay(this.panel, run);
          show(replayBox, this.replay.element);
          void this.replay.start();
        }, { secondary: true, action: 'replay-current', title: 'Run it again with the same model, parameters, variables and input on the current version, and see what changed' }),
        button('Save as Case', () => saveAsCase.open(), { secondary: true, action: 'save-as-case', title: 'Keep this run’s variables and input as a test case' }),
        run.output ? button('Copy Output', () => void this.panel.host.request('copyText', { text: run.output ?? '' }), { secondary: true, action: 'detail-copy' }) : null,
        run.output ? button('Open as Document', () => void this.panel.host.request('openDocument', { text: run.output ?? '', language: 'markdown' }), { secondary: true, action: 'detail-open' }) : null,
        button('Copy Run Id', () => void this.panel.host.request('copyText', { text: run.id }), { secondary: true, action: 'copy-run-id', title: 'Copy this run’s id (for the REST API or a bug report)' }),
      ),
      saveAsCase.element,
      replayBox,
      runFailure(run, { setApiKey: this.panel.setApiKey }),
      usageStats(run),
      h('h4', null, 'Output'),
      h('pre', { class: 'output', 'data-detail-output': '' }, run.output ?? ''),
      runSettings(run),
      h('h4', null, `Version v${run.versionNumber}`),
      versionBox,
    );
    this.panel
      .version(run.promptVersionId)
      .then((version) => {
        if (this.shown === run.id) versionBox.textContent = version.content;
      })
      .catch((error: unknown) => {
        if (this.shown === run.id) versionBox.textContent = `The version could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      });
  }
}
