// Acting on the panel the way a user does: clicking a select open and an option in its list,
// typing into a field, reading what a field shows. Locators reach into the components' shadow DOM.
// They take a page (the Chromium tests) or a frame (the panel inside VS Code, in the e2e suite).
import type { Frame, Locator, Page } from 'playwright-core';

type Scope = Page | Frame;

export const field = (page: Scope, name: string): Locator => page.locator(`[data-field="${name}"]`);

/** The text a select shows as chosen. */
export async function shown(page: Scope, name: string): Promise<string> {
  return (await field(page, name).locator('span.text').first().textContent())?.trim() ?? '';
}

export async function choose(page: Scope, name: string, label: string): Promise<void> {
  await field(page, name).click();
  await field(page, name).locator('li[role="option"]').filter({ hasText: label }).first().click();
}

export async function type(page: Scope, name: string, text: string): Promise<void> {
  await field(page, name).locator('input, textarea').first().fill(text);
}

export async function valueIn(page: Scope, name: string): Promise<string> {
  return field(page, name).locator('input, textarea').first().inputValue();
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

export async function tab(page: Scope, name: 'Run' | 'History' | 'Compare' | 'Usage' | 'Batch'): Promise<void> {
  await page.locator('vscode-tab-header').filter({ hasText: name }).click();
}
