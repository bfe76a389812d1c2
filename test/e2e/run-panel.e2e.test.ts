// The run panel in a real VS Code (code-server), driven in headless Chromium, against the real
// service calling the fake OpenAI server: open the panel from the tree, run a prompt and watch it
// stream, see usage and cost, find the run in history, restore an old version and rerun it, and
// compare the two runs. The steps build on each other, so the suite stops at the first failure.
import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import type { Prompt, TestRun } from '../../contract/index.ts';
import { TEST_EMAIL, TEST_PASSWORD } from '../../extension/test/support/service.ts';
import { startRunService, type RunService } from '../../extension/test/support/run-service.ts';
import { usd } from '../../webview/format.ts';
import { action, choose, field, shown, stat, tab, type } from '../../webview/test/support/ui.ts';
import { E2eSuite, screenshotOnFailure } from './support/lifecycle.ts';
import type { Workbench } from './support/workbench.ts';

const TITLE = 'Explain code';
const V1 = 'Explain {{topic}}.';
const V2 = 'Explain {{topic}} to a {{reader}}.';

describe('Run panel in a real VS Code (code-server)', function () {
  this.timeout(120_000);
  const e2e = new E2eSuite('e2e-run-panel');
  let service: RunService | undefined;
  let workbench: Workbench;
  let prompt: Prompt;
  let panel: Frame;
  let firstRun: TestRun;

  before(async function () {
    this.timeout(300_000);
    await e2e.prepare('promptrefine-e2e-panel-');
    // The fake model is slow enough per word that the output is seen arriving, not only finished.
    service = await startRunService(120);
    prompt = await service.prompts.createPrompt({ title: TITLE, content: V1, notes: 'Created' });
    await service.prompts.createVersion(prompt.id, { content: V2, notes: 'Name the reader' });
    workbench = await e2e.open({ settings: { 'promptrefine.serviceUrl': service.url } });
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(async function () {
    this.timeout(60_000);
    await e2e.close(service);
  });

  it('signs in and opens the run panel from the prompt in the tree', async () => {
    await workbench.openActivity('PromptRefine');
    await workbench.runCommand('PromptRefine: Sign In');
    await workbench.answer('Sign In (1/3)', service?.url ?? '');
    await workbench.answer('Sign In (2/3)', TEST_EMAIL);
    await workbench.answer('Sign In (3/3)', TEST_PASSWORD);
    await workbench.treeRow(TITLE).waitFor();

    await workbench.contextMenu(workbench.treeRow(TITLE), 'Run Prompt');
    await workbench.tab(`Run: ${TITLE}`).waitFor();
    panel = await workbench.runPanel();
    await panel.getByRole('heading', { name: TITLE }).waitFor();
    assert.equal(await shown(panel, 'version'), 'Current version (v2)');
    await field(panel, 'var:reader').waitFor();
  });

  it('runs the prompt: the output streams in, then usage and cost show', async () => {
    await choose(panel, 'model', 'gpt-5.4');
    await type(panel, 'var:topic', 'server-sent events');
    await type(panel, 'var:reader', 'new engineer');
    await action(panel, 'run').click();

    // While the fake model is still sending words: running, with part of the text.
    await panel.locator('.run-status [data-status="running"]').waitFor();
    await panel.locator('[data-output]').getByText('Echo: Explain').waitFor();
    await workbench.screenshot('01-streaming');
    await panel.locator('.run-status [data-status="succeeded"]').waitFor();
    assert.equal(await panel.locator('[data-output]').textContent(), 'Echo: Explain server-sent events to a new engineer.');
    assert.match(await stat(panel, 'inputTokens'), /^\d[\d,]*$/);
    assert.match(await stat(panel, 'cost'), /^\$0\.\d+$/);
    assert.equal(await stat(panel, 'attempts'), '1');

    const page = await service?.runs.listRuns({ promptId: prompt.id });
    assert.equal(page?.items.length, 1);
    firstRun = page?.items[0] as TestRun;
    assert.deepEqual([firstRun.status, firstRun.versionNumber, firstRun.model], ['succeeded', 2, 'gpt-5.4']);
    assert.equal(await stat(panel, 'cost'), usd(firstRun.costUsd), 'the cost the service computed');
    await workbench.screenshot('02-run-done');
  });

  it('finds the run in the history', async () => {
    await tab(panel, 'History');
    const row = panel.locator(`tr[data-run-id="${firstRun.id}"]`);
    await row.waitFor();
    assert.deepEqual((await row.locator('td').allTextContents()).slice(1, 4), ['v2', 'gpt-5.4', 'Succeeded']);
    await row.click();
    await panel.locator('.run-detail .version-content').getByText(V2).waitFor();
  });

  it('restores version 1 from the panel and reruns it', async () => {
    await tab(panel, 'Run');
    await choose(panel, 'version', 'v1');
    await action(panel, 'restore-version').click();
    await workbench.notification(`Restored v1 of "${TITLE}" as the new v3`).waitFor();
    await workbench.treeRow(TITLE).getByText('v3').waitFor();
    await field(panel, 'version').locator('option:checked', { hasText: 'Current version (v3)' }).waitFor({ state: 'attached' });
    assert.equal(await field(panel, 'var:reader').count(), 0, 'v1’s content has only {{topic}}');

    await panel.locator('body').press('Control+Enter');
    await panel.locator('.run-status [data-status="succeeded"]').waitFor();
    assert.equal(await panel.locator('[data-output]').textContent(), 'Echo: Explain server-sent events.');
    const page = await service?.runs.listRuns({ promptId: prompt.id });
    assert.deepEqual(page?.items.map((r) => r.versionNumber), [3, 2]);
  });

  it('compares the two runs side by side', async () => {
    await tab(panel, 'History');
    const rows = panel.locator('table.runs tbody tr');
    await rows.nth(1).waitFor();
    await rows.nth(1).locator('vscode-button[data-action="pick-compare"]').click();
    await rows.nth(0).locator('vscode-button[data-action="pick-compare"]').click();
    const body = panel.locator('.compare-body');
    await body.locator('[data-slot="A"]').getByText('A: v2 · gpt-5.4').waitFor();
    await body.locator('[data-slot="B"]').getByText('B: v3 · gpt-5.4').waitFor();
    assert.equal(await body.locator('pre.diff-words del').allTextContents().then((t) => t.join('').trim()), 'to a new engineer');
    await body.getByText('Version difference: v2 → v3').waitFor();
    assert.match((await body.locator('pre.diff-lines del').textContent()) ?? '', /to a \{\{reader\}\}/);
    await workbench.screenshot('03-compare');
  });

  it('comes back as it was after being hidden and after a window reload', async () => {
    await tab(panel, 'Run');
    await panel.locator('[data-output]').getByText('Echo: Explain server-sent events.').waitFor();
    // Another editor covers the panel: its page is torn down, and rebuilt from its kept state.
    await workbench.runCommand('Preferences: Open User Settings');
    await workbench.tab('Settings').waitFor();
    await workbench.tab(`Run: ${TITLE}`).click();
    panel = await workbench.runPanel();
    await panel.locator('[data-output]').getByText('Echo: Explain server-sent events.').waitFor();
    assert.equal(await field(panel, 'var:topic').inputValue(), 'server-sent events');

    await workbench.runCommand('Developer: Reload Window');
    await workbench.page.waitForTimeout(1000);
    await workbench.waitUntilReady();
    await workbench.tab(`Run: ${TITLE}`).click();
    panel = await workbench.runPanel();
    await panel.locator('[data-output]').getByText('Echo: Explain server-sent events.').waitFor();
    assert.equal(await shown(panel, 'version'), 'Current version (v3)');
  });

  it('shows usage for the prompt', async () => {
    await tab(panel, 'Usage');
    await panel.locator('svg.chart[aria-label="Tokens per day"]').waitFor();
    assert.equal(await panel.locator('.usage-table tfoot td').first().textContent(), '2');
    await workbench.screenshot('04-usage');
  });

  it('opens from the Run Prompt button in a prompt document’s title bar', async () => {
    await workbench.tab(`Run: ${TITLE}`).click();
    await workbench.page.keyboard.press('Control+W');
    await workbench.tab(`Run: ${TITLE}`).waitFor({ state: 'detached' });
    await workbench.treeRow(TITLE).hover();
    await workbench.treeRow(TITLE).locator('a[aria-label="Open Prompt"]').click();
    await workbench.tab(`${TITLE} · current.prompt`).waitFor();
    await workbench.page.locator('.editor-actions a[aria-label="Run Prompt"]').click();
    await workbench.tab(`Run: ${TITLE}`).waitFor();
    panel = await workbench.runPanel();
    await panel.getByRole('heading', { name: TITLE }).waitFor();
    await workbench.screenshot('05-opened-from-editor-title');
  });
});
