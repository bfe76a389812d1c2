// One test case being added or edited: its name, a value per `{{variable}}` of the current version
// (and any other the case already holds), the input of a system prompt, and its expectations. What
// the user typed stays in the fields whatever the answer: a refusal from the service is shown next
// to the field it names (a regex that could take exponential time next to that expectation), and
// anything it does not tie to a field above the Save button.
import type { ErrorDetail, TestCase } from '../contract/index.ts';
import { button, errorBox, flag, textarea, textfield } from './controls.ts';
import { h, show } from './dom.ts';
import { ExpectationEditor } from './expectation-editor.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';
import type { CaseFields } from './protocol.ts';
import { variableNames } from './run-form.ts';

export class CaseEditor {
  readonly element: HTMLElement;
  private readonly fields = h('div', { class: 'case-fields' });
  private readonly problem = h('div', { class: 'case-problem' });
  private readonly actions = h('div', { class: 'actions' });
  private readonly expectations: ExpectationEditor;
  private readonly draft: { name: string; variables: Record<string, string>; input: string };
  private saving = false;

  constructor(
    private readonly panel: Panel,
    /** null: a new case. */
    private readonly existing: TestCase | null,
    private readonly done: (saved: TestCase | null) => void,
  ) {
    this.draft = { name: existing?.name ?? '', variables: { ...(existing?.inputVariables ?? {}) }, input: existing?.input ?? '' };
    this.expectations = new ExpectationEditor(existing?.expectations ?? []);
    this.element = h(
      'section',
      { class: 'case-editor', 'aria-label': existing ? `Edit case ${existing.name}` : 'New case', 'data-editing': existing?.id ?? 'new' },
      h('h3', null, existing ? `Edit “${existing.name}”` : 'New case'),
      this.fields,
      this.expectations.element,
      this.problem,
      this.actions,
    );
    this.renderFields();
    this.renderActions();
  }

  private renderFields(): void {
    const current = variableNames(this.panel.data.prompt.currentVersion);
    const extra = Object.keys(this.draft.variables).filter((name) => !current.includes(name));
    const vars = this.draft.variables;
    const variable = (name: string, note: string) =>
      textarea(`case-var:${name}`, `{{${name}}}${note}`, vars[name] ?? '', (value) => {
        vars[name] = value;
        flag(this.fields, `case-var:${name}`, null);
      }, 2);
    show(
      this.fields,
      textfield('case-name', 'Name', this.draft.name, (value) => {
        this.draft.name = value;
        flag(this.fields, 'case-name', null);
      }, 'such as “empty diff”'),
      current.length + extra.length > 0 ? h('h4', null, 'Variables') : h('p', { class: 'hint' }, 'The current version has no {{variables}}.'),
      current.map((name) => variable(name, '')),
      extra.map((name) => variable(name, ' (not in the current version)')),
      this.panel.data.prompt.type === 'system'
        ? textarea('case-input', 'Input (the user message sent with this system prompt)', this.draft.input, (value) => {
            this.draft.input = value;
            flag(this.fields, 'case-input', null);
          }, 4)
        : null,
    );
  }

  private renderActions(): void {
    const save = button(this.saving ? 'Saving…' : 'Save Case', () => void this.save(), { action: 'save-case' });
    if (this.saving) save.setAttribute('disabled', '');
    show(this.actions, save, button('Cancel', () => this.done(null), { secondary: true, action: 'cancel-case' }));
  }

  private collect(): CaseFields | null {
    const expectations = this.expectations.collect();
    const name = this.draft.name.trim();
    flag(this.fields, 'case-name', name ? null : 'Give the case a name');
    if (!name || !expectations) return null;
    const isSystem = this.panel.data.prompt.type === 'system';
    // Every variable of the current version is sent, an untouched one as empty text: a case may
    // well be about an empty value, and the batch runs it as shown here.
    const inputVariables = { ...Object.fromEntries(variableNames(this.panel.data.prompt.currentVersion).map((n) => [n, ''])), ...this.draft.variables };
    return { name, inputVariables, input: isSystem ? this.draft.input : null, expectations };
  }

  async save(): Promise<void> {
    if (this.saving) return;
    show(this.problem);
    const fields = this.collect();
    if (!fields) return;
    this.saving = true;
    this.renderActions();
    try {
      const saved = this.existing
        ? await this.panel.host.request('updateCase', { caseId: this.existing.id, ...fields })
        : await this.panel.host.request('createCase', fields);
      this.done(saved);
    } catch (error) {
      const problem = panelErrorOf(error);
      const unplaced = problem.kind === 'invalid' ? problem.details.filter((d) => !this.place(d)) : problem.details;
      if (problem.kind !== 'invalid' || unplaced.length > 0) show(this.problem, errorBox({ ...problem, details: unplaced }, this.panel.errorActions(() => void this.save())));
      else show(this.problem, h('p', { class: 'form-summary', role: 'alert' }, 'The service refused the case: see the flagged fields.'));
    } finally {
      this.saving = false;
      this.renderActions();
    }
  }

  /** Flags the field a refusal names; false when it names none shown here. */
  private place(detail: ErrorDetail): boolean {
    const expectation = /^expectations\.(\d+)(\..*)?$/.exec(detail.path);
    if (expectation) return this.expectations.flagRow(Number(expectation[1]), detail.message);
    const variable = /^inputVariables\.(.+)$/.exec(detail.path);
    const field = variable ? `case-var:${variable[1]}` : detail.path === 'name' ? 'case-name' : detail.path === 'input' ? 'case-input' : null;
    if (!field || !this.fields.querySelector(`.field[data-for="${CSS.escape(field)}"]`)) return false;
    flag(this.fields, field, detail.message);
    return true;
  }
}
