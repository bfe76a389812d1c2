// The run form: version, model (with its price), the parameters that model takes (the service's
// rules), a field per template variable of the chosen version, and the input of a system prompt.
// A fresh form flags nothing: a field says what it needs once the user typed in it (and emptied
// it), or once Run was pressed; from then on every keystroke updates the flags and the summary, so
// nothing stays red after it was fixed. Merely passing through a field flags nothing: a message
// appearing on blur would move the Run button under the pointer between press and release. What the service refused is flagged by the field it names.
import type { ErrorDetail, Version } from '../contract/index.ts';
import { templateVariables } from '../contract/template.ts';
import { button, flag, select, textarea, textfield, type Option } from './controls.ts';
import { h, show } from './dom.ts';
import { priceLine, when } from './format.ts';
import type { Panel } from './panel.ts';
import { PARAM_LABELS, modelParameters, modestModel, paramInputsOf, paramsTaken, parseParams, type ParamName } from './params.ts';
import { panelErrorOf } from './host.ts';
import type { CodeText, RequestParams } from './protocol.ts';

const CURRENT = 'current';
const OLDER = '__older';
const OTHER_MODEL = '__other';

/** A version's `{{variables}}` in order of first use (none without a version); the Cases tab asks the same. */
export function variableNames(version: Version | null): string[] {
  return version ? templateVariables(version.content) : [];
}

export type FormResult = { ok: true; request: RequestParams<'startRun'> } | { ok: false; problems: string[] };

/** What the form holds against a run: sentences for the summary, and per field what it needs. */
interface Evaluation {
  problems: string[];
  /** field → problem, for the variable and input fields (flagged only once the user met them). */
  needs: Map<string, string>;
  /** parameter → problem. */
  params: Partial<Record<ParamName, string>>;
  request: RequestParams<'startRun'> | null;
}

export class RunForm {
  readonly element = h('section', { class: 'run-form', 'aria-label': 'Run settings' });
  private readonly versionRow = h('div', { class: 'row' });
  private readonly modelRow = h('div', { class: 'row' });
  private readonly paramsRow = h('div', { class: 'row params' });
  private readonly variablesBox = h('div', { class: 'variables' });
  private readonly summary = h('p', { class: 'form-summary', role: 'status' });
  /** Said before the first run, not after a failed one: no key is set for the local service. */
  private readonly keyNotice = h('div', { class: 'key-notice' });
  private customModel = false;
  /** Run was pressed: from now on every field says what it needs. */
  private attempted = false;
  /** Fields the user typed in: they say what they need even before a Run. */
  private readonly touched = new Set<string>();

  constructor(private readonly panel: Panel) {
    this.element.append(this.keyNotice, this.versionRow, this.modelRow, this.paramsRow, this.variablesBox, this.summary);
  }

  private get form() {
    return this.panel.state.form;
  }

  render(): void {
    const { data } = this.panel;
    if (!this.form.model) {
      // A fresh panel starts from what this prompt last ran with, else from a modest model.
      this.form.model = data.remembered?.model ?? modestModel(data.models);
      if (data.remembered) this.form.params = paramInputsOf(data.remembered.params);
    }
    this.customModel = this.customModel || !data.models.some((m) => m.id === this.form.model);
    this.renderKeyNotice();
    this.renderVersion();
    this.renderModel();
    this.renderParams();
    this.renderVariables();
  }

  private renderKeyNotice(): void {
    const { setApiKey } = this.panel;
    if (this.panel.data.apiKey !== 'missing' || !setApiKey) {
      show(this.keyNotice);
      return;
    }
    show(
      this.keyNotice,
      h(
        'div',
        { class: 'notice', role: 'alert', 'data-notice': 'no-api-key' },
        h('p', null, 'No OpenAI API key is set, so runs will fail. The key is kept in VS Code’s secret storage and given to the local service only.'),
        h('div', { class: 'actions' }, button('Set OpenAI API Key', setApiKey, { action: 'set-api-key' })),
      ),
    );
  }

