// The Prompts view's everyday actions and the one "prompts changed" event, in a real VS Code
// (code-server) driven in headless Chromium against the real service: a refused password, filter
// and clear filter, rename, readable tabs and breadcrumbs, compare with another version, copy id,
// a version saved in another window (through the REST API, as another window does) reaching the
// tree, an open run panel and a diff title, a restore from the tree reaching the run panel, sign
// out, and the dialog when the service cannot be reached. The steps build on each other (one user
// session), so the suite stops at the first failure.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import type { Prompt, Version } from '../../contract/index.ts';
import { loadConfig } from '../../service/config.ts';
import { startService, type RunningService } from '../../service/server.ts';
import { PromptRefineClient } from '../../extension/api/client.ts';
import { freePort } from '../../extension/test/support/ports.ts';
import { field } from '../../webview/test/support/ui.ts';
import { E2eSuite, screenshotOnFailure } from './support/lifecycle.ts';
import type { Workbench } from './support/workbench.ts';

const EMAIL = 'changes@example.com';
const PASSWORD = 'changes-password';
const TITLE = 'Explain code';
const RENAMED = 'Teach code';
const OTHER = 'Summarize a thread';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('Prompt changes and tree actions in a real VS Code (code-server)', function () {
  this.timeout(120_000);
  const e2e = new E2eSuite('e2e-prompt-changes');
  let root: string;
  let port: number;
  let service: RunningService | undefined;
  let workbench: Workbench;
  /** Another window: its own session on the same service. */
  let elsewhere: PromptRefineClient;
  let elsewhereCookie: string | undefined;
  let prompt: Prompt;
  let v1: Version;
  let panel: Frame;

  const serviceUrl = () => `http://127.0.0.1:${port}`;

  /** The service on the suite's port and database; started again after being stopped, it keeps both. */
  async function start(): Promise<RunningService> {
    return startService(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: String(port),
        PROMPTREFINE_DATA_DIR: join(root, 'database'),
        PROMPTREFINE_EMAIL: EMAIL,
        PROMPTREFINE_PASSWORD: PASSWORD,
        LOG_LEVEL: 'silent',
      }),
    );
  }

  const panelShowsCurrent = (n: number) => field(panel, 'version').locator('option:checked', { hasText: `Current version (v${n})` }).waitFor({ state: 'attached' });

  before(async function () {
    this.timeout(300_000);
    root = await e2e.prepare('promptrefine-e2e-changes-');
    port = await freePort();
    service = await start();
    elsewhere = new PromptRefineClient({ serviceUrl: serviceUrl(), sessionCookie: () => elsewhereCookie });
    elsewhereCookie = (await elsewhere.signIn(EMAIL, PASSWORD)).sessionCookie;
    const created = await elsewhere.createPrompt({ title: TITLE, content: 'Explain {{topic}}.', notes: 'Created' });
    prompt = created;
    v1 = created.currentVersion as Version;
    await elsewhere.createVersion(prompt.id, { content: 'Explain {{topic}} to a {{reader}}.', notes: 'Name the reader' });
    await elsewhere.createPrompt({ title: OTHER, content: 'Summarize {{thread}}.' });
    workbench = await e2e.open({ settings: { 'promptrefine.serviceUrl': serviceUrl() } });
    await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(workbench.page.url()).origin });
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(async function () {
    this.timeout(60_000);
    await e2e.close(service);
  });

  it('shows a refused password as an error in the password box, worded once', async () => {
    await workbench.openActivity('PromptRefine');
    await workbench.runCommand('PromptRefine: Sign In');
    await workbench.answer('Sign In (1/3)', serviceUrl());
    await workbench.answer('Sign In (2/3)', EMAIL);
    await workbench.answer('Sign In (3/3)', 'not the password');

    const box = workbench.quickInput().filter({ hasText: 'Sign In (3/3)' });
    await box.locator('.monaco-inputbox.error').waitFor();
    assert.equal((await box.locator('.quick-input-message').innerText()).trim(), 'Wrong email or password.');
    await workbench.screenshot('01-wrong-password');

    await workbench.answer('Sign In (3/3)', PASSWORD);
    // The status bar, not the passing "Signed in" toast (extension.e2e checks that): a toast can be
    // gone before a loaded machine gets to look for it.
    await workbench.statusBar().getByText(EMAIL).waitFor();
    await workbench.treeRow(TITLE).waitFor();
    await workbench.treeRow(OTHER).waitFor();
  });

  it('filters the prompts and clears the filter', async () => {
    await workbench.runCommand('PromptRefine: Filter Prompts…');
    await workbench.answer('Filter Prompts', 'Summarize');
    await workbench.treeRow(TITLE).waitFor({ state: 'detached' });
    await workbench.treeRow(OTHER).waitFor();
    await workbench.screenshot('02-filtered');

    await workbench.runCommand('PromptRefine: Clear Filter');
    await workbench.treeRow(TITLE).waitFor();
    await workbench.treeRow(OTHER).waitFor();
  });

  it('renames a prompt from the tree', async () => {
    await workbench.contextMenu(workbench.treeRow(TITLE), 'Rename Prompt…');
    await workbench.answer(`Rename "${TITLE}"`, RENAMED);
    await workbench.treeRow(RENAMED).waitFor();
    await workbench.treeRow(TITLE).waitFor({ state: 'detached' });
    assert.equal((await elsewhere.getPrompt(prompt.id)).title, RENAMED);
  });

  it('opens a version with its title and number in the tab and the breadcrumbs, no ids', async () => {
    await workbench.treeRow(RENAMED).click();
    await workbench.treeRow('v2 (current)').waitFor();
    await workbench.treeRow(/^v1/).click();
    await workbench.tab(`${RENAMED} · v1.prompt`).waitFor();
    const breadcrumbs = workbench.page.locator('.editor-group-container.active .breadcrumbs-control');
    await breadcrumbs.getByText(`${RENAMED} · v1.prompt`).waitFor();
    const shown = [await breadcrumbs.innerText(), await workbench.activeTab().innerText()].join(' ');
    assert.doesNotMatch(shown, UUID, 'no raw id where the user reads');
    await workbench.screenshot('03-readable-tab-and-breadcrumbs');
  });

  it('compares a version with another one, older on the left', async () => {
    await workbench.contextMenu(workbench.treeRow(/^v1/), 'Compare with Another Version…');
    await workbench.pick('v2');
    await workbench.tab(`${RENAMED}: v1 ↔ v2`).waitFor();
    const diff = workbench.page.locator('.monaco-diff-editor').first();
    await diff.locator('.editor.modified').getByText('to a {{reader}}').waitFor();
  });

  it('copies a version’s id', async () => {
    await workbench.contextMenu(workbench.treeRow(/^v1/), 'Copy Version Id');
    await workbench.statusBar().getByText(`Copied the id of v1: ${v1.id}`).waitFor();
    assert.equal(await workbench.page.evaluate('navigator.clipboard.readText()'), v1.id);
  });

  it('shows a version saved in another window in the tree, the open run panel and the diff title', async () => {
    await workbench.contextMenu(workbench.treeRow(/^v1/), 'Compare with Current Version');
    await workbench.tab(`${RENAMED}: v1 ↔ current (v2)`).waitFor();
    // The run panel opens beside the diff, so both stay in view.
    await workbench.contextMenu(workbench.treeRow(RENAMED), 'Run Prompt');
    await workbench.tab(`Run: ${RENAMED}`).waitFor();
    panel = await workbench.runPanel();
    await panelShowsCurrent(2);

    const base = await elsewhere.getPrompt(prompt.id);
    const savedAt = Date.now();
    const v3 = await elsewhere.createVersion(prompt.id, { content: 'Explain {{topic}} briefly.', baseVersionId: base.currentVersionId ?? undefined });
    assert.equal(v3.versionNumber, 3);
    await workbench.treeRow('v3 (current)').waitFor();
    await workbench.treeRow(RENAMED).getByText('v3').waitFor();
    await panelShowsCurrent(3);
    // Measured, not asserted (a loaded machine is slower): the issue asks for 2 s.
    console.log(`      (the change reached the tree and the run panel after ${Date.now() - savedAt} ms)`);
    await workbench.tab(`${RENAMED}: v1 ↔ current (v3)`).waitFor();
    // The current version's document (the diff's right side, unmodified) loaded v3.
    await workbench.page.locator('.monaco-diff-editor .editor.modified').getByText('briefly').waitFor();
    await workbench.screenshot('04-saved-elsewhere');
  });

  it('restores a version from the tree: the open run panel shows the new current version', async () => {
    await workbench.contextMenu(workbench.treeRow(/^v1/), 'Restore Version');
    await workbench.notification(`Restored v1 of "${RENAMED}" as the new v4`).waitFor();
    await workbench.treeRow('v4 (current)').waitFor();
    await panelShowsCurrent(4);
    assert.equal(await field(panel, 'var:reader').count(), 0, 'the form has v1’s variables only');
    await field(panel, 'var:topic').waitFor();
    await workbench.tab(`${RENAMED}: v1 ↔ current (v4)`).waitFor();
    await workbench.screenshot('05-restored-from-tree');
  });

  it('signs out: the tree and the status bar say so', async () => {
    await workbench.runCommand('PromptRefine: Sign Out');
    await workbench.notification('Signed out of PromptRefine.').waitFor();
    await workbench.sideBar().getByText('Sign in to your PromptRefine service').waitFor();
    await workbench.statusBar().getByText('PromptRefine: Sign In').waitFor();
    await workbench.treeRow(RENAMED).waitFor({ state: 'detached' });
  });

  it('says when the service cannot be reached, and carries on after Retry once it is back', async () => {
    await workbench.runCommand('PromptRefine: Sign In');
    await workbench.answer('Sign In (1/3)', serviceUrl());
    await workbench.answer('Sign In (2/3)', EMAIL);
    await workbench.answer('Sign In (3/3)', PASSWORD);
    await workbench.treeRow(RENAMED).waitFor();

    await service?.close();
    service = undefined;
    // At once, right after signing in: the error is the second notification within a moment (VS
    // Code toasts at most three in 800 ms; Sign In used to put up three by itself).
    await workbench.runCommand('PromptRefine: Open Prompt');
    const unreachable = workbench.notification(`Cannot reach the PromptRefine service at ${serviceUrl()}`);
    await unreachable.waitFor();
    assert.match(await unreachable.innerText(), /Is it running\?/);
    await unreachable.locator('.monaco-button', { hasText: 'Open Settings' }).waitFor();
    await workbench.sideBar().getByText('The PromptRefine service cannot be reached').waitFor();
    await workbench.screenshot('06-unreachable');

    service = await start();
    await unreachable.locator('.monaco-button', { hasText: 'Retry' }).click();
    // The same action carries on: Open Prompt opens the prompt of the active editor (the diff's right side).
    await workbench.tab(`${RENAMED} · current.prompt`).waitFor();
    await workbench.sideBar().getByText('The PromptRefine service cannot be reached').waitFor({ state: 'detached' });
    await workbench.treeRow(RENAMED).waitFor();
  });
});
