// A case's expectations edited in place: one row per expectation (its kind, its value, Remove) and
// Add Expectation. The rows are the editor's own copy of what was typed, so a refusal from the
// service (flagged by row) or a redraw loses nothing. Field names: `exp-<i>-kind`, `exp-<i>-value`.
import type { Expectation } from '../contract/index.ts';
import { button, flag, select, textfield } from './controls.ts';
import { h, show } from './dom.ts';
import { KINDS, KIND_LABELS, isNumeric, parseRow, rowOf, withKind, type ExpectationRow } from './expectations.ts';
import type { ExpectationDraft } from './protocol.ts';

/** The service takes at most this many per case. */
const MAX_EXPECTATIONS = 20;

export class ExpectationEditor {
  readonly element = h('div', { class: 'expectations-editor' });
  private readonly rowsBox = h('div', { class: 'expectation-rows' });
  private readonly rows: ExpectationRow[];

  constructor(expectations: Expectation[]) {
    this.rows = expectations.map(rowOf);
    this.element.append(h('h4', null, 'Expectations'), this.rowsBox);
    this.render();
  }

  private render(): void {
    show(
      this.rowsBox,
      this.rows.length === 0 ? h('p', { class: 'hint' }, 'No expectations: a batch run records the output without checking it.') : null,
      this.rows.map((row, i) => this.rowElement(row, i)),
      h(
        'div',
        { class: 'actions' },
        this.rows.length < MAX_EXPECTATIONS
          ? button('Add Expectation', () => {
              this.rows.push({ kind: 'contains', text: '' });
              this.render();
              this.rowsBox.querySelector<HTMLElement>(`[data-field="exp-${this.rows.length - 1}-value"]`)?.focus();
            }, { secondary: true, action: 'add-expectation' })
          : h('span', { class: 'hint' }, `At most ${MAX_EXPECTATIONS} expectations.`),
      ),
    );
  }

  private rowElement(row: ExpectationRow, i: number): HTMLElement {
    const kind = select(`exp-${i}-kind`, `Expectation ${i + 1}`, KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })), row.kind, (value) => {
      const next = KINDS.find((k) => k === value);
      if (!next) return;
      this.rows[i] = withKind(row, next);
      this.render();
    });
    const valueField = `exp-${i}-value`;
    const value =
      row.kind === 'jsonValid'
        ? select(valueField, 'Value', [{ value: 'true', label: 'yes' }, { value: 'false', label: 'no (the output is not JSON)' }], row.text, (v) => {
            row.text = v;
          })
        : textfield(valueField, 'Value', row.text, (v) => {
            row.text = v;
            flag(this.rowsBox, valueField, null);
          }, placeholderOf(row));
    return h(
      'div',
      { class: 'row expectation', 'data-expectation': i },
      kind,
      value,
      h('div', { class: 'field-actions' }, button('Remove', () => {
        this.rows.splice(i, 1);
        this.render();
      }, { secondary: true, action: 'remove-expectation', title: `Remove expectation ${i + 1}` })),
    );
  }

  /** The expectations to send, or null after flagging every row the browser can tell is wrong. */
  collect(): ExpectationDraft[] | null {
    const out: ExpectationDraft[] = [];
    let ok = true;
    this.rows.forEach((row, i) => {
      const parsed = parseRow(row);
      flag(this.rowsBox, `exp-${i}-value`, parsed.ok ? null : parsed.problem);
      if (parsed.ok) out.push(parsed.expectation);
      else ok = false;
    });
    return ok ? out : null;
  }

  /** The service refused row `index`: its words next to the row's value. */
  flagRow(index: number, problem: string): boolean {
    const field = `exp-${index}-value`;
    if (!this.rowsBox.querySelector(`.field[data-for="${field}"]`)) return false;
    flag(this.rowsBox, field, problem);
    return true;
  }
}

function placeholderOf(row: ExpectationRow): string {
  if (row.kind === 'regex') return 'such as ^LGTM or /error/i';
  if (row.kind === 'maxCostUsd') return 'such as 0.01';
  if (isNumeric(row.kind)) return 'a number';
  return 'text';
}