  /** The chosen version; null when it is not loaded here (an old page), so the host is asked. */
  chosenVersion(): Version | null {
    const { data } = this.panel;
    if (this.form.versionId === null) return data.prompt.currentVersion;
    return data.versions.items.find((v) => v.id === this.form.versionId) ?? null;
  }

  private renderVersion(): void {
    const { prompt, versions } = this.panel.data;
    const options: Option[] = [{ value: CURRENT, label: `Current version (v${prompt.currentVersionNumber ?? '–'})` }];
    for (const v of versions.items) {
      options.push({ value: v.id, label: `v${v.versionNumber}${v.id === prompt.currentVersionId ? ' (current)' : ''}`, description: [v.notes, when(v.createdAt)].filter(Boolean).join(' · ') });
    }
    if (versions.nextCursor) options.push({ value: OLDER, label: 'Load older versions…' });
    const chosen = this.form.versionId ?? CURRENT;
    const old = this.form.versionId !== null && this.form.versionId !== prompt.currentVersionId;
    show(
      this.versionRow,
      select('version', 'Version', options, chosen, (value) => void this.chooseVersion(value)),
      h(
        'div',
        { class: 'field-actions' },
        button('Open', () => void this.openVersion(), { secondary: true, action: 'open-version', title: 'Open this version in an editor' }),
        old ? button('Restore as Current', () => void this.restoreVersion(), { secondary: true, action: 'restore-version', title: 'Make this version current again (a new version with its content)' }) : null,
      ),
    );
  }

  private async chooseVersion(value: string): Promise<void> {
    if (value === OLDER) {
      const { versions } = this.panel.data;
      if (!versions.nextCursor) return;
      try {
        const page = await this.panel.host.request('listVersions', { cursor: versions.nextCursor });
        versions.items.push(...page.items);
        versions.nextCursor = page.nextCursor;
      } finally {
        this.renderVersion();
      }
      return;
    }
    this.form.versionId = value === CURRENT ? null : value;
    this.panel.save();
    this.renderVersion();
    this.renderVariables();
  }

  private async openVersion(): Promise<void> {
    const versionId = this.form.versionId ?? this.panel.data.prompt.currentVersionId;
    if (versionId) await this.panel.host.request('openVersion', { versionId }).catch(() => undefined);
  }

  private async restoreVersion(): Promise<void> {
    const versionId = this.form.versionId;
    if (!versionId) return;
    try {
      await this.panel.host.request('restoreVersion', { versionId });
    } catch {
      return; // the editor showed why
    }
    // The restored content is now the current version: run that from here on.
    this.form.versionId = null;
    this.panel.save();
    await this.panel.reload();
  }

  private renderModel(): void {
    const { models } = this.panel.data;
    const options: Option[] = models.map((m) => ({ value: m.id, label: m.id, description: m.api === 'chat' ? 'Chat Completions' : 'Responses' }));
    options.push({ value: OTHER_MODEL, label: 'Other model id…' });
    const info = models.find((m) => m.id === this.form.model);
    show(
      this.modelRow,
      select('model', 'Model', options, this.customModel ? OTHER_MODEL : this.form.model, (value) => {
        this.customModel = value === OTHER_MODEL;
        if (!this.customModel) this.form.model = value;
        this.panel.save();
        this.renderModel();
        this.renderParams();
      }),
      this.customModel
        ? textfield('customModel', 'Model id', this.form.model, (value) => {
            this.form.model = value.trim();
            this.panel.save();
            if (this.form.model) flag(this.modelRow, 'customModel', null);
            this.renderParams();
            const price = this.modelRow.querySelector('.price');
            if (price) price.textContent = priceLine(models.find((m) => m.id === this.form.model));
          }, 'such as gpt-5.4')
        : null,
      h('p', { class: 'price', 'data-stat': 'price' }, priceLine(info)),
    );
  }

