// The run form: version, model (with its price), the parameters that apply to that model, a field
// per template variable of the chosen version, and the input of a system prompt. It flags what is
// missing before anything is sent, and flags what the service refused by the field it names.
import { REASONING_EFFORTS, VERBOSITIES, templateVariables, type ErrorDetail, type Version } from '../contract/index.ts';
import { button, flag, select, textarea, textfield, type Option } from './controls.ts';
import { h, show } from './dom.ts';
import { priceLine, when } from './format.ts';
import type { Panel } from './panel.ts';
import { PARAM_LABELS, PARAM_NAMES, applicableParams, paramInputsOf, parseParams, type ParamName } from './params.ts';
import type { RequestParams } from './protocol.ts';

const CURRENT = 'current';
const OLDER = '__older';
const OTHER_MODEL = '__other';

export type FormResult = { ok: true; request: RequestParams<'startRun'> } | { ok: false; problems: string[] };

export class RunForm {
  readonly element = h('section', { class: 'run-form', 'aria-label': 'Run settings' });
  private readonly versionRow = h('div', { class: 'row' });
  private readonly modelRow = h('div', { class: 'row' });
  private readonly paramsRow = h('div', { class: 'row params' });
  private readonly variablesBox = h('div', { class: 'variables' });
  private readonly summary = h('p', { class: 'form-summary', role: 'status' });
  private customModel = false;

  constructor(private readonly panel: Panel) {
    this.element.append(this.versionRow, this.modelRow, this.paramsRow, this.variablesBox, this.summary);
  }

  private get form() {
    return this.panel.state.form;
  }

  render(): void {
    const { data } = this.panel;
    if (!this.form.model) {
      // A fresh panel starts from what this prompt last ran with.
      this.form.model = data.remembered?.model ?? data.models[0]?.id ?? '';
      if (data.remembered) this.form.params = paramInputsOf(data.remembered.params);
    }
    this.customModel = this.customModel || !data.models.some((m) => m.id === this.form.model);
    this.renderVersion();
    this.renderModel();
    this.renderParams();
    this.renderVariables();
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
            this.renderParams();
            const price = this.modelRow.querySelector('.price');
            if (price) price.textContent = priceLine(models.find((m) => m.id === this.form.model));
          }, 'such as gpt-5.4')
        : null,
      h('p', { class: 'price', 'data-stat': 'price' }, priceLine(info)),
    );
  }

  private renderParams(): void {
    const applicable = applicableParams(this.form.model);
    const shown = PARAM_NAMES.filter((name) => applicable.has(name));
    show(this.paramsRow, shown.map((name) => this.paramControl(name)));
  }

  private paramControl(name: ParamName): HTMLElement {
    const params = this.form.params;
    const update = (value: string) => {
      params[name] = value;
      this.panel.save();
      flag(this.paramsRow, name, null);
    };
    if (name === 'reasoningEffort' || name === 'verbosity') {
      const values = name === 'reasoningEffort' ? REASONING_EFFORTS : VERBOSITIES;
      const options = [{ value: '', label: 'Model default' }, ...values.map((v) => ({ value: v, label: v }))];
      return select(name, PARAM_LABELS[name], options, params[name], update);
    }
    return textfield(name, PARAM_LABELS[name], params[name], update, 'default');
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
      names.map((name) =>
        textarea(`var:${name}`, `{{${name}}}`, vars[name] ?? '', (value) => {
          vars[name] = value;
          this.panel.save();
          flag(this.variablesBox, `var:${name}`, value ? null : 'Needs a value');
        }, 2),
      ),
      this.panel.data.prompt.type === 'system'
        ? textarea('input', 'Input (the user message sent with this system prompt)', this.form.input, (value) => {
            this.form.input = value;
            this.panel.save();
            flag(this.variablesBox, 'input', value.trim() ? null : 'A system prompt needs an input to run');
          }, 4)
        : null,
    );
    // Flag at once what is empty, so the form says what a run needs before it is tried.
    for (const name of names) flag(this.variablesBox, `var:${name}`, vars[name] ? null : 'Needs a value');
    if (this.panel.data.prompt.type === 'system') flag(this.variablesBox, 'input', this.form.input.trim() ? null : 'A system prompt needs an input to run');
  }

  /** The request for a run, or what the user must fix first (each field flagged). */
  collect(): FormResult {
    const problems: string[] = [];
    const version = this.chosenVersion();
    if (!version) problems.push('The prompt has no version to run yet.');
    const names = version ? templateVariables(version.content) : [];
    const missing = names.filter((name) => !this.form.variables[name]);
    for (const name of missing) flag(this.variablesBox, `var:${name}`, 'Needs a value');
    if (missing.length > 0) problems.push(`Fill in ${missing.map((n) => `{{${n}}}`).join(', ')}.`);
    const isSystem = this.panel.data.prompt.type === 'system';
    if (isSystem && !this.form.input.trim()) problems.push('Write the input for this system prompt.');
    const model = this.form.model.trim();
    if (!model) {
      problems.push('Choose a model.');
      flag(this.modelRow, 'customModel', 'Enter a model id');
    }
    const params = parseParams(this.form.params, model);
    if (!params.ok) {
      for (const [name, problem] of Object.entries(params.problems)) {
        flag(this.paramsRow, name, problem);
        problems.push(`${PARAM_LABELS[name as ParamName]} ${problem}.`);
      }
    }
    this.summary.textContent = problems.join(' ');
    if (problems.length > 0 || !params.ok) return { ok: false, problems };
    const inputVariables = Object.fromEntries(names.map((name) => [name, this.form.variables[name] ?? '']));
    return {
      ok: true,
      request: { promptVersionId: this.form.versionId, model, params: params.params, inputVariables, input: isSystem ? this.form.input : null },
    };
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
