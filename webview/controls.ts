// Form controls, built on @vscode-elements where the browser has no equal, wired to plain callbacks, plus the error box every view
// uses. Each control carries a `data-field` so styles, tests and validation flags can find it.
import type { PanelError } from './protocol.ts';
import { h } from './dom.ts';

export interface Option {
  value: string;
  label: string;
  description?: string;
}

/**
 * A native `<select>` in VS Code's dropdown colours. Not @vscode-elements' single-select: that one
 * brings its own list, scrolling and icon components, about 50 KB of the bundle, for a control the
 * browser already draws accessibly. An option's description follows its label.
 */
export function select(field: string, label: string, options: Option[], value: string, onChange: (value: string) => void): HTMLElement {
  const control = h(
    'select',
    { id: `field-${field}`, class: 'select', 'data-field': field, 'aria-label': label },
    options.map((o) => h('option', { value: o.value, title: o.description, 'data-label': o.label, selected: o.value === value }, o.description ? `${o.label} — ${o.description}` : o.label)),
  );
  control.addEventListener('change', () => onChange(control.value));
  return labelled(field, label, control);
}

// Text fields are the browser's own <input> and <textarea> in VS Code's input colours, as selects
// are: @vscode-elements' versions cost the bundle 10 KB (with the issue's 150 KB budget to keep).
export function textfield(field: string, label: string, value: string, onInput: (value: string) => void, placeholder = ''): HTMLElement {
  const control = h('input', { type: 'text', id: `field-${field}`, class: 'text-input', 'data-field': field, value, placeholder, 'aria-label': label });
  control.addEventListener('input', () => onInput(control.value));
  return labelled(field, label, control);
}

export function textarea(field: string, label: string, value: string, onInput: (value: string) => void, rows = 3): HTMLElement {
  const control = h('textarea', { id: `field-${field}`, class: 'text-input', 'data-field': field, rows, 'aria-label': label });
  control.value = value;
  control.addEventListener('input', () => onInput(control.value));
  return labelled(field, label, control);
}

export function button(label: string, onClick: () => void, options: { secondary?: boolean; action?: string; title?: string } = {}): HTMLElement {
  return h('vscode-button', { secondary: options.secondary, 'data-action': options.action ?? label, title: options.title, onclick: onClick }, label);
}

function labelled(field: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field', 'data-for': field }, h('label', { for: `field-${field}` }, label), control, h('div', { class: 'field-problem', role: 'alert' }));
}

/** Marks a field as needing attention with a sentence, or clears it. */
export function flag(container: ParentNode, field: string, problem: string | null): void {
  const wrapper = container.querySelector(`.field[data-for="${CSS.escape(field)}"]`);
  if (!wrapper) return;
  wrapper.classList.toggle('flagged', problem !== null);
  const control = wrapper.querySelector('[data-field]');
  if (control && 'invalid' in control) control.invalid = problem !== null;
  else if (control) control.toggleAttribute('aria-invalid', problem !== null);
  const text = wrapper.querySelector('.field-problem');
  if (text) text.textContent = problem ?? '';
}

export interface ErrorActions {
  retry?: () => void;
  signIn: () => void;
  openSettings: () => void;
}

const NEXT_STEP: Record<PanelError['kind'], string> = {
  expired: 'Your session has expired: sign in again, then retry.',
  unreachable: 'Is the service running (`npm start`)? Start it or fix the URL in the settings, then retry.',
  invalid: 'Fix what is named above and try again.',
  notFound: 'It may have been deleted: refresh the Prompts view.',
  other: 'Retry; if it keeps failing, the service log says more.',
};

/** A failure the user can act on: the message as the service words it, then what to do. */
export function errorBox(error: PanelError, actions: ErrorActions): HTMLElement {
  const buttons: HTMLElement[] = [];
  if (error.kind === 'expired') buttons.push(button('Sign In', actions.signIn, { action: 'sign-in' }));
  if (error.kind === 'unreachable') buttons.push(button('Open Settings', actions.openSettings, { secondary: true, action: 'open-settings' }));
  if (actions.retry) buttons.push(button('Retry', actions.retry, { secondary: error.kind === 'expired', action: 'retry' }));
  return h(
    'div',
    { class: 'error-box', role: 'alert' },
    h('p', { class: 'error-message' }, error.message),
    error.details.length > 0 ? h('ul', null, error.details.map((d) => h('li', null, d.path ? `${d.path}: ${d.message}` : d.message))) : null,
    h('p', { class: 'error-next' }, NEXT_STEP[error.kind]),
    buttons.length > 0 ? h('div', { class: 'actions' }, buttons) : null,
  );
}
