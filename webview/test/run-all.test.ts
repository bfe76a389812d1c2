// Run all in Chromium with the fake host: the form's planned count and its 500-run limit, one batch
// for a double click, progress per column, the results grid, repeats grouped, cancel, picking a
// running batch up again after a reload, opening a cell's run, and two columns compared.
import assert from 'node:assert/strict';
import type { Batch, BatchResult } from '../../contract/index.ts';
import { CASE_A, CASE_B, V1, V2, aBatch, aCase, aResult } from './support/batch-fixtures.ts';
import { aRun, panelData } from './support/fixtures.ts';
import { initialState } from '../state.ts';
import { useWebview } from './support/suite.ts';
import { action, choose, isDisabled, tab, type } from './support/ui.ts';
import { PROMPT_ID } from './support/fixtures.ts';
import { contrastProblems, cutText } from './support/measure.ts';

const cases = [CASE_A, CASE_B];
const M = 'gpt-5.4';

/** Both cases on v1 and v2 of one model, as they are when finished. */
function finishedResults(): BatchResult[] {
  return [
    aResult({ caseId: CASE_A.id, version: V1, model: M, output: 'Echo: Review this diff: + adds a line', checks: [false, true], outputTokens: 100, costUsd: 0.001, latencyMs: 500 }),
    aResult({ caseId: CASE_A.id, version: V2, model: M, output: 'Echo: Review this diff as a senior engineer: + adds a line', checks: [true, true], outputTokens: 140, costUsd: 0.0015, latencyMs: 700 }),
    aResult({ caseId: CASE_B.id, version: V1, model: M, output: 'Echo: fine', checks: [false, true], costUsd: 0.001, latencyMs: 400 }),
    aResult({ caseId: CASE_B.id, version: V2, model: M, status: 'failed' }),
  ];
}

