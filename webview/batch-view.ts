// Run all: every test case of the prompt on the chosen versions × models, repeated. The form says
// how many runs that is before anything is sent (at most 500); the batch's progress streams into
// the results grid, which can be canceled; two columns can be compared case by case. The batch on
// screen is kept in the panel state, so a reload or a hide and show picks it up again.
import type { Batch, ModelInfo, RunParams, TestCase, Version } from '../contract/index.ts';
import type { RequestParams } from './protocol.ts';
import { columnComparison } from './batch-compare.ts';
import { MAX_MODELS, MAX_REPEATS, buildGrid, plan, type Column } from './batch-grid.ts';
import { resultsGrid } from './batch-results.ts';
import { button, errorBox, flag, select, textfield } from './controls.ts';
import { h, show } from './dom.ts';
import { whenShort } from './format.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';
import { PARAM_LABELS, modelParameters, modestModel, paramsTaken, parseParams, type ParamName } from './params.ts';
import { RunDetail } from './run-detail.ts';

const isOver = (batch: Batch) => batch.status === 'finished' || batch.status === 'canceled';

function checkbox(field: string, label: string, checked: boolean, onChange: (checked: boolean) => void, description?: string): HTMLElement {
  const input = h('input', { type: 'checkbox', id: `field-${field}`, 'data-field': field, checked });
  input.addEventListener('change', () => onChange(input.checked));
  return h('label', { class: 'check', for: `field-${field}` }, input, ` ${label}`, description ? h('span', { class: 'hint' }, ` ${description}`) : null);
}

export class BatchView {
  readonly element = h('div', { class: 'batch-view' });
  private readonly formBox = h('section', { class: 'batch-form', 'aria-label': 'Run all' });
  private readonly earlierBox = h('div', { class: 'row batch-earlier' });
  private readonly statusBox = h('div', { class: 'batch-status' });
  private readonly gridBox = h('section', { class: 'batch-results', 'aria-label': 'Results' });
  private readonly compareBox = h('section', { class: 'batch-compare', 'aria-label': 'Compare two columns' });
  private readonly detail: RunDetail;
  private cases: TestCase[] | null = null;
  private casesProblem: unknown = null;
  private batch: Batch | null = null;
  private resuming: Promise<void> | null = null;

  constructor(private readonly panel: Panel) {
    this.detail = new RunDetail(panel);
    // Not History's "Selected run": each region has a name (and a class) of its own.
    this.detail.element.setAttribute('aria-label', 'Run opened from the grid');
    this.detail.element.classList.replace('run-detail', 'batch-run');
    this.element.append(this.formBox, this.earlierBox, this.statusBox, this.gridBox, this.compareBox, this.detail.element);
    const mine = (batch: Batch) => batch.id === this.state.id;
    panel.host.on('batchProgress', ({ batch }) => {
      if (mine(batch)) this.showBatch(batch);
    });
    panel.host.on('batchDone', ({ batch }) => {
      if (!mine(batch)) return;
      this.showBatch(batch);
      void this.renderEarlier(); // its status there
    });
    panel.host.on('batchStreamFailed', ({ batchId, error }) => {
      if (batchId !== this.state.id) return;
      show(this.statusBox, errorBox(error, this.panel.errorActions(() => void this.resume())));
    });
  }

  private get state() {
    return this.panel.state.batch;
  }

  /** The Cases tab was shown: the form drawn, the batch on screen read again if need be. */
  async activate(): Promise<void> {
    this.renderForm();
    void this.renderEarlier();
    if (!this.batch && (this.state.id || this.state.start)) await this.resume();
  }

  /** The Cases tab's list, as loaded or changed there: the count and the grid's row names follow. */
  setCases(cases: readonly TestCase[]): void {
    this.cases = [...cases];
    this.casesProblem = null;
    this.renderForm();
    if (this.batch) this.showBatch(this.batch);
  }

  /** "Run All…" beside Add Case: brings the form into view. */
  reveal(): void {
    this.formBox.scrollIntoView({ block: 'start' });
    this.formBox.querySelector<HTMLElement>('input, select')?.focus();
  }

  /** After a reload or a show: the batch on screen is read again, and followed while it runs. */
  resume(): Promise<void> {
    this.resuming ??= this.pickUp().finally(() => {
      this.resuming = null;
    });
    return this.resuming;
  }

