// History filters, a run shown whole, rerun from history, and the A/B compare view, in Chromium.
import assert from 'node:assert/strict';
import type { TestRun } from '../../contract/index.ts';
import { aRun, panelData, queued, V1, V2 } from './support/fixtures.ts';
import { useWebview } from './support/suite.ts';
import { action, choose, shown, tab, type } from './support/ui.ts';
import type { RequestParams } from '../protocol.ts';

const older = aRun({
  promptVersionId: V1.id,
  versionNumber: 1,
  model: 'gpt-5.4-mini',
  output: 'Echo: the diff is fine',
  inputVariables: { diff: '+ a line' },
  usage: { inputTokens: 1000, cachedInputTokens: 0, outputTokens: 250, reasoningTokens: 0, totalTokens: 1250 },
  costUsd: 0.001875,
  latencyMs: 900,
  createdAt: '2026-11-27T10:01:00.000Z',
});
const newer = aRun({ params: { reasoningEffort: 'high' }, createdAt: '2026-11-27T10:20:00.000Z' });
const failed = aRun({ status: 'failed', output: null, usage: null, costUsd: null, error: { code: 'server_error', message: 'The server had an error.', status: 500 }, createdAt: '2026-11-27T10:30:00.000Z' });

/** A listRuns handler that filters like the service does. */
function listRuns(runs: TestRun[]) {
  return (p: RequestParams<'listRuns'>) => ({
    items: runs.filter(
      (r) =>
        (!p.status || r.status === p.status) &&
        (!p.model || r.model === p.model) &&
        (!p.promptVersionId || r.promptVersionId === p.promptVersionId) &&
        (!p.q || (r.output ?? '').toLowerCase().includes(p.q.toLowerCase())),
    ),
    nextCursor: null,
  });
}

describe('History and compare', () => {
  const suite = useWebview();
  const runs = [failed, newer, older];

  it('lists runs newest first; status, model, version and search change what is asked for', async () => {
    const host = await suite.open({ load: () => panelData(), listRuns: listRuns(runs) });
    const page = host.page;
    await tab(page, 'History');
    const rows = page.locator('table.runs tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    const firstRow = await rows.first().locator('td').allTextContents();
    assert.deepEqual(firstRow.slice(1, 7), ['v2', 'gpt-5.4', 'Failed', '—', '—', '1.8 s']);
    const lastRow = await rows.last().locator('td').allTextContents();
    assert.deepEqual(lastRow.slice(1, 7), ['v1', 'gpt-5.4-mini', 'Succeeded', '1,250', '$0.001875', '900 ms']);

    await choose(page, 'filter-status', 'Succeeded');
    await page.waitForFunction(() => document.querySelectorAll('table.runs tbody tr').length === 2);
    assert.equal(host.sent('listRuns').at(-1)?.status, 'succeeded');

    await choose(page, 'filter-version', 'v1');
    await page.waitForFunction(() => document.querySelectorAll('table.runs tbody tr').length === 1);
    assert.deepEqual(host.sent('listRuns').at(-1), { status: 'succeeded', model: null, promptVersionId: V1.id, q: null, cursor: null });

    await choose(page, 'filter-model', 'gpt-5.4');
    await page.getByText('No run matches these filters.').waitFor();

    await choose(page, 'filter-model', 'Any model');
    await choose(page, 'filter-version', 'Any version');
    await type(page, 'filter-q', 'is fine');
    await page.waitForFunction(() => document.querySelectorAll('table.runs tbody tr').length === 1);
    assert.deepEqual(host.sent('listRuns').at(-1), { status: 'succeeded', model: null, promptVersionId: null, q: 'is fine', cursor: null });
  });

  it('loads older runs a page at a time', async () => {
    const host = await suite.open({
      load: () => panelData(),
      listRuns: (p) => (p.cursor ? { items: [older], nextCursor: null } : { items: [failed, newer], nextCursor: 'page-2' }),
    });
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${newer.id}"]`).waitFor();
    await action(page, 'load-more').click();
    await page.locator(`tr[data-run-id="${older.id}"]`).waitFor();
    assert.equal(host.sent('listRuns').at(-1)?.cursor, 'page-2');
    assert.equal(await page.locator('table.runs tbody tr').count(), 3);
    assert.equal(await action(page, 'load-more').count(), 0, 'no more pages');
  });

  it('shows a selected run whole and reruns it with the current version', async () => {
    const host = await suite.open({ load: () => panelData(), listRuns: listRuns(runs), startRun: () => queued(older), watchRun: () => null });
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${older.id}"]`).click();
    const detail = page.locator('.run-detail');
    await detail.locator('[data-detail-output]').getByText('Echo: the diff is fine').waitFor();
    await detail.locator('.version-content').getByText('Review this diff:').waitFor();
    assert.equal(await detail.locator('.version-content').textContent(), V1.content, 'the exact version it ran');
    await detail.locator('dt').getByText('{{diff}}').waitFor();
    assert.equal(await detail.locator('[data-stat="cost"] dd').textContent(), '$0.001875');

    // The current version (v2) needs {{language}}, which the v1 run never had: the form says so.
    await action(page, 'rerun-current').click();
    await page.locator('.form-summary').getByText('Fill in {{language}}.').waitFor();
    assert.equal(await shown(page, 'version'), 'Current version (v2)');
    assert.equal(await shown(page, 'model'), 'gpt-5.4-mini');
    assert.equal(host.sent('startRun').length, 0);
    await type(page, 'var:language', 'English');
    await action(page, 'run').click();
    const sent = await host.waitForRequest('startRun');
    const expected: RequestParams<'startRun'> = { promptVersionId: null, model: 'gpt-5.4-mini', params: {}, inputVariables: { diff: '+ a line', language: 'English' }, input: null };
    assert.deepEqual(sent, expected, 'the current version with the run’s model and values');
  });

  it('compares two runs: outputs with a diff, usage and cost with the difference, and the versions’ content diff', async () => {
    const host = await suite.open({ load: () => panelData(), listRuns: listRuns(runs) });
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${older.id}"] vscode-button[data-action="pick-compare"]`).click();
    await page.locator(`tr[data-run-id="${newer.id}"] vscode-button[data-action="pick-compare"]`).click();
    const body = page.locator('.compare-body');
    await body.locator('[data-slot="A"]').getByText('A: v1 · gpt-5.4-mini').waitFor();
    await body.locator('[data-slot="B"]').getByText('B: v2 · gpt-5.4').waitFor();
    const outputDiff = body.locator('pre.diff-words');
    assert.equal(await outputDiff.locator('del').allTextContents().then((t) => t.join('')), 'is');
    assert.equal(await outputDiff.locator('ins').allTextContents().then((t) => t.join('')), 'looks');
    const cost = await body.locator('tr[data-measure="Cost"] td').allTextContents();
    assert.deepEqual(cost, ['$0.001875', '$0.00745', '+$0.005575']);
    const latency = await body.locator('tr[data-measure="Latency"] td').allTextContents();
    assert.deepEqual(latency, ['900 ms', '1.8 s', '+930 ms']);
    await body.locator('tr.differs').filter({ hasText: 'reasoningEffort' }).getByText('high').waitFor();
    const versionDiff = body.locator('pre.diff-lines');
    assert.match((await versionDiff.locator('ins').textContent()) ?? '', /as a senior engineer/);
    assert.match((await versionDiff.locator('del').textContent()) ?? '', /^Review this diff:/);
    await host.screenshot('compare-dark');
    void V2;
  });
});
