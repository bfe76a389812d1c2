// The Cases tab: the prompt's test cases (loaded each time the tab is shown, so a case saved from
// History or elsewhere is there), each with its variables, input and expectations; Add Case, and
// per case Edit (in place) and Delete (asked again here, in the page: a webview has no confirm()).
// One case is edited at a time (the other buttons step aside meanwhile), so what is being typed is
// never swept away by another form.
//
// Batch runs (Run all, the results grid) plug in through `slots`: `toolbar` sits beside Add Case,
// `below` under the list. This tab puts nothing in them.
import type { TestCase } from '../contract/index.ts';
import { CaseEditor } from './case-editor.ts';
import { button, errorBox } from './controls.ts';
import { h, show } from './dom.ts';
import { describeExpectation } from './expectations.ts';
import { count, when } from './format.ts';
import { panelErrorOf } from './host.ts';
import type { Panel } from './panel.ts';

/** Where the batch UI goes: beside Add Case, and below the case list. */
export interface CasesSlots {
  readonly toolbar: HTMLElement;
  readonly below: HTMLElement;
}

const PREVIEW_CHARS = 160;

export class CasesView {
  readonly element = h('div', { class: 'cases-view' });
  readonly slots: CasesSlots = {
    toolbar: h('div', { class: 'field-actions', 'data-slot': 'cases-toolbar' }),
    below: h('div', { class: 'cases-below', 'data-slot': 'cases-below' }),
  };
  private readonly toolbar = h('div', { class: 'actions cases-toolbar' });
  private readonly newCase = h('div', { class: 'new-case' });
  private readonly list = h('div', { class: 'case-list' });
  private cases: TestCase[] = [];
  private loaded = false;
  /** The open editor: 'new', a case id, or null. */
  private editing: string | null = null;
  private editor: CaseEditor | null = null;
  private confirming: string | null = null;
  private readonly listeners = new Set<(cases: readonly TestCase[]) => void>();

  constructor(private readonly panel: Panel) {
    this.element.append(this.toolbar, this.newCase, this.list, this.slots.below);
    this.renderToolbar();
  }

  /** The cases as last loaded (for the batch UI). */
  get current(): readonly TestCase[] {
    return this.cases;
  }

  /** Told whenever the list changes (loaded, added, edited, deleted). */
  onChange(listener: (cases: readonly TestCase[]) => void): void {
    this.listeners.add(listener);
  }

  /** Shown: loads the cases again, unless a case is being edited (its fields are kept as typed). */
  async activate(): Promise<void> {
    if (this.editing !== null && this.loaded) return;
    if (!this.loaded) show(this.list, h('p', { class: 'hint' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), ' Loading cases…'));
    try {
      this.cases = (await this.panel.host.request('listCases', {})).items;
      this.loaded = true;
    } catch (error) {
      show(this.list, errorBox(panelErrorOf(error), this.panel.errorActions(() => void this.activate())));
      return;
    }
    this.changed();
  }

  private changed(): void {
    this.renderToolbar();
    this.renderList();
    for (const listener of this.listeners) listener(this.cases);
  }

  private renderToolbar(): void {
    // Hidden rather than disabled while a case is edited: a greyed button would be text too faint
    // to read, and the open form is what to finish first.
    const add = this.editing === null ? button('Add Case', () => this.edit('new'), { action: 'add-case', title: 'A new test case: variables, input and what the output should satisfy' }) : null;
    show(this.toolbar, add, this.slots.toolbar);
  }

  private edit(target: string | null): void {
    this.editing = target;
    this.confirming = null;
    const existing = target && target !== 'new' ? (this.cases.find((c) => c.id === target) ?? null) : null;
    this.editor = target === null ? null : new CaseEditor(this.panel, existing, (saved) => this.finishEdit(saved));
    show(this.newCase, target === 'new' && this.editor ? this.editor.element : null);
    this.renderToolbar();
    this.renderList();
    this.editor?.element.querySelector<HTMLElement>('[data-field="case-name"]')?.focus();
  }