describe('Run all (Batch tab)', () => {
  const suite = useWebview();

  it('shows the planned run count as choices change, and refuses more than 500 runs before sending anything', async () => {
    const many = Array.from({ length: 60 }, (_, i) => aCase(`case ${i + 1}`));
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: many, nextCursor: null }) });
    const page = host.page;
    await tab(page, 'Cases');
    await action(page, 'reveal-run-all').click();
    const planLine = page.locator('.batch-plan');
    await planLine.getByText('1 version × 1 model × 60 cases × 1 repeat = 60 runs').waitFor();
    assert.equal(await page.locator('[data-field="batch-version:2"]').isChecked(), true, 'the current version by default');
    assert.equal(await page.locator('[data-field="batch-model:gpt-5.4-mini"]').isChecked(), true, 'the run form’s (modest) model by default');

    await page.locator('[data-field="batch-version:1"]').check();
    await page.locator('[data-field="batch-model:gpt-5.4"]').check();
    await planLine.getByText('2 versions × 2 models × 60 cases × 1 repeat = 240 runs').waitFor();
    assert.equal(await isDisabled(action(page, 'run-all')), false);

    await type(page, 'batch-repeats', '3');
    await planLine.getByText('= 720 runs').waitFor();
    await page.locator('.batch-problem').getByText('That is 720 runs; Run all runs at most 500 at once.').waitFor();
    assert.equal(await isDisabled(action(page, 'run-all')), true);
    await action(page, 'run-all').click({ force: true });
    await type(page, 'batch-repeats', '11');
    await page.locator('.batch-problem').getByText('Repeats must be a whole number from 1 to 10.').waitFor();
    await type(page, 'batch-repeats', '2');
    await planLine.getByText('= 480 runs').waitFor();
    assert.equal(await page.locator('.batch-problem').textContent(), '');
    assert.equal(host.sent('startBatch').length, 0, 'nothing was sent while refused');
  });

  it('counts a case added in the list above at once', async () => {
    const added = aCase('a third case');
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }), createCase: () => added });
    const page = host.page;
    await tab(page, 'Cases');
    await page.locator('.batch-plan').getByText('1 version × 1 model × 2 cases × 1 repeat = 2 runs').waitFor();
    await action(page, 'add-case').click();
    await type(page, 'case-name', 'a third case');
    await type(page, 'case-var:diff', '+ x');
    await type(page, 'case-var:language', 'English');
    await action(page, 'save-case').click();
    await page.locator('.batch-plan').getByText('1 version × 1 model × 3 cases × 1 repeat = 3 runs').waitFor();
  });

  it('offers a model id typed on the Run tab, and lets every model be unticked (then says to choose one)', async () => {
    const state = { ...initialState(PROMPT_ID, 'Review a diff'), tab: 'cases', form: { ...initialState(PROMPT_ID, '').form, model: 'ft:gpt-4.1:acme' } };
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }) }, { state });
    const page = host.page;
    const typed = page.locator('[data-field="batch-model:ft:gpt-4.1:acme"]');
    await typed.waitFor();
    assert.equal(await typed.isChecked(), true);
    await typed.click();
    await page.locator('.batch-problem').getByText('Choose at least one model.').waitFor();
    assert.equal(await isDisabled(action(page, 'run-all')), true);
    assert.equal(await page.locator('[data-field="batch-model:ft:gpt-4.1:acme"]').count(), 0, 'unticked, it leaves the list');
  });

  it('starts one batch for a double click, shows progress per column, then fills the grid with checks, previews, cost and totals', async () => {
    const done = aBatch(finishedResults());
    const queued = aBatch(finishedResults().map((r) => ({ ...r, status: 'queued' as const, output: null, usage: null, costUsd: null, latencyMs: null, checks: [] })), { id: done.id, status: 'queued' });
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }), startBatch: () => queued, watchBatch: () => null });
    const page = host.page;
    await tab(page, 'Cases');
    await page.locator('[data-field="batch-version:1"]').check();
    await page.locator('[data-field="batch-model:gpt-5.4-mini"]').uncheck();
    await page.locator('[data-field="batch-model:gpt-5.4"]').check();
    await page.locator('.batch-plan').getByText('2 versions × 1 model × 2 cases × 1 repeat = 4 runs').waitFor();
    await action(page, 'run-all').dblclick();
    await host.waitForRequest('watchBatch');
    const starts = host.sent('startBatch');
    assert.ok(starts.length >= 1);
    assert.equal(new Set(starts.map((s) => s.idempotencyKey)).size, 1, 'every press before the answer carries the same key');
    assert.deepEqual({ ...starts[0], idempotencyKey: 'k' }, { promptVersionIds: [V2.id, V1.id], models: [M], params: {}, repeats: 1, idempotencyKey: 'k' });
    assert.deepEqual(host.sent('watchBatch').at(-1), { batchId: done.id });

    const grid = page.locator('table.batch-grid');
    const v1col = `${V1.id}|${M}`;
    const v2col = `${V2.id}|${M}`;
    await grid.locator(`[data-progress="${v1col}"]`).getByText('0/2 done · 2 queued').waitFor();
    await page.locator('[data-batch-status="queued"]').getByText('Queued: 0 of 4 runs done.').waitFor();

    // Halfway: v1's first case done, its second running.
    const half = finishedResults().map((r, i) => (i === 0 ? r : { ...r, status: (i === 2 ? 'running' : 'queued') as BatchResult['status'], output: null, usage: null, costUsd: null, latencyMs: null, checks: [] }));
    await host.push('batchProgress', { batch: aBatch(half, { id: done.id }) });
    await grid.locator(`[data-progress="${v1col}"]`).getByText('1/2 done · 1 running').waitFor();
    await grid.locator(`[data-progress="${v2col}"]`).getByText('0/2 done · 2 queued').waitFor();
    await grid.locator(`tr[data-case="${CASE_B.id}"] td[data-column="${v1col}"]`).getByText('Running…').waitFor();
    await page.locator('[data-batch-status="running"]').getByText('Running: 1 of 4 runs done.').waitFor();
    // Another batch's news is not this panel's.
    await host.push('batchDone', { batch: aBatch(finishedResults()) });

    await host.push('batchDone', { batch: done });
    await page.locator('[data-batch-status="finished"]').getByText('Finished: 4 runs, 1 failed.').waitFor();
    assert.equal(await action(page, 'cancel-batch').count(), 0);
    assert.equal(await grid.locator('.column-progress').count(), 0, 'no progress once finished');
    const cellA2 = grid.locator(`tr[data-case="${CASE_A.id}"] td[data-column="${v2col}"]`);
    assert.equal(await cellA2.locator('[data-verdict]').textContent(), '✓ 2/2 checks');
    assert.equal(await cellA2.locator('[data-verdict]').getAttribute('data-verdict'), 'pass');
    await cellA2.getByText('Echo: Review this diff as a senior engineer').waitFor();
    assert.equal(await cellA2.locator('.cell-meta').textContent(), '$0.0015 · 700 ms');
    const cellA1 = grid.locator(`tr[data-case="${CASE_A.id}"] td[data-column="${v1col}"]`);
    assert.equal(await cellA1.locator('[data-verdict]').textContent(), '✗ 1/2 checks');
    const cellB2 = grid.locator(`tr[data-case="${CASE_B.id}"] td[data-column="${v2col}"]`);
    assert.equal(await cellB2.locator('[data-verdict]').textContent(), '✗ 0/2 checks');
    await cellB2.getByText('(Failed)').waitFor();
    assert.deepEqual(await grid.locator('tbody th').allTextContents(), ['adds a line', 'removes a line'], 'rows are the cases, by name');
    const totals = grid.locator(`tfoot td[data-column="${v1col}"]`);
    assert.equal(await totals.locator('[data-total="checks"]').textContent(), '2/4 checks passed');
    assert.equal(await totals.locator('[data-total="cost"]').textContent(), '$0.002 in all');
    assert.equal(await totals.locator('[data-total="latency"]').textContent(), 'median 450 ms');
    await host.screenshot('run-all-grid-dark');
  });

  it('groups identical outputs of repeats with their counts', async () => {
    const r = (repeat: number, output: string) => aResult({ caseId: CASE_A.id, version: V2, model: M, repeat, output });
    const batch = aBatch([r(1, 'Echo: yes'), r(2, 'Echo: no'), r(3, 'Echo: yes'), r(4, 'Echo: yes'), r(5, 'Echo: maybe')]);
    const state = { ...initialState(PROMPT_ID, 'Review a diff'), tab: 'cases', batch: { ...initialState(PROMPT_ID, '').batch, id: batch.id } };
    const no = batch.results![1]!;
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }), getBatch: () => batch, getRun: () => aRun({ id: no.runId, output: 'Echo: no' }) }, { state });
    const cell = host.page.locator(`tr[data-case="${CASE_A.id}"] td[data-column="${V2.id}|${M}"]`);
    await cell.locator('.groups-sentence').getByText('3 distinct outputs in 5 runs').waitFor();
    const groups = await cell.locator('.groups li').allTextContents();
    assert.deepEqual(groups, ['×3 Echo: yes', '×1 Echo: no', '×1 Echo: maybe']);
    await cell.locator('[data-group-count]').filter({ hasText: 'Echo: no' }).press('Enter');
    assert.deepEqual(await host.waitForRequest('getRun'), { runId: no.runId }, 'a group opens one of its runs');
    await host.page.locator('.batch-view .batch-run [data-detail-output]').getByText('Echo: no').waitFor();
    assert.equal(host.sent('watchBatch').length, 0, 'a finished batch needs no stream');
  });

  it('picks a running batch up again after a reload, cancels it, and opens a cell’s run', async () => {
    const base = finishedResults();
    const running = aBatch(base.map((r, i) => (i < 2 ? r : { ...r, status: 'running' as const, output: null, usage: null, costUsd: null, latencyMs: null, checks: [] })));
    const canceled = aBatch(base.map((r, i) => (i < 2 ? r : { ...r, status: 'canceled' as const, output: null, usage: null, costUsd: null, latencyMs: null, checks: [] })), { id: running.id, status: 'canceled' });
    const run = aRun({ id: running.results![1]!.runId, output: 'Echo: Review this diff as a senior engineer: + adds a line' });
    const state = { ...initialState(PROMPT_ID, 'Review a diff'), tab: 'run', batch: { ...initialState(PROMPT_ID, '').batch, id: running.id } };
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }), getBatch: () => running, watchBatch: () => null, cancelBatch: () => canceled, getRun: () => run }, { state });
    const page = host.page;
    assert.deepEqual(await host.waitForRequest('watchBatch'), { batchId: running.id }, 'followed again even from another tab');
    await tab(page, 'Cases');
    await page.locator('[data-batch-status="running"]').getByText('Running: 2 of 4 runs done.').waitFor();
    await action(page, 'cancel-batch').click();
    assert.deepEqual(await host.waitForRequest('cancelBatch'), { batchId: running.id });
    await page.locator('[data-batch-status="canceled"]').getByText('Canceled: 2 of 4 runs had finished.').waitFor();

    await page.locator(`tr[data-case="${CASE_A.id}"] td[data-column="${V2.id}|${M}"] .cell`).click();
    assert.deepEqual(await host.waitForRequest('getRun'), { runId: run.id });
    await page.locator('.batch-view .batch-run [data-detail-output]').getByText('as a senior engineer').waitFor();
  });

  it('sends a start the page never heard back about again after a reload, with the same key', async () => {
    const batch = aBatch(finishedResults());
    const request = { promptVersionIds: [V1.id, V2.id], models: [M], params: {}, repeats: 1 };
    const state = { ...initialState(PROMPT_ID, 'Review a diff'), batch: { ...initialState(PROMPT_ID, '').batch, start: { key: 'key-of-the-first-press', request: JSON.stringify(request) } } };
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }), startBatch: () => batch }, { state });
    assert.deepEqual(await host.waitForRequest('startBatch'), { ...request, idempotencyKey: 'key-of-the-first-press' });
    await tab(host.page, 'Cases');
    await host.page.locator('[data-batch-status="finished"]').waitFor();
    assert.equal(host.sent('startBatch').length, 1);
    assert.equal((host.state as { batch: { id: string } }).batch.id, batch.id, 'the batch is kept as the one on screen');
  });

  it('compares two columns case by case: checks that changed, deltas, the output diff and the versions’ diff beside it', async () => {
    const batch = aBatch(finishedResults());
    const state = { ...initialState(PROMPT_ID, 'Review a diff'), tab: 'cases', batch: { ...initialState(PROMPT_ID, '').batch, id: batch.id } };
    const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }), getBatch: () => batch }, { state });
    const page = host.page;
    const compare = page.locator('.batch-compare');
    await compare.locator('[data-overview]').getByText('A: v1 · gpt-5.4 · B: v2 · gpt-5.4 — 2 of 2 outputs changed; checks: 1 fail → pass, 1 pass → fail.').waitFor();
    const caseA = compare.locator(`[data-compare-case="${CASE_A.id}"]`);
    assert.equal(await caseA.locator('[data-check-change]').count(), 1);
    assert.equal(await caseA.locator('[data-check-change="fail→pass"]').textContent(), 'fail → pass: contains "senior" (A 0/1 passed, B 1/1)');
    assert.deepEqual(await caseA.locator('tr[data-measure="Output tokens"] td').allTextContents(), ['100', '140', '+40']);
    assert.deepEqual(await caseA.locator('tr[data-measure="Cost"] td').allTextContents(), ['$0.001', '$0.0015', '+$0.0005']);
    assert.deepEqual(await caseA.locator('tr[data-measure="Latency"] td').allTextContents(), ['500 ms', '700 ms', '+200 ms']);
    assert.equal(await caseA.locator('pre.diff-words ins').allTextContents().then((t) => t.join('')), ' as a senior engineer');
    const caseB = compare.locator(`[data-compare-case="${CASE_B.id}"]`);
    assert.equal(await caseB.locator('[data-check-change="pass→fail"]').textContent(), 'pass → fail: maxOutputTokens 500 (A 1/1 passed, B 0/1)');
    const version = compare.locator('.compare-version');
    await version.getByText('Version difference: v1 → v2').waitFor();
    assert.match((await version.locator('pre.diff-lines ins').textContent()) ?? '', /as a senior engineer/);

    // Swapped columns: the same changes the other way round.
    await choose(page, 'batch-compare-a', 'v2 · gpt-5.4');
    await choose(page, 'batch-compare-b', 'v1 · gpt-5.4');
    await compare.locator('[data-overview]').getByText('A: v2 · gpt-5.4 · B: v1 · gpt-5.4').waitFor();
    await caseA.locator('[data-check-change="pass→fail"]').waitFor();
    assert.deepEqual(host.state && (host.state as { batch: Batch & { compare: unknown } }).batch.compare, { a: `${V2.id}|${M}`, b: `${V1.id}|${M}` }, 'kept for a reload');
    await host.screenshot('run-all-compare-dark');
  });

  it('puts an earlier batch of the prompt on screen', async () => {
    const older = aBatch(finishedResults(), { createdAt: '2026-11-27T09:00:00.000Z' });
    const newer = aBatch(finishedResults().slice(0, 2), { createdAt: '2026-11-27T11:00:00.000Z', status: 'canceled' });
    const head = (b: Batch) => ({ ...b, results: undefined, summary: undefined });
    const host = await suite.open({
      load: () => panelData(),
      listCases: () => ({ items: cases, nextCursor: null }),
      listBatches: () => ({ items: [head(newer), head(older)], nextCursor: null }),
      getBatch: ({ batchId }) => (batchId === older.id ? older : newer),
    });
    const page = host.page;
    await tab(page, 'Cases');
    await page.locator('[data-field="batch-earlier"] option').nth(2).waitFor({ state: 'attached' });
    const options = await page.locator('[data-field="batch-earlier"] option').allTextContents();
    assert.equal(options.length, 3);
    assert.equal(options[0], 'Choose a batch…');
    assert.match(options[1] ?? '', /^Nov 27 \d\d:00 · 2 runs · canceled$/, 'newest first');
    assert.match(options[2] ?? '', /^Nov 27 \d\d:00 · 4 runs · finished$/);
    await choose(page, 'batch-earlier', '4 runs · finished');
    assert.deepEqual(await host.waitForRequest('getBatch'), { batchId: older.id });
    await page.locator('[data-batch-status="finished"]').getByText('Finished: 4 runs, 1 failed.').waitFor();
    assert.equal(await page.locator('table.batch-grid tbody tr').count(), 2);
    assert.equal(host.sent('watchBatch').length, 0, 'a finished batch needs no stream');
  });

  it('reads at 4.5:1 in every theme and stays usable in a 400 px panel', async () => {
    const batch = aBatch(finishedResults());
    const problems: string[] = [];
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      const state = { ...initialState(PROMPT_ID, 'Review a diff'), tab: 'cases', batch: { ...initialState(PROMPT_ID, '').batch, id: batch.id } };
      const host = await suite.open({ load: () => panelData(), listCases: () => ({ items: cases, nextCursor: null }), getBatch: () => batch }, { state, theme });
      const page = host.page;
      await page.locator('.compare-version pre.diff-lines').waitFor();
      for (const p of await contrastProblems(page)) problems.push(`${theme}: "${p.text}" ${p.ratio}:1 (${p.color} on ${p.background}) at ${p.where}`);
      if (theme === 'light') {
        await page.setViewportSize({ width: 400, height: 900 });
        await page.waitForTimeout(100);
        for (const cut of await cutText(page)) problems.push(`400 px: "${cut.text}" ${cut.why} (${cut.where})`);
        const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        if (scrollWidth > clientWidth + 1) problems.push(`400 px: the page itself is ${scrollWidth} px wide in a ${clientWidth} px panel`);
        await host.screenshot('run-all-narrow-400-light');
      }
    }
    assert.deepEqual(problems, []);
  });
});