  private get rules() {
    return modelParameters(this.form.model, this.panel.data.models);
  }

  private renderParams(): void {
    show(this.paramsRow, paramsTaken(this.rules).map((name) => this.paramControl(name)));
    if (this.attempted) this.refresh(null);
  }

  private paramControl(name: ParamName): HTMLElement {
    const params = this.form.params;
    const rules = this.rules;
    const update = (value: string) => {
      params[name] = value;
      this.panel.save();
      flag(this.paramsRow, name, null);
      if (this.attempted) this.refresh(null);
    };
    if (name === 'reasoningEffort' || name === 'verbosity') {
      const values: readonly string[] = rules[name] ?? [];
      const options = [{ value: '', label: 'Model default' }, ...values.map((v) => ({ value: v, label: v }))];
      return select(name, PARAM_LABELS[name], options, values.includes(params[name]) ? params[name] : '', update);
    }
    const range = rules[name];
    const placeholder = range ? `default (${range.min}–${range.max.toLocaleString('en-US')})` : 'default';
    return textfield(name, PARAM_LABELS[name], params[name], update, placeholder);
  }

  private renderVariables(): void {
    const version = this.chosenVersion();
    const names = version ? templateVariables(version.content) : [];
    const vars = this.form.variables;
    const remembered = this.panel.data.remembered;
    for (const name of names) if (vars[name] === undefined) vars[name] = remembered?.variables[name] ?? '';
    if (this.panel.data.prompt.type === 'system' && !this.form.input) this.form.input = remembered?.input ?? '';
    show(
      this.variablesBox,
      names.length > 0 ? h('h3', null, 'Variables') : h('p', { class: 'hint' }, version ? 'This version has no {{variables}}.' : 'This prompt has no version yet: write it in the editor and save.'),
      names.map((name) => {
        const set = (value: string) => {
          vars[name] = value;
          this.panel.save();
          this.refresh(`var:${name}`);
        };
        return this.withCodeActions(textarea(`var:${name}`, `{{${name}}}`, vars[name] ?? '', set, 2), `var:${name}`, set);
      }),
      this.panel.data.prompt.type === 'system'
        ? (() => {
            const set = (value: string) => {
              this.form.input = value;
              this.panel.save();
              this.refresh('input');
            };
            return this.withCodeActions(textarea('input', 'Input (the user message sent with this system prompt)', this.form.input, set, 4), 'input', set);
          })()
        : null,
    );
    // Only fields the user already met (or all, after a Run) say what they need.
    const { needs } = this.evaluate();
    for (const name of names) this.flagNeed(needs, `var:${name}`);
    if (this.panel.data.prompt.type === 'system') this.flagNeed(needs, 'input');
    if (this.attempted) this.summary.textContent = this.evaluate().problems.join(' ');
  }

  /**
   * Adds "From Selection" and "From File…" under a field: the host reads the editor's selection (of
   * the editor last used, as the panel has the focus) or a workspace file the user picks, and the
   * text fills the field as if typed. A refusal (nothing selected, a file over 1 MB) flags the field.
   */
  private withCodeActions(fieldElement: HTMLElement, field: string, set: (value: string) => void): HTMLElement {
    const source = h('span', { class: 'hint', 'data-source': '' });
    const fill = async (ask: () => Promise<CodeText | null>) => {
      let got: CodeText | null;
      try {
        got = await ask();
      } catch (error) {
        flag(this.variablesBox, field, panelErrorOf(error).message);
        return;
      }
      if (!got) return; // the pick was canceled
      const control = fieldElement.querySelector('[data-field]');
      if (control && 'value' in control) control.value = got.text;
      set(got.text);
      flag(this.variablesBox, field, null);
      source.textContent = `from ${got.from}`;
    };
    const actions = h(
      'div',
      { class: 'var-actions' },
      button('From Selection', () => void fill(() => this.panel.host.request('textFromSelection', {})), { secondary: true, action: 'from-selection', title: 'Use the text selected in the editor' }),
      button('From File…', () => void fill(() => this.panel.host.request('textFromFile', {})), { secondary: true, action: 'from-file', title: 'Use a file of the workspace (at most 1 MB)' }),
      source,
    );
    fieldElement.insertBefore(actions, fieldElement.querySelector('.field-problem'));
    return fieldElement;
  }

