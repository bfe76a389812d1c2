// Zero setup in a real VS Code (code-server): a workbench with only the .vsix installed and no
// service URL. Opening the view starts the extension's own local service; the account is created
// from Sign In; a prompt is created, saved and run against the fake OpenAI server (through the
// base-URL setting and the key command); a second window shares the service; a killed service is
// restarted with only the status bar showing it; and a workbench opened again, after the service
// stopped by itself, finds everything. The steps build on each other: the suite stops at the first failure.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { LOCK_FILE, parseLockInfo, type LockInfo } from '../../contract/lock-file.ts';
import { isAlive } from '../../contract/lock-owner.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { action, choose, field, type } from '../../webview/test/support/ui.ts';
import { recordMeasurement } from './support/measurements.ts';
import { E2eSuite, screenshotOnFailure } from './support/lifecycle.ts';
import type { Workbench } from './support/workbench.ts';

const EMAIL = 'local@example.com';
const PASSWORD = 'a long local password';
const API_KEY = 'sk-e2e-local-0123456789';
const TITLE = 'Summarize a ticket';
const CONTENT = 'Summarize {{ticket}} in one line.';


/** Every line the extension wrote to its Output channel, in every window, as VS Code keeps them on disk. */
function outputLines(userData: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('PromptRefine Service.log')) found.push(...readFileSync(path, 'utf8').split('\n'));
    }
  };
  try {
    walk(join(userData, 'logs'));
  } catch {
    // no logs yet
  }
  return found;
}

