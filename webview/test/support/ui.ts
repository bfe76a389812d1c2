// Acting on the panel the way a user does: choosing an option in a select,
// typing into a field, reading what a field shows. Locators reach into the components' shadow DOM.
// They take a page (the Chromium tests) or a frame (the panel inside VS Code, in the e2e suite).
import type { Frame, Locator, Page } from 'playwright-core';

type Scope = Page | Frame;

export const field = (page: Scope, name: string): Locator => page.locator(`[data-field="${name}"]`);

/** The label of the option a select shows as chosen (its text, without the description after it). */
export async function shown(page: Scope, name: string): Promise<string> {
  return field(page, name).evaluate((select) => (select as unknown as { selectedOptions: ArrayLike<{ dataset: Record<string, string | undefined> }> }).selectedOptions[0]?.dataset.label ?? '');
}

/** Chooses the first option whose text holds `label`, as a user picking it from the list would. */
export async function choose(page: Scope, name: string, label: string): Promise<void> {
  const value = await field(page, name)
    .locator('option')
    .filter({ hasText: label })
    .first()
    .getAttribute('value', { timeout: 10_000 });
  if (value === null) throw new Error(`no option "${label}" in ${name}`);
  await field(page, name).selectOption(value);
}

export async function type(page: Scope, name: string, text: string): Promise<void> {
  await field(page, name).fill(text);
}

export async function valueIn(page: Scope, name: string): Promise<string> {
  return field(page, name).inputValue();
}

/** The sentence flagging a field, or '' when it is not flagged. */
export async function problemOf(page: Scope, name: string): Promise<string> {
  return (await page.locator(`.field[data-for="${name}"] .field-problem`).textContent())?.trim() ?? '';
}

export const action = (page: Scope, name: string): Locator => page.locator(`vscode-button[data-action="${name}"]`);

export async function isDisabled(button: Locator): Promise<boolean> {
  return button.evaluate((b) => b.hasAttribute('disabled'));
}

export async function stat(scope: Scope | Locator, key: string): Promise<string> {
  return ((await scope.locator(`[data-stat="${key}"] dd`).first().textContent()) ?? '').trim();
}

export async function tab(page: Scope, name: 'Run' | 'History' | 'Compare' | 'Cases' | 'Usage'): Promise<void> {
  await page.locator('vscode-tab-header').filter({ hasText: name }).click();
}
