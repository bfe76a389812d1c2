// The run panel in a real VS Code (code-server), driven in headless Chromium, against the real
// service calling the fake OpenAI server: open the panel from the tree, run a prompt and watch it
// stream, see usage and cost, find the run in history, restore an old version and rerun it,
// compare the two runs, fill a variable from an editor's selection, and add a test case. The steps build on each other, so the suite stops at the first failure.
import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import type { Prompt, TestRun } from '../../contract/index.ts';
import { TEST_EMAIL, TEST_PASSWORD } from '../../extension/test/support/service.ts';
import { startRunService, type RunService } from '../../extension/test/support/run-service.ts';
import { usd } from '../../webview/format.ts';
import { action, choose, field, problemOf, shown, stat, tab, type, valueIn } from '../../webview/test/support/ui.ts';
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
    // A workspace file to fill a variable from (From File…), and one too large for it.
    workbench = await e2e.open({ settings: { 'promptrefine.serviceUrl': service.url }, files: { 'math.ts': 'export const add = (a: number, b: number) => a + b;\n', 'huge.log': 'x'.repeat(1024 * 1024 + 1) } });
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(async function () {
    this.timeout(60_000);
    await e2e.close(service);
  });

  it('signs in and opens the run panel from the prompt in the tree', async () => {
    await workbench.openActivity('PromptRefine');
    await workbench.signIn(service?.url ?? '', TEST_EMAIL, TEST_PASSWORD);
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

  it('fills a variable from the selection of the editor last used, though the panel has the focus', async () => {
    // The prompt document (v3: "Explain {{topic}}.") is beside the panel: select its text there.
    await workbench.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await workbench.page.keyboard.press('Control+A');
    await tab(panel, 'Run');
    await panel.locator('.field[data-for="var:topic"] vscode-button[data-action="from-selection"]').click();
    await panel.locator('.field[data-for="var:topic"]').getByText(/^from .*current\.prompt/).waitFor();
    assert.equal(await valueIn(panel, 'var:topic'), V1);
  });

  it('fills a variable from a workspace file picked in VS Code, and refuses one over 1 MB', async () => {
    await panel.locator('.field[data-for="var:topic"] vscode-button[data-action="from-file"]').click();
    await workbench.pick('math.ts');
    await panel.locator('.field[data-for="var:topic"]').getByText('from math.ts').waitFor();
    assert.equal(await valueIn(panel, 'var:topic'), 'export const add = (a: number, b: number) => a + b;\n');

    await panel.locator('.field[data-for="var:topic"] vscode-button[data-action="from-file"]').click();
    await workbench.pick('huge.log');
    await panel.locator('.field[data-for="var:topic"].flagged').waitFor();
    assert.match(await problemOf(panel, 'var:topic'), /huge\.log is 1\.0 MB: a variable takes a file of at most 1 MB/);
    assert.equal(await valueIn(panel, 'var:topic'), 'export const add = (a: number, b: number) => a + b;\n', 'the value stays');
  });

  it('adds a case in the Cases tab: a refused regex is shown by its field, the fixed case is saved', async () => {
    await tab(panel, 'Cases');
    await panel.getByText('No test cases yet.').waitFor();
    await action(panel, 'add-case').click();
    await type(panel, 'case-name', 'short topic');
    await type(panel, 'case-var:topic', 'SSE');
    await action(panel, 'add-expectation').click();
    await choose(panel, 'exp-0-kind', 'Matches the regex');
    await type(panel, 'exp-0-value', '(a+)+$');
    await action(panel, 'save-case').click();
    await panel.locator('.field[data-for="exp-0-value"].flagged').waitFor();
    assert.match(await problemOf(panel, 'exp-0-value'), /exponential/, 'the service’s words');
    assert.equal(await valueIn(panel, 'case-name'), 'short topic', 'what was typed stays');
    await type(panel, 'exp-0-value', '^Echo: Explain SSE');
    await action(panel, 'save-case').click();
    await panel.locator('.case .case-name').getByText('short topic').waitFor();
    const saved = await service?.cases.listCases(prompt.id);
    assert.deepEqual(
      saved?.items.map((c) => [c.name, c.inputVariables, c.expectations]),
      [['short topic', { topic: 'SSE' }, [{ kind: 'regex', value: '^Echo: Explain SSE' }]]],
    );
    await workbench.screenshot('06-case-added');
  });

  it('replays the first run on the current version, diffed against the original, and saves it as a case', async () => {
    await tab(panel, 'History');
    await panel.locator(`tr[data-run-id="${firstRun.id}"]`).click();
    // The fake model's words arrive one by one, as a run's do, and slowly enough here that the
    // streaming text is on screen for over a second: the replay's output is shorter than a run's,
    // and at 120 ms a word it could be over before the page was looked at again.
    service?.fake.script({ kind: 'success', tokenDelayMs: 400 });
    await action(panel, 'replay-current').click();
    const replay = panel.locator('.replay');
    await replay.locator('[data-replay-output]').getByText('Echo: Explain').waitFor();
    await replay.locator('pre.diff-words').waitFor({ timeout: 30_000 });
    assert.equal(await replay.locator('pre.diff-words del').allTextContents().then((t) => t.join('').trim()), 'to a new engineer');
    assert.match((await replay.locator('.run-status').textContent()) ?? '', /v2 → v3/);
    const runs = await service?.runs.listRuns({ promptId: prompt.id });
    assert.deepEqual([runs?.items[0]?.versionNumber, runs?.items[0]?.inputVariables], [3, firstRun.inputVariables], 'the same values on the current version');
    await workbench.screenshot('07-replay');

    await action(panel, 'save-as-case').click();
    await type(panel, 'save-case-name', 'new engineer');
    await action(panel, 'save-as-case-confirm').click();
    await panel.locator('[data-notice="case-saved"]').waitFor();
    await action(panel, 'show-cases').click();
    await panel.locator('.case .case-name').getByText('new engineer').waitFor();
    assert.deepEqual(await panel.locator('.case .case-name').allTextContents(), ['new engineer', 'short topic']);
  });
});
