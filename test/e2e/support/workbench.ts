// Drives the VS Code workbench in Chromium the way a person does: the command palette, quick
// inputs, the tree, the editor, notifications and dialogs. Selectors are VS Code's own classes and
// accessible labels; nothing here reaches into the extension.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly artifacts: string,
  ) {}

  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.statusBar().waitFor();
  }

  /**
   * The frame the run panel's page lives in (webviews nest two iframes deep). A revive after Reload
   * Window rebuilds the workbench and the webview, which took over 30 s on a loaded 2-core
   * machine: the bound is generous, and a panel that never comes still fails.
   */
  async runPanel(): Promise<Frame> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (await frame.locator('[data-field="version"]').count().catch(() => 0)) return frame;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error('the run panel did not show');
  }

  async screenshot(name: string): Promise<string> {
    await mkdir(this.artifacts, { recursive: true });
    const path = join(this.artifacts, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  statusBar(): Locator {
    return this.page.locator('.part.statusbar');
  }

  sideBar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  async openActivity(label: string): Promise<void> {
    await this.page.locator(`.activitybar a[aria-label="${label}"]`).first().click();
  }

  treeRow(text: string | RegExp): Locator {
    return this.sideBar().locator('.monaco-list-row', { hasText: text });
  }

  /** Right-clicks `row` and chooses `item` from its context menu (pointing at it, then Enter). */
  async contextMenu(row: Locator, item: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    // A row's tooltip, shown because the pointer rested on a neighbour (say after the tree redrew
    // itself beneath it), would take the click: move the pointer off the rows and let it go.
    const view = await this.sideBar().boundingBox();
    if (view) await this.page.mouse.move(view.x + view.width / 2, view.y + 8);
    await this.page.locator('.context-view .hover-contents').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await row.click({ button: 'right' });
    const entry = menu.locator('.action-item', { hasText: item });
    await entry.hover();
    // VS Code's menu ignores a click that comes right after it opened; the keyboard is reliable.
    await menu.locator('.focused', { hasText: item }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** F1, the command's title, Enter: as typed in the palette. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput().locator('input.input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const rows = this.quickInput().locator('.monaco-list-row', { hasText: title });
    await rows.first().waitFor();
    // Several commands can start with the same words ("New Prompt", "New Prompt…", "New Prompt from
    // Template…"): run the one whose label is exactly the title. Enter when it is ranked first (a
    // click can miss a row that the palette redraws as a context key changes); else click it.
    const exact = (label: string | null) => label === title || (label ?? '').startsWith(`${title},`);
    const all = await rows.all();
    const index = (await Promise.all(all.map((row) => row.getAttribute('aria-label')))).findIndex(exact);
    if (index > 0) await (all[index] as Locator).click();
    else await this.page.keyboard.press('Enter');
  }

  /** Waits for a quick input that shows `title` (its title or prompt), types `value`, presses Enter and waits until it is dealt with. */
  async answer(title: string, value: string): Promise<void> {
    const widget = this.quickInput().filter({ hasText: title });
    await widget.waitFor();
    await widget.locator('input.input').fill(value);
    await this.page.keyboard.press('Enter');
    // Taken, the box closes (after staying open, busy, while the service is asked); refused, it says
    // why in red (in the same box, or in the box opened again).
    await Promise.race([widget.waitFor({ state: 'hidden' }), widget.locator('.monaco-inputbox.error').waitFor()]).catch(() => undefined);
  }

  /** Runs PromptRefine: Sign In and answers its three steps: the service's URL, the email, the password. */
  async signIn(serviceUrl: string, email: string, password: string): Promise<void> {
    await this.runCommand('PromptRefine: Sign In');
    await this.answer('Sign In (1/3)', serviceUrl);
    await this.answer('Sign In (2/3)', email);
    await this.answer('Sign In (3/3)', password);
  }

  /** The value a quick input shows when it opens (a prefilled setting, a suggested email). */
  async inputValue(title: string): Promise<string> {
    const widget = this.quickInput().filter({ hasText: title });
    await widget.waitFor();
    return widget.locator('input.input').inputValue();
  }

  /** In an open quick pick: types to narrow it, then chooses the row labelled `label`. */
  async pick(label: string): Promise<void> {
    const input = this.quickInput().locator('input.input');
    await input.waitFor();
    await input.fill(label);
    await this.quickInput().locator('.monaco-list-row', { hasText: label }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }

  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  activeTab(): Locator {
    return this.page.locator('.tabs-container .tab.active');
  }

  tab(text: string): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: text });
  }

  /** The text of the active editor as the user sees it. */
  async editorText(editor: Locator = this.page.locator('.editor-instance .monaco-editor').first()): Promise<string> {
    const lines = await editor.locator('.view-lines .view-line').evaluateAll((nodes) =>
      nodes
        .map((node) => ({ top: parseFloat(/top:\s*([\d.]+)px/.exec(node.getAttribute('style') ?? '')?.[1] ?? '0'), text: node.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text),
    );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }
}

const CHROMIUM_ARGS = ['--window-size=1280,760', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Debian's Chromium, headless, in a real window (no viewport emulation), showing the workbench at
 * `url`. With `profile`, the browser keeps its storage in that folder (VS Code for the web keeps
 * secret storage there), so a workbench opened again later finds its sessions as a desktop one would.
 */
export async function openWorkbench(
  chromiumPath: string,
  url: string,
  artifacts: string,
  profile?: string,
): Promise<{ browser: Browser | BrowserContext; workbench: Workbench }> {
  const browser = profile
    ? await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: CHROMIUM_ARGS, viewport: null })
    : await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    return { browser, workbench: await openWindow(browser, url, artifacts) };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Another workbench window in the same browser (so the same storage), as a second VS Code window. */
export async function openWindow(browser: Browser | BrowserContext, url: string, artifacts: string): Promise<Workbench> {
  const page = await browser.newPage({ viewport: null });
  page.setDefaultTimeout(30_000);
  const workbench = new Workbench(page, artifacts);
  await page.goto(url);
  await workbench.waitUntilReady();
  return workbench;
}