  private async pickUp(): Promise<void> {
    const { id, start } = this.state;
    if (!id && !start) return;
    if (this.cases === null) await this.loadCases();
    if (!id) {
      // Started, but the answer never came (the page was reloaded): the same key is the same batch.
      if (start) await this.send(start.key, JSON.parse(start.request) as Omit<RequestParams<'startBatch'>, 'idempotencyKey'>);
      return;
    }
    try {
      const batch = await this.panel.host.request('getBatch', { batchId: id });
      this.showBatch(batch);
      if (!isOver(batch)) await this.panel.host.request('watchBatch', { batchId: id });
    } catch (error) {
      show(this.statusBox, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.resume())));
    }
  }

  /** The prompt's batches, newest first: any can be put on screen again. */
  private async renderEarlier(): Promise<void> {
    let batches: Batch[];
    try {
      batches = (await this.panel.host.request('listBatches', {})).items;
    } catch {
      return; // the list is a convenience; the batch on screen stays
    }
    if (this.state.id && !batches.some((b) => b.id === this.state.id) && this.batch) batches.unshift(this.batch);
    if (batches.length === 0) return show(this.earlierBox);
    const label = (b: Batch) => `${whenShort(b.createdAt)} · ${b.total === 1 ? '1 run' : `${b.total} runs`} · ${b.status}`;
    const options = [...(this.state.id ? [] : [{ value: '', label: 'Choose a batch…' }]), ...batches.map((b) => ({ value: b.id, label: label(b) }))];
    show(
      this.earlierBox,
      select('batch-earlier', 'Batch on screen', options, this.state.id ?? '', (value) => {
        if (!value || value === this.state.id) return;
        this.state.id = value;
        this.state.compare = { a: null, b: null };
        this.panel.save();
        this.batch = null;
        this.detail.element.replaceChildren();
        void this.resume();
      }),
    );
  }

  private async loadCases(): Promise<void> {
    try {
      this.cases = (await this.panel.host.request('listCases', {})).items;
      this.casesProblem = null;
    } catch (error) {
      this.casesProblem = error;
    }
  }

  // ---- The form ---------------------------------------------------------------------------------

  private chosenVersionIds(): string[] {
    const { prompt } = this.panel.data;
    if (this.state.versionIds) return this.state.versionIds;
    return prompt.currentVersionId ? [prompt.currentVersionId] : [];
  }

  private chosenModels(): string[] {
    if (this.state.models) return this.state.models;
    const { models } = this.panel.data;
    const fromForm = this.panel.state.form.model;
    return [fromForm || modestModel(models)].filter(Boolean);
  }

  /** Parameters every chosen model takes: one value is sent to all of them. */
  private sharedParams(): ParamName[] {
    const models = this.chosenModels();
    const { models: catalog } = this.panel.data;
    const lists = models.map((m) => paramsTaken(modelParameters(m, catalog)));
    return (lists[0] ?? []).filter((name) => lists.every((l) => l.includes(name)));
  }

  private parsedParams(): { ok: true; params: RunParams } | { ok: false; problems: Partial<Record<ParamName, string>> } {
    const shared = this.sharedParams();
    const inputs = { ...this.state.params };
    for (const name of Object.keys(inputs) as ParamName[]) if (!shared.includes(name)) inputs[name] = '';
    let params: RunParams = {};
    const problems: Partial<Record<ParamName, string>> = {};
    for (const model of this.chosenModels()) {
      const parsed = parseParams(inputs, modelParameters(model, this.panel.data.models));
      if (parsed.ok) params = { ...params, ...parsed.params };
      else Object.assign(problems, parsed.problems);
    }
    return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, params };
  }

  private repeats(): number {
    const text = this.state.repeats.trim();
    return /^\d+$/.test(text) ? Number(text) : NaN;
  }

  private plan() {
    return plan(this.chosenVersionIds().length, this.chosenModels().length, this.cases?.length ?? 0, this.repeats());
  }

  private renderForm(): void {
    const { prompt, versions, models } = this.panel.data;
    const chosenVersions = this.chosenVersionIds();
    const chosenModels = this.chosenModels();
    const toggle = (list: 'versionIds' | 'models', current: string[], id: string) => (checked: boolean) => {
      const next = checked ? [...current.filter((x) => x !== id), id] : current.filter((x) => x !== id);
      this.state[list] = next;
      this.panel.save();
      this.renderForm();
    };
    const versionBoxes = versions.items.map((v: Version) =>
      checkbox(`batch-version:${v.versionNumber}`, `v${v.versionNumber}${v.id === prompt.currentVersionId ? ' (current)' : ''}`, chosenVersions.includes(v.id), toggle('versionIds', chosenVersions, v.id), v.notes ?? undefined),
    );
    // A model id typed on the Run tab ("Other model id…") is offered too, after the service's list.
    const ids = [...models.map((m: ModelInfo) => m.id), ...chosenModels.filter((id) => !models.some((m: ModelInfo) => m.id === id))];
    const modelBoxes = ids.map((id) => checkbox(`batch-model:${id}`, id, chosenModels.includes(id), toggle('models', chosenModels, id)));
    const shared = this.sharedParams();
    const p = this.plan();
    const cases = this.cases;
    show(
      this.formBox,
      h('h3', null, 'Run all'),
      h(
        'p',
        { class: 'hint' },
        cases === null
          ? this.casesProblem
            ? 'The test cases could not be read.'
            : 'Loading the test cases…'
          : `Runs each of this prompt’s ${cases.length === 1 ? 'test case' : `${cases.length} test cases`} on every chosen version and model, and checks each output against its case’s expectations.`,
      ),
      this.casesProblem ? errorBox(panelErrorOf(this.casesProblem), this.panel.errorActions(() => void this.loadCases().then(() => this.renderForm()))) : null,
      h('fieldset', { class: 'choices', 'data-choices': 'versions' }, h('legend', null, 'Versions'), versionBoxes),
      h('fieldset', { class: 'choices', 'data-choices': 'models' }, h('legend', null, `Models (1 to ${MAX_MODELS})`), modelBoxes),
      h(
        'div',
        { class: 'row params' },
        textfield('batch-repeats', `Repeats (1 to ${MAX_REPEATS})`, this.state.repeats, (value) => {
          this.state.repeats = value;
          this.panel.save();
          this.renderPlan();
        }),
        shared.map((name) => this.paramControl(name)),
      ),
      chosenModels.length > 1 ? h('p', { class: 'hint' }, 'Only the parameters every chosen model takes are offered; empty means each model’s default.') : null,
      h('p', { class: 'batch-plan', role: 'status', 'data-plan': p.runs }, p.sentence),
      h('p', { class: 'batch-problem', role: 'alert' }, p.problem ?? ''),
      h('div', { class: 'actions' }, button('Run all', () => void this.start(), { action: 'run-all' })),
    );
    this.renderPlan();
  }

  private paramControl(name: ParamName): HTMLElement {
    const update = (value: string) => {
      this.state.params[name] = value;
      this.panel.save();
      flag(this.formBox, `batch-${name}`, null);
    };
    if (name === 'reasoningEffort' || name === 'verbosity') {
      // The values every chosen model allows.
      const lists = this.chosenModels().map((m) => (modelParameters(m, this.panel.data.models)[name] ?? []) as readonly string[]);
      const values = (lists[0] ?? []).filter((v) => lists.every((l) => l.includes(v)));
      const options = [{ value: '', label: 'Model default' }, ...values.map((v) => ({ value: v, label: v }))];
      return select(`batch-${name}`, PARAM_LABELS[name], options, values.includes(this.state.params[name]) ? this.state.params[name] : '', update);
    }
    return textfield(`batch-${name}`, PARAM_LABELS[name], this.state.params[name], update, 'default');
  }

  /** The planned count and what stands in the way; Run all is disabled while something does. */
  private renderPlan(): void {
    const p = this.plan();
    const line = this.formBox.querySelector<HTMLElement>('.batch-plan');
    const problem = this.formBox.querySelector<HTMLElement>('.batch-problem');
    if (line) {
      line.textContent = Number.isNaN(p.runs) ? 'Repeats must be a whole number.' : p.sentence;
      line.dataset.plan = String(p.runs);
    }
    if (problem) problem.textContent = p.problem ?? '';
    const runAll = this.formBox.querySelector('[data-action="run-all"]');
    runAll?.toggleAttribute('disabled', p.problem !== null);
  }

  // ---- Starting, following, cancelling ------------------------------------------------------------

  private async start(): Promise<void> {
    const p = this.plan();
    const params = this.parsedParams();
    if (!params.ok) {
      for (const [name, problem] of Object.entries(params.problems)) flag(this.formBox, `batch-${name}`, problem);
      return;
    }
    if (p.problem) {
      this.renderPlan();
      return;
    }
    const request: Omit<RequestParams<'startBatch'>, 'idempotencyKey'> = {
      promptVersionIds: this.chosenVersionIds(),
      models: this.chosenModels(),
      params: params.params,
      repeats: this.repeats(),
    };
    const last = this.state.start;
    const unfinished = !this.batch || this.batch.id !== this.state.id || !isOver(this.batch);
    const same = last !== null && last.request === JSON.stringify(request) && unfinished;
    await this.send(same ? last.key : crypto.randomUUID(), request);
  }

  private async send(key: string, request: Omit<RequestParams<'startBatch'>, 'idempotencyKey'>): Promise<void> {
    this.state.start = { key, request: JSON.stringify(request) };
    this.panel.save();
    const runs = request.promptVersionIds.length * request.models.length * (this.cases?.length ?? 0) * request.repeats;
    if (!this.batch || isOver(this.batch)) show(this.statusBox, h('p', { class: 'hint' }, `Starting ${runs === 1 ? '1 run' : `${runs} runs`}…`));
    try {
      const batch = await this.panel.host.request('startBatch', { ...request, idempotencyKey: key });
      const fresh = this.state.id !== batch.id;
      if (fresh) {
        this.state.id = batch.id;
        this.state.compare = { a: null, b: null };
        this.detail.element.replaceChildren();
      }
      this.panel.save();
      this.showBatch(batch);
      if (fresh) void this.renderEarlier();
      await this.panel.host.request('watchBatch', { batchId: batch.id });
    } catch (error) {
      if (this.state.start?.key === key) this.state.start = null;
      this.panel.save();
      show(this.statusBox, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.start())));
    }
  }

  private async cancel(): Promise<void> {
    const id = this.state.id;
    if (!id) return;
    try {
      this.showBatch(await this.panel.host.request('cancelBatch', { batchId: id }));
    } catch (error) {
      show(this.statusBox, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.cancel())));
    }
  }

  private showBatch(batch: Batch): void {
    // A progress push can arrive after the final batch: never go back from a finished one.
    if (this.batch?.id === batch.id && isOver(this.batch) && !isOver(batch)) return;
    this.batch = batch;
    const ran = (batch.results ?? []).filter((r) => r.status === 'succeeded' || r.status === 'failed').length;
    const words =
      batch.status === 'finished'
        ? `Finished: ${batch.total} runs, ${batch.failed} failed.`
        : batch.status === 'canceled'
          ? `Canceled: ${ran} of ${batch.total} runs had finished.`
          : `${batch.status === 'queued' ? 'Queued' : 'Running'}: ${batch.done} of ${batch.total} runs done${batch.failed ? `, ${batch.failed} failed` : ''}.`;
    show(
      this.statusBox,
      h(
        'div',
        { class: 'run-status' },
        h('span', { class: `status status-${batch.status === 'finished' ? 'succeeded' : batch.status}`, 'data-batch-status': batch.status }, words),
        isOver(batch) ? null : h('progress', { max: batch.total, value: batch.done, 'aria-label': 'Runs done' }),
        isOver(batch) ? null : button('Cancel', () => void this.cancel(), { secondary: true, action: 'cancel-batch' }),
      ),
    );
    show(this.gridBox, resultsGrid(batch, this.cases, { openRun: (runId) => void this.openRun(runId) }));
    this.renderCompare();
  }

  private async openRun(runId: string): Promise<void> {
    try {
      this.detail.show(await this.panel.host.request('getRun', { runId }));
      this.detail.element.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      show(this.detail.element, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.openRun(runId))));
    }
  }

  // ---- Compare two columns ------------------------------------------------------------------------

  private renderCompare(): void {
    const batch = this.batch;
    if (!batch) return show(this.compareBox);
    const columns = buildGrid(batch).columns;
    if (columns.length < 2) return show(this.compareBox);
    const c = this.state.compare;
    const byKey = (key: string | null) => columns.find((x) => x.key === key);
    const a = byKey(c.a) ?? columns[0];
    const b = byKey(c.b) ?? columns.find((x) => x !== a);
    if (!a || !b) return show(this.compareBox);
    const options = columns.map((x) => ({ value: x.key, label: x.label }));
    const choose = (slot: 'a' | 'b') => (value: string) => {
      c[slot] = value;
      this.panel.save();
      this.renderCompare();
    };
    const body = h('div', { class: 'compare-body' }, h('p', { class: 'hint' }, 'Loading the versions…'));
    show(
      this.compareBox,
      h('h3', null, 'Compare two columns'),
      h('div', { class: 'row pickers' }, select('batch-compare-a', 'Column A', options, a.key, choose('a')), select('batch-compare-b', 'Column B', options, b.key, choose('b'))),
      body,
    );
    void this.fillComparison(body, batch, a, b);
  }

  private async fillComparison(body: HTMLElement, batch: Batch, a: Column, b: Column): Promise<void> {
    try {
      const versions = await Promise.all([this.panel.version(a.promptVersionId), this.panel.version(b.promptVersionId)]);
      if (this.batch !== batch) return; // a newer batch or progress redrew the section
      show(body, columnComparison(batch, a, b, this.cases, versions));
    } catch (error) {
      show(body, errorBox(panelErrorOf(error), this.panel.errorActions(() => this.renderCompare())));
    }
  }
}
