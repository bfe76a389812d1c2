// The extension in a real VS Code (code-server) driven in headless Chromium, against the real
// service on a fresh database. Each step asserts what the user sees and what the service holds.
// The steps build on each other (one user session), so the suite stops at the first failure.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Prompt, Version } from '../../contract/index.ts';
import { loadConfig } from '../../service/config.ts';
import { startService, type RunningService } from '../../service/server.ts';
import { destroyAllSessions } from '../../service/auth/session-store.ts';
import { PromptRefineClient } from '../../extension/api/client.ts';
import { E2eSuite, REPO, screenshotOnFailure } from './support/lifecycle.ts';
import type { Workbench } from './support/workbench.ts';

const run = promisify(execFile);
const EMAIL = 'e2e@example.com';
const PASSWORD = 'e2e-password';
const TITLE = 'Review a diff';
const DRAFT = 'Review this diff as a senior engineer:\n{{diff}}';
const EDIT = 'Answer in {{language}}.';

describe('PromptRefine in a real VS Code (code-server)', function () {
  this.timeout(120_000);
  const e2e = new E2eSuite('e2e');
  let service: RunningService | undefined;
  let workbench: Workbench;
  let api: PromptRefineClient;
  let apiCookie: string | undefined;
  let prompt: Prompt;
  let v1: Version;

  before(async function () {
    this.timeout(300_000);
    const root = await e2e.prepare('promptrefine-e2e-');
    service = await startService(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        PROMPTREFINE_DATA_DIR: join(root, 'database'),
        PROMPTREFINE_EMAIL: EMAIL,
        PROMPTREFINE_PASSWORD: PASSWORD,
        LOG_LEVEL: 'silent',
      }),
    );
    api = new PromptRefineClient({ serviceUrl: service.url, sessionCookie: () => apiCookie });
    apiCookie = (await api.signIn(EMAIL, PASSWORD)).sessionCookie;

    workbench = await e2e.open({
      settings: { 'editor.autoClosingBrackets': 'never', 'promptrefine.serviceUrl': service.url },
      // A file in the workspace whose text becomes version 1 of the new prompt.
      files: { 'draft.md': DRAFT },
    });
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(async function () {
    this.timeout(60_000);
    await e2e.close(service);
  });

  it('packages the bundles, the local service with its database files, the icon, the manifest, the license, the readme and the changelog', async () => {
    const { stdout } = await run('npx', ['vsce', 'ls', '--no-dependencies', '--readme-path', 'README.vsix.md'], { cwd: REPO });
    const files = stdout.split('\n').map((line) => line.trim()).filter(Boolean);
    for (const file of ['dist/extension.cjs', 'dist/webview.js', 'dist/service/main.mjs', 'dist/service/pglite.wasm', 'dist/service/pglite.data', 'dist/service/initdb.wasm', 'dist/pg_trgm.tar.gz', 'dist/service/migrations/meta/_journal.json', 'media/promptrefine.png', 'README.vsix.md', 'CHANGELOG.md', 'LICENSE', 'docs/images/run-panel.png']) {
      assert.ok(files.includes(file), `${file} is missing from: ${files.join(', ')}`);
    }
    // dist/service/ is the built service; the service's sources (service/...) must not ride along.
    const leaked = files.filter((file) => /\.(ts|map)$|(^|\/)(test|node_modules)\/|^(extension|service|contract|webview)\//.test(file));
    assert.deepEqual(leaked, [], 'no sources, tests or maps in the .vsix');
  });

  it('shows the PromptRefine container and signs in from the command palette', async () => {
    await workbench.openActivity('PromptRefine');
    await workbench.sideBar().getByText('Sign in to your PromptRefine service').waitFor();
    await workbench.statusBar().getByText('PromptRefine: Sign In').waitFor();

    await workbench.runCommand('PromptRefine: Sign In');
    assert.equal(await workbench.inputValue('Sign In (1/3)'), service?.url, 'the service URL comes prefilled from the setting');
    await workbench.answer('Sign In (1/3)', service?.url ?? '');
    await workbench.answer('Sign In (2/3)', EMAIL);
    await workbench.answer('Sign In (3/3)', PASSWORD);

    await workbench.notification(`Signed in to PromptRefine as ${EMAIL}`).waitFor();
    await workbench.statusBar().getByText(EMAIL).waitFor();
    await workbench.sideBar().getByText('No prompts yet.').waitFor();
    await workbench.screenshot('01-signed-in');
  });

  it('creates a prompt from the selected text, which becomes version 1', async () => {
    await workbench.page.keyboard.press('Control+P');
    await workbench.pick('draft.md');
    await workbench.tab('draft.md').waitFor();
    await workbench.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await workbench.page.keyboard.press('Control+A');

    await workbench.runCommand('PromptRefine: New Prompt');
    await workbench.answer('New Prompt (1/3)', TITLE);
    await workbench.pick('User prompt');
    await workbench.answer('New Prompt (3/3)', 'review, go');

    await workbench.tab(`${TITLE} · current.prompt`).waitFor();
    await workbench.treeRow(TITLE).getByText('v1 · #review #go').waitFor();
    // The variables of the open version are listed in the status bar.
    await workbench.statusBar().getByText('diff', { exact: true }).waitFor();
    // ...and highlighted in the text (an editor decoration, which VS Code renders as a `ced-` class).
    await workbench.page.locator('.editor-instance .view-lines span[class*="ced-"]', { hasText: '{{diff}}' }).first().waitFor();

    const list = await api.listPrompts();
    assert.equal(list.items.length, 1);
    prompt = list.items[0] as Prompt;
    assert.deepEqual([prompt.title, prompt.tags, prompt.currentVersionNumber], [TITLE, ['review', 'go'], 1]);
    const current = (await api.getPrompt(prompt.id)).currentVersion;
    assert.equal(current?.content, DRAFT);
    v1 = current as Version;
    assert.equal(await workbench.editorText(), DRAFT, 'the editor shows version 1');
  });

  it('edits and saves the document: version 2 appears in the tree', async () => {
    const editor = workbench.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await workbench.page.keyboard.press('Control+End');
    await workbench.page.keyboard.type(`\n${EDIT}`);
    await workbench.page.keyboard.press('Control+S');

    await workbench.treeRow(TITLE).getByText('v2 · #review #go').waitFor();
    await workbench.treeRow(TITLE).click();
    await workbench.treeRow('v2 (current)').waitFor();
    await workbench.treeRow(/^v1/).waitFor();
    // The variables of the open version are listed in the status bar, and the tab is no longer dirty.
    await workbench.statusBar().getByText('diff, language').waitFor();
    await workbench.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });

    const saved = await api.getPrompt(prompt.id);
    assert.equal(saved.currentVersionNumber, 2);
    assert.equal(saved.currentVersion?.content, `${DRAFT}\n${EDIT}`);
    await workbench.screenshot('02-saved-version-2');
  });

  it('opens version 1 read-only', async () => {
    await workbench.treeRow(/^v1/).click();
    await workbench.tab(`${TITLE} · v1.prompt`).waitFor();
    const editor = workbench.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await workbench.page.keyboard.type('typed into an old version');
    await workbench.page.getByText('Editor is read-only').first().waitFor();
    assert.equal(await workbench.editorText(), DRAFT, 'version 1 is shown unchanged');
    await workbench.screenshot('03-version-1-read-only');
  });

  it('compares version 1 with the current version in the diff editor', async () => {
    await workbench.runCommand('PromptRefine: Compare with Current Version');
    await workbench.tab(`${TITLE}: v1 ↔ current (v2)`).waitFor();
    const diff = workbench.page.locator('.monaco-diff-editor').first();
    await diff.waitFor();
    await diff.locator('.editor.modified').getByText('Answer in').waitFor();
    await workbench.screenshot('04-compare-v1-with-current');
  });

  it('restores version 1: version 3 appears with version 1’s content', async () => {
    await workbench.runCommand('PromptRefine: Restore Version');
    await workbench.pick('v1');
    await workbench.notification(`Restored v1 of "${TITLE}" as the new v3`).waitFor();
    await workbench.treeRow('v3 (current)').waitFor();
    await workbench.treeRow(TITLE).getByText('v3 · #review #go').waitFor();
    // The open diff names the new current version, not the one it was opened with.
    await workbench.tab(`${TITLE}: v1 ↔ current (v3)`).waitFor();

    const restored = await api.getPrompt(prompt.id);
    assert.equal(restored.currentVersionNumber, 3);
    assert.equal(restored.currentVersion?.content, DRAFT);
    assert.equal(restored.currentVersion?.restoredFromVersionId, v1.id);
    const history = await api.listVersions(prompt.id);
    assert.deepEqual(
      history.items.map((v) => v.versionNumber),
      [3, 2, 1],
      'history is kept',
    );
    await workbench.screenshot('05-restored-version-3');
  });

  it('refuses to overwrite a newer version saved elsewhere, and saves on top when asked', async () => {
    const base = await api.getPrompt(prompt.id);
    assert.equal(base.currentVersionNumber, 3);
    await workbench.tab(`${TITLE} · current.prompt`).click();
    const editor = workbench.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await workbench.page.keyboard.press('Control+End');
    await workbench.page.keyboard.type('\nMine.');

    // Another window saves v4 while this one has unsaved edits on v3. The tree shows v4 at once;
    // the edited document keeps the user's edits (an unmodified one would load v4).
    await api.createVersion(prompt.id, { content: 'Saved in another window', baseVersionId: base.currentVersionId ?? undefined });
    await workbench.treeRow(TITLE).getByText('v4 · #review #go').waitFor();
    assert.match(await workbench.editorText(), /Mine\.$/);
    await workbench.page.keyboard.press('Control+S');

    const dialog = workbench.dialog();
    await dialog.getByText(`"${TITLE}" has a newer version (v4) since you opened v3`).waitFor();
    assert.equal((await api.getPrompt(prompt.id)).currentVersionNumber, 4, 'nothing was written before the user chose');
    await workbench.screenshot('06-save-conflict');
    await dialog.locator('.monaco-button', { hasText: 'Save as New Version on Top' }).click();

    await workbench.treeRow(TITLE).getByText('v5 · #review #go').waitFor();
    const history = await api.listVersions(prompt.id);
    assert.deepEqual(
      history.items.slice(0, 2).map((v) => [v.versionNumber, v.content]),
      [
        [5, `${DRAFT}\nMine.`],
        [4, 'Saved in another window'],
      ],
    );
  });

  it('signs in again when the session expired, then carries on with the same action', async () => {
    // Every session ends on the service (as after a long absence); the test's own too.
    assert.ok(service);
    await destroyAllSessions(service.database.db);
    apiCookie = (await api.signIn(EMAIL, PASSWORD)).sessionCookie;

    await workbench.runCommand('PromptRefine: Edit Tags…');
    const expired = workbench.notification('Your PromptRefine session has expired');
    await expired.waitFor();
    await expired.locator('.monaco-button', { hasText: 'Sign In' }).click();
    await workbench.answer('Sign In (1/3)', service?.url ?? '');
    assert.equal(await workbench.inputValue('Sign In (2/3)'), EMAIL, 'the last email is suggested');
    await workbench.answer('Sign In (2/3)', EMAIL);
    await workbench.answer('Sign In (3/3)', PASSWORD);

    // The same action goes on: the tags box opens for the prompt in the active editor.
    await workbench.answer(`Tags of "${TITLE}"`, 'review, go, strict');
    await workbench.treeRow(TITLE).getByText('#review #go #strict').waitFor();
    assert.deepEqual((await api.getPrompt(prompt.id)).tags, ['review', 'go', 'strict']);
  });

  it('deletes a prompt from the tree after a confirmation that says history is kept', async () => {
    await workbench.contextMenu(workbench.treeRow(TITLE), 'Delete Prompt…');
    const dialog = workbench.dialog();
    await dialog.getByText(`Delete "${TITLE}"?`).waitFor();
    assert.match(await dialog.innerText(), /versions and test runs are kept/);
    await workbench.screenshot('07-delete-confirmation');
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).click();

    await workbench.notification(`Deleted "${TITLE}"`).waitFor();
    await workbench.sideBar().getByText('No prompts yet.').waitFor();
    assert.deepEqual((await api.listPrompts()).items, []);
    await assert.rejects(api.getPrompt(prompt.id), /not found/i);
  });
});