  private finishEdit(saved: TestCase | null): void {
    if (saved) {
      const at = this.cases.findIndex((c) => c.id === saved.id);
      if (at >= 0) this.cases[at] = saved;
      else this.cases.unshift(saved);
    }
    this.editing = null;
    this.editor = null;
    show(this.newCase);
    this.changed();
  }

  private renderList(): void {
    if (!this.loaded) return;
    if (this.cases.length === 0) {
      show(this.list, h('p', { class: 'hint empty-cases' }, 'No test cases yet. Add one, or save a run as a case from History (Save as Case).'));
      return;
    }
    show(
      this.list,
      h('p', { class: 'hint' }, count(this.cases.length, 'case')),
      this.cases.map((c) => (this.editing === c.id && this.editor ? h('div', { class: 'case', 'data-case-id': c.id }, this.editor.element) : this.card(c))),
    );
  }

  private card(c: TestCase): HTMLElement {
    const vars = Object.entries(c.inputVariables);
    // While another case is edited, the others offer nothing (one form at a time).
    const actions =
      this.editing !== null
        ? null
        : h(
            'div',
            { class: 'actions' },
            button('Edit', () => this.edit(c.id), { secondary: true, action: 'edit-case' }),
            button('Delete', () => {
              this.confirming = c.id;
              this.renderList();
            }, { secondary: true, action: 'delete-case' }),
          );
    return h(
      'section',
      { class: 'case', 'data-case-id': c.id, 'aria-label': `Case ${c.name}` },
      h('h3', { class: 'case-name' }, c.name),
      h('p', { class: 'hint' }, `Changed ${when(c.updatedAt)}`),
      vars.length > 0 || c.input !== null
        ? h(
            'dl',
            { class: 'case-values' },
            vars.map(([name, value]) => h('div', null, h('dt', null, `{{${name}}}`), h('dd', null, preview(value)))),
            c.input !== null ? h('div', null, h('dt', null, 'Input'), h('dd', null, preview(c.input))) : null,
          )
        : null,
      c.expectations.length > 0
        ? h('ul', { class: 'case-expectations' }, c.expectations.map((e) => h('li', null, describeExpectation(e))))
        : h('p', { class: 'hint' }, 'No expectations.'),
      this.confirming === c.id ? this.confirmDelete(c) : actions,
    );
  }

  private confirmDelete(c: TestCase): HTMLElement {
    const problem = h('div');
    const box = h(
      'div',
      { class: 'notice confirm', role: 'alertdialog', 'aria-label': `Delete case ${c.name}?` },
      h('p', null, `Delete the case “${c.name}”? The runs and batch results that used it stay.`),
      h(
        'div',
        { class: 'actions' },
        button('Delete Case', () => void this.remove(c, problem), { action: 'confirm-delete' }),
        button('Keep It', () => {
          this.confirming = null;
          this.renderList();
        }, { secondary: true, action: 'cancel-delete' }),
      ),
      problem,
    );
    queueMicrotask(() => box.querySelector<HTMLElement>('[data-action="cancel-delete"]')?.focus());
    return box;
  }

  private async remove(c: TestCase, problem: HTMLElement): Promise<void> {
    try {
      await this.panel.host.request('deleteCase', { caseId: c.id });
    } catch (error) {
      const e = panelErrorOf(error);
      // Already gone (deleted elsewhere): what the user wanted.
      if (e.kind !== 'notFound') {
        show(problem, errorBox(e, this.panel.errorActions(() => void this.remove(c, problem))));
        return;
      }
    }
    this.cases = this.cases.filter((x) => x.id !== c.id);
    this.confirming = null;
    this.changed();
  }
}

function preview(text: string): string {
  const line = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return line === '' ? '(empty)' : line;
}