  private flagNeed(needs: Map<string, string>, field: string): void {
    flag(this.variablesBox, field, this.attempted || this.touched.has(field) ? (needs.get(field) ?? null) : null);
  }

  /** The user typed in `field` (null: another control changed): flags and summary follow. */
  private refresh(field: string | null): void {
    const evaluation = this.evaluate();
    if (field !== null) {
      this.touched.add(field);
      this.flagNeed(evaluation.needs, field);
    }
    if (this.attempted) this.summary.textContent = evaluation.problems.join(' ');
  }

  /** What stands between the form and a run, without touching the page. */
  private evaluate(): Evaluation {
    const problems: string[] = [];
    const needs = new Map<string, string>();
    const version = this.chosenVersion();
    if (!version) problems.push('The prompt has no version to run yet.');
    const names = version ? templateVariables(version.content) : [];
    const missing = names.filter((name) => !this.form.variables[name]);
    for (const name of missing) needs.set(`var:${name}`, 'Needs a value');
    if (missing.length > 0) problems.push(`Fill in ${missing.map((n) => `{{${n}}}`).join(', ')}.`);
    const isSystem = this.panel.data.prompt.type === 'system';
    if (isSystem && !this.form.input.trim()) {
      needs.set('input', 'A system prompt needs an input to run');
      problems.push('Write the input for this system prompt.');
    }
    const model = this.form.model.trim();
    if (!model) problems.push('Choose a model.');
    const params = parseParams(this.form.params, this.rules);
    if (!params.ok) for (const [name, problem] of Object.entries(params.problems)) problems.push(`${PARAM_LABELS[name as ParamName]} ${problem}.`);
    const request =
      problems.length === 0 && params.ok
        ? {
            promptVersionId: this.form.versionId,
            model,
            params: params.params,
            inputVariables: Object.fromEntries(names.map((name) => [name, this.form.variables[name] ?? ''])),
            input: isSystem ? this.form.input : null,
          }
        : null;
    return { problems, needs, params: params.ok ? {} : params.problems, request };
  }

  /** The request for a run, or what the user must fix first (each field flagged). */
  collect(): FormResult {
    this.attempted = true;
    const evaluation = this.evaluate();
    for (const field of this.variablesBox.querySelectorAll<HTMLElement>('.field[data-for]')) {
      const name = field.dataset.for ?? '';
      flag(this.variablesBox, name, evaluation.needs.get(name) ?? null);
    }
    for (const [name, problem] of Object.entries(evaluation.params)) flag(this.paramsRow, name, problem);
    flag(this.modelRow, 'customModel', this.form.model.trim() ? null : 'Enter a model id');
    this.summary.textContent = evaluation.problems.join(' ');
    return evaluation.request ? { ok: true, request: evaluation.request } : { ok: false, problems: evaluation.problems };
  }

  /** The service refused the run: flag each field it named, in its words. */
  flagRefusal(details: ErrorDetail[]): void {
    for (const detail of details) {
      const variable = /^inputVariables\.(.+)$/.exec(detail.path);
      if (variable) flag(this.variablesBox, `var:${variable[1]}`, detail.message);
      else if (detail.path === 'input') flag(this.variablesBox, 'input', detail.message);
      else if (detail.path.startsWith('params.')) flag(this.paramsRow, detail.path.slice('params.'.length), detail.message);
      else if (detail.path === 'model') flag(this.modelRow, 'customModel', detail.message);
    }
  }

  clearSummary(): void {
    this.summary.textContent = '';
  }
}
