// Run all in a real VS Code (code-server), driven in headless Chromium, against the real service
// calling the fake OpenAI server: two test cases added in the Cases tab, a second version saved
// from the editor, Run all on both versions with repeats, the grid filling in, a cell's run opened, the
// two columns compared case by case, and a running batch followed again after the panel was
// hidden and shown. The steps build on each other, so the suite stops at the
// first failure.
import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import type { Prompt } from '../../contract/index.ts';
import { TEST_EMAIL, TEST_PASSWORD } from '../../extension/test/support/service.ts';
import { startRunService, type RunService } from '../../extension/test/support/run-service.ts';
import { action, choose, field, tab, type } from '../../webview/test/support/ui.ts';
import { E2eSuite, screenshotOnFailure } from './support/lifecycle.ts';
import type { Workbench } from './support/workbench.ts';

const TITLE = 'Summarize a topic';
const V1 = 'Summarize {{topic}}.';
const ADDED = 'Answer briefly.';

describe('Run all in a real VS Code (code-server)', function () {
  this.timeout(120_000);
  const e2e = new E2eSuite('e2e-run-all');
  let service: RunService | undefined;
  let workbench: Workbench;
  let prompt: Prompt;
  let panel: Frame;
  const CASES = ['server-sent events', 'idempotency keys'];
  const caseIds: string[] = [];

  before(async function () {
    this.timeout(300_000);
    await e2e.prepare('promptrefine-e2e-run-all-');
    // Slow enough per word that the batch is seen running before it finishes.
    service = await startRunService(60);
    prompt = await service.prompts.createPrompt({ title: TITLE, content: V1, notes: 'Created' });
    workbench = await e2e.open({ settings: { 'promptrefine.serviceUrl': service.url } });
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(async function () {
    this.timeout(60_000);
    await e2e.close(service);
  });

  it('signs in and opens the run panel of the prompt', async () => {
    await workbench.openActivity('PromptRefine');
    await workbench.signIn(service?.url ?? '', TEST_EMAIL, TEST_PASSWORD);
    await workbench.treeRow(TITLE).waitFor();
    await workbench.contextMenu(workbench.treeRow(TITLE), 'Run Prompt');
    await workbench.tab(`Run: ${TITLE}`).waitFor();
    panel = await workbench.runPanel();
    await panel.getByRole('heading', { name: TITLE }).waitFor();
  });

  it('adds two cases in the Cases tab, each expecting a brief answer', async () => {
    await tab(panel, 'Cases');
    for (const name of CASES) {
      await action(panel, 'add-case').click();
      await type(panel, 'case-name', name);
      await type(panel, 'case-var:topic', name);
      await action(panel, 'add-expectation').click();
      await choose(panel, 'exp-0-kind', 'Contains');
      await type(panel, 'exp-0-value', 'briefly');
      await action(panel, 'save-case').click();
      await panel.locator('.case .case-name').filter({ hasText: name }).waitFor();
    }
    const saved = (await service?.cases.listCases(prompt.id))?.items ?? [];
    for (const name of CASES) caseIds.push(saved.find((c) => c.name === name)?.id ?? '');
    assert.deepEqual(saved.find((c) => c.name === CASES[0])?.expectations, [{ kind: 'contains', value: 'briefly' }]);
    await panel.locator('.batch-plan').getByText('1 version × 1 model × 2 cases × 1 repeat = 2 runs').waitFor();
  });

  it('saves a second version from the editor; the panel offers both to Run all', async () => {
    await workbench.treeRow(TITLE).hover();
    await workbench.treeRow(TITLE).locator('a[aria-label="Open Prompt"]').click();
    await workbench.tab(`${TITLE} · current.prompt`).waitFor();
    const editor = workbench.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await workbench.page.keyboard.press('Control+End');
    await workbench.page.keyboard.type(` ${ADDED}`);
    await workbench.page.keyboard.press('Control+S');
    await workbench.treeRow(TITLE).getByText('v2').waitFor();

    await workbench.tab(`Run: ${TITLE}`).click();
    panel = await workbench.runPanel();
    await panel.getByText('current version v2').waitFor();
    await action(panel, 'reveal-run-all').click();
    await field(panel, 'batch-version:1').waitFor();
    assert.equal(await field(panel, 'batch-version:2').isChecked(), true, 'the current version by default');
    assert.equal(await field(panel, 'batch-version:1').isChecked(), false);
  });

  it('runs all cases on both versions with two repeats: progress, then the grid with checks and grouped outputs', async () => {
    await field(panel, 'batch-version:1').check();
    const models = panel.locator('[data-choices="models"] input:checked');
    assert.equal(await models.count(), 1, 'one model chosen: the run form’s');
    const model = ((await models.getAttribute('data-field')) ?? '').replace('batch-model:', '');
    await field(panel, 'batch-repeats').fill('2');
    await panel.locator('.batch-plan').getByText('2 versions × 1 model × 2 cases × 2 repeats = 8 runs').waitFor();
    await action(panel, 'run-all').click();

    await panel.locator('[data-batch-status="queued"], [data-batch-status="running"]').first().waitFor();
    await panel.locator('.column-progress').first().waitFor();
    await panel.locator('table.batch-grid').scrollIntoViewIfNeeded();
    await workbench.screenshot('01-run-all-progress');
    await panel.locator('[data-batch-status="finished"]').getByText('Finished: 8 runs, 0 failed.').waitFor({ timeout: 60_000 });

    const batches = await service?.batches.listBatches({ promptId: prompt.id });
    assert.equal(batches?.items.length, 1, 'one batch');
    const batch = await service?.batches.getBatch(batches?.items[0]?.id ?? '');
    assert.equal(batch?.status, 'finished');
    assert.equal(batch?.results?.length, 8);
    const v1 = batch?.results?.find((r) => r.versionNumber === 1)?.promptVersionId;
    const v2 = batch?.results?.find((r) => r.versionNumber === 2)?.promptVersionId;
    const cell = (caseId: string, version: string | undefined) => panel.locator(`tr[data-case="${caseId}"] td[data-column="${version}|${model}"]`);
    for (const caseId of caseIds) {
      assert.equal(await cell(caseId, v1).locator('[data-verdict]').textContent(), '✗ 0/2 checks');
      assert.equal(await cell(caseId, v2).locator('[data-verdict]').textContent(), '✓ 2/2 checks');
      await cell(caseId, v2).getByText('the same output in 2 runs').waitFor();
    }
    await cell(caseIds[0] ?? '', v2).getByText(`Echo: Summarize server-sent events. ${ADDED}`).waitFor();
    assert.deepEqual(await panel.locator('table.batch-grid tbody th').allTextContents(), CASES, 'the cases as rows, by name, oldest first');
    assert.equal(await panel.locator(`tfoot td[data-column="${v2}|${model}"] [data-total="checks"]`).textContent(), '4/4 checks passed');
    assert.equal(await panel.locator(`tfoot td[data-column="${v1}|${model}"] [data-total="checks"]`).textContent(), '0/4 checks passed');
    await panel.locator('table.batch-grid').scrollIntoViewIfNeeded();
    await workbench.screenshot('02-run-all-grid');

    // A cell opens its run, whole.
    await cell(caseIds[1] ?? '', v1).locator('.cell').click();
    await panel.locator('.batch-view .batch-run [data-detail-output]').getByText('Echo: Summarize idempotency keys.').waitFor();
  });

  it('compares the two versions’ columns case by case, beside the versions’ diff', async () => {
    const compare = panel.locator('.batch-compare');
    await compare.locator('[data-overview]').waitFor();
    await choose(panel, 'batch-compare-a', 'v1 ·');
    await choose(panel, 'batch-compare-b', 'v2 ·');
    await compare.locator('[data-overview]').getByText('2 of 2 outputs changed; checks: 2 fail → pass, 0 pass → fail.').waitFor();
    for (const caseId of caseIds) {
      const one = compare.locator(`[data-compare-case="${caseId}"]`);
      await one.locator('[data-check-change="fail→pass"]').getByText('contains "briefly" (A 0/2 passed, B 2/2)').waitFor();
      assert.equal((await one.locator('pre.diff-words ins').allTextContents()).join('').trim(), ADDED);
      assert.match(await one.locator('tr[data-measure="Output tokens"] td').last().textContent() ?? '', /^\+\d/);
    }
    await compare.locator('.compare-version').getByText('Version difference: v1 → v2').waitFor();
    assert.match((await compare.locator('.compare-version pre.diff-lines ins').textContent()) ?? '', /Answer briefly\./);
    await compare.locator('[data-overview]').scrollIntoViewIfNeeded();
    await workbench.screenshot('03-run-all-compare');
  });

  it('follows a batch still running after the panel was hidden and shown again', async () => {
    // Slow words, so the batch is still running when the panel comes back.
    service?.fake.script(...Array.from({ length: 4 }, () => ({ kind: 'success' as const, tokenDelayMs: 1000 })));
    await field(panel, 'batch-repeats').fill('1');
    await panel.locator('.batch-plan').getByText('= 4 runs').waitFor();
    await action(panel, 'run-all').click();
    await panel.locator('[data-batch-status="running"]').waitFor();

    // Another editor covers the panel: its page is torn down, and rebuilt from its kept state.
    await workbench.runCommand('Preferences: Open User Settings');
    await workbench.tab('Settings').waitFor();
    await workbench.tab(`Run: ${TITLE}`).click();
    panel = await workbench.runPanel();
    await panel.locator('[data-batch-status="running"]').getByText(/Running: \d of 4 runs done/).waitFor();
    await workbench.screenshot('04-run-all-picked-up');
    await panel.locator('[data-batch-status="finished"]').getByText('Finished: 4 runs, 0 failed.').waitFor({ timeout: 60_000 });
    const batches = await service?.batches.listBatches({ promptId: prompt.id });
    assert.equal(batches?.items.length, 2, 'the same second batch, followed to its end');
    assert.equal(await panel.locator('table.batch-grid [data-verdict="pass"]').count(), 2, 'v2’s cells');
  });
});