/** The local service processes running from this suite's installed extension (by their command line). */
function serviceProcesses(extensionsDir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(extensionsDir) && cmdline.includes('dist/service/main.mjs');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('The extension’s own local service in a real VS Code (code-server)', function () {
  this.timeout(180_000);
  const e2e = new E2eSuite('e2e-local-service');
  let root: string;
  let fake: FakeOpenAI;
  let workbench: Workbench;
  let panel: Frame;
  const settings = () => ({
    'editor.autoClosingBrackets': 'never',
    // No promptrefine.serviceUrl: the extension runs its own service.
    'promptrefine.openaiBaseUrl': fake.url,
    // So that once the workbench is closed the service stops soon, and the reopened one starts it again.
    'promptrefine.localService.idleMinutes': 1,
  });
  const dataDir = () => join(root, 'user-data', 'User', 'globalStorage', 'promptrefine.promptrefine', 'service');
  const lock = (): LockInfo | undefined => {
    try {
      return parseLockInfo(readFileSync(join(dataDir(), LOCK_FILE), 'utf8'));
    } catch {
      return undefined;
    }
  };
  async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  before(async function () {
    this.timeout(300_000);
    root = await e2e.prepare('promptrefine-e2e-local-');
    fake = await startFakeOpenAI({ apiKey: API_KEY, tokenDelayMs: 5 });
    workbench = await e2e.open({ settings: settings(), keepBrowserProfile: true });
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(async function () {
    this.timeout(60_000);
    await e2e.closeWorkbench();
    // The service outlives the windows by design; the suite stops it by its own process id.
    const pid = lock()?.pid;
    if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const other of serviceProcesses(join(root, 'extensions'))) process.kill(other, 'SIGKILL');
    await fake?.close();
    await e2e.close(undefined);
  });

  it('starts nothing at activation; opening the view starts the local service, which offers to create the account', async () => {
    await workbench.statusBar().getByText('PromptRefine').first().waitFor();
    // The extension says how long its activation took (from its bundle's first line to the end of activate()).
    const activated = await waitFor('the extension reports its activation', () =>
      outputLines(join(root, 'user-data'))
        .map((line) => /extension activated in ([\d.]+) ms/.exec(line)?.[1])
        .find((ms) => ms !== undefined),
    );
    recordMeasurement('activationMs', Number(activated), 'bundle evaluation + activate(), as the extension reports it in its Output channel (e2e, code-server)');
    assert.equal(lock(), undefined, 'no service before the view opens');
    const opened = Date.now();
    await workbench.openActivity('PromptRefine');
    await workbench.sideBar().getByText('Create your account to start').waitFor({ timeout: 120_000 });
    recordMeasurement('localServiceFirstRunMs', Date.now() - opened, 'view opened → "Create your account" shown, on an empty data folder (e2e, code-server)');
    const running = lock();
    assert.ok(running && isAlive(running.pid), 'the lock names a live service');
    assert.deepEqual(serviceProcesses(join(root, 'extensions')), [running.pid], 'one service, run from the installed .vsix');
    await workbench.screenshot('local-01-create-account-offered');
  });

  it('creates the account from Sign In with the token the service left in its folder', async () => {
    await workbench.sideBar().getByRole('button', { name: 'Create Your Account' }).click();
    await workbench.answer('Create your account (1/3)', EMAIL);
    // Under 12 characters: the box says so and stays open.
    const passwordBox = workbench.quickInput().filter({ hasText: 'Create your account (2/3)' });
    await passwordBox.locator('input.input').fill('too short');
    await workbench.page.keyboard.press('Enter');
    await passwordBox.getByText('Use at least 12 characters').waitFor();
    await workbench.answer('Create your account (2/3)', PASSWORD);
    await workbench.answer('Create your account (3/3)', PASSWORD);
    await workbench.notification(`Your PromptRefine account ${EMAIL} is ready`).waitFor();
    await workbench.statusBar().getByText(EMAIL).waitFor();
    await workbench.sideBar().getByText('No prompts yet.').waitFor();
  });

  it('creates a prompt and saves a version', async () => {
    await workbench.runCommand('PromptRefine: New Prompt');
    await workbench.answer('New Prompt (1/3)', TITLE);
    await workbench.pick('User prompt');
    await workbench.answer('New Prompt (3/3)', '');
    await workbench.tab(`${TITLE} · current.prompt`).waitFor();
    const editor = workbench.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await workbench.page.keyboard.press('Control+A');
    await workbench.page.keyboard.type(CONTENT);
    await workbench.page.keyboard.press('Control+S');
    await workbench.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    await workbench.treeRow(TITLE).click();
    await workbench.treeRow(/\(current\)/).waitFor();
  });

  it('says in the run panel that no key is set; the key command keeps it and restarts the service; the run streams from the fake provider', async () => {
    await workbench.contextMenu(workbench.treeRow(TITLE), 'Run Prompt');
    panel = await workbench.runPanel();
    await panel.locator('[data-notice="no-api-key"]').getByText('No OpenAI API key is set').waitFor();
    const before = lock();
    await panel.locator('[data-notice="no-api-key"] [data-action="set-api-key"]').click();
    await workbench.answer('Set OpenAI API Key', API_KEY);
    await workbench.notification('The local service uses it from now on').waitFor({ timeout: 120_000 });
    const after = lock();
    assert.ok(before && after && after.pid !== before.pid && isAlive(after.pid), 'the service was restarted to take the key');
    await panel.locator('[data-notice="no-api-key"]').waitFor({ state: 'detached' });

    await choose(panel, 'model', 'gpt-5.4');
    await type(panel, 'var:ticket', 'the login page is slow');
    await action(panel, 'run').click();
    await panel.locator('[data-status="succeeded"]').first().waitFor({ timeout: 60_000 });
    assert.ok(fake.requests.length > 0, 'the run reached the fake OpenAI server through promptrefine.openaiBaseUrl');
    assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${API_KEY}`, 'with the key from secret storage');
    await workbench.screenshot('local-02-run-succeeded');
  });

  it('a second window shares the running service', async () => {
    const pid = lock()?.pid;
    const second = await e2e.openAnotherWindow();
    try {
      await second.openActivity('PromptRefine');
      await second.statusBar().getByText(EMAIL).waitFor({ timeout: 60_000 });
      await second.treeRow(TITLE).waitFor();
      assert.equal(lock()?.pid, pid, 'the same service process');
      assert.deepEqual(serviceProcesses(join(root, 'extensions')), [pid], 'and no other was started');
    } finally {
      await second.page.close();
    }
  });

  it('restarts a killed service: only the status bar shows it', async () => {
    const before = lock();
    assert.ok(before);
    // What earlier steps said (account ready, key saved) goes first, so any toast left is about this.
    await workbench.runCommand('Notifications: Clear All Notifications');
    const toasts = workbench.page.locator('.notifications-toasts .notification-toast');
    await toasts.first().waitFor({ state: 'detached' });
    const restarting = workbench.statusBar().getByText('PromptRefine: restarting').waitFor({ timeout: 90_000 });
    process.kill(before.pid, 'SIGKILL');
    await restarting;
    const after = await waitFor('a new service runs', () => {
      const now = lock();
      return now && now.pid !== before.pid && isAlive(now.pid) ? now : undefined;
    });
    await workbench.statusBar().getByText(EMAIL).waitFor({ timeout: 60_000 });
    await workbench.treeRow(TITLE).waitFor();
    assert.ok(isAlive(after.pid));
    assert.deepEqual(await toasts.allTextContents(), [], 'no notification about it');
  });

  it('closing the workbench stops the service after its idle time; opening it again finds everything', async function () {
    this.timeout(400_000);
    const pid = lock()?.pid as number;
    await e2e.closeWorkbench();
    await waitFor('the service stops once no window calls it', () => !isAlive(pid), 240_000);

    workbench = await e2e.open({ settings: settings(), keepBrowserProfile: true });
    const opened = Date.now();
    // VS Code restores the view it showed when closed; clicking its icon then would hide it.
    const view = workbench.sideBar().getByText('PromptRefine: Prompts');
    if (!(await view.isVisible())) await workbench.openActivity('PromptRefine');
    await workbench.treeRow(TITLE).waitFor({ timeout: 120_000 });
    recordMeasurement('localServiceWarmMs', Date.now() - opened, 'workbench loaded → the prompt listed, the service started on a warm data folder (e2e, code-server)');
    await workbench.statusBar().getByText(EMAIL).waitFor();
    const again = lock();
    assert.ok(again && again.pid !== pid && isAlive(again.pid), 'a new service on the same data');
    await workbench.treeRow(TITLE).click();
    await workbench.treeRow(/\(current\)/).waitFor();
    await workbench.screenshot('local-03-reopened');
  });
});
