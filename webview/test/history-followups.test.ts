// History's "Save as Case" and "Replay on Current Version", and the Run form's variables filled from
// the editor's selection or a workspace file, in Chromium with the fake host.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestCase, TestRun } from '../../contract/index.ts';
import { PROMPT_ID, V1, aRun, panelData, queued } from './support/fixtures.ts';
import { Refusal } from './support/harness.ts';
import { useWebview } from './support/suite.ts';
import { action, problemOf, tab, type, valueIn } from './support/ui.ts';

const original = aRun({
  promptVersionId: V1.id,
  versionNumber: 1,
  output: 'Echo: the diff is fine',
  inputVariables: { diff: '+ a line', language: 'English' },
  createdAt: '2026-11-27T10:01:00.000Z',
});

function savedCase(name: string): TestCase {
  return { id: randomUUID(), promptId: PROMPT_ID, name, inputVariables: original.inputVariables, input: null, expectations: [], createdAt: '2026-11-27T11:00:00.000Z', updatedAt: '2026-11-27T11:00:00.000Z' };
}

describe('History: save as case, replay; Run: variables from code', () => {
  const suite = useWebview();

  it('saves a run as a case under the name typed, and the Cases tab shows it', async () => {
    const cases: TestCase[] = [];
    const host = await suite.open({
      load: () => panelData(),
      listRuns: () => ({ items: [original], nextCursor: null }),
      caseFromRun: ({ name }) => {
        const c = savedCase(name ?? 'From the run of 2026-11-27 10:01 UTC (gpt-5.4)');
        cases.unshift(c);
        return c;
      },
      listCases: () => ({ items: [...cases], nextCursor: null }),
    });
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${original.id}"]`).click();
    await action(page, 'save-as-case').click();
    await type(page, 'save-case-name', 'fine diff');
    await action(page, 'save-as-case-confirm').click();
    assert.deepEqual(await host.waitForRequest('caseFromRun'), { runId: original.id, name: 'fine diff' });
    await page.locator('[data-notice="case-saved"]').getByText('Saved as the case “fine diff”').waitFor();

    // Without a name the service names it.
    await action(page, 'save-as-case').click();
    await action(page, 'save-as-case-confirm').click();
    assert.deepEqual(await host.waitForRequest('caseFromRun', 2), { runId: original.id });
    await page.locator('[data-notice="case-saved"]').getByText('“From the run of 2026-11-27 10:01 UTC (gpt-5.4)”').waitFor();

    await action(page, 'show-cases').click();
    await page.locator('.case .case-name').first().waitFor();
    assert.deepEqual(await page.locator('.case .case-name').allTextContents(), ['From the run of 2026-11-27 10:01 UTC (gpt-5.4)', 'fine diff']);
    assert.match((await page.locator('.case').last().locator('.case-values').textContent()) ?? '', /\{\{diff\}\}\+ a line/);
  });

  it('replays a run on the current version: the new output streams in, then shows diffed against the original and joins the list', async () => {
    const replayed = aRun({ output: 'Echo: the diff looks fine', costUsd: 0.01, createdAt: '2026-11-27T12:00:00.000Z' });
    let replayEnded = false;
    const host = await suite.open({
      load: () => panelData(),
      listRuns: () => ({ items: replayEnded ? [replayed, original] : [original], nextCursor: null }),
      replayRun: () => queued(replayed),
      watchRun: () => null,
      getRun: ({ runId }) => (runId === original.id ? original : replayed),
      getVersion: () => V1,
    });
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${original.id}"]`).click();
    await action(page, 'replay-current').click();
    assert.deepEqual(await host.waitForRequest('replayRun'), { runId: original.id }, 'the current version: no version named');
    assert.deepEqual(await host.waitForRequest('watchRun'), { runId: replayed.id });
    await host.push('runDelta', { runId: replayed.id, text: 'Echo: the diff ' });
    const replay = page.locator('.replay');
    await replay.locator('[data-replay-output]').getByText('Echo: the diff').waitFor();
    // Another run's words are not the replay's.
    await host.push('runDelta', { runId: randomUUID(), text: 'NOT THIS' });
    await host.push('runDelta', { runId: replayed.id, text: 'looks fine' });
    await replay.locator('[data-replay-output]').getByText('Echo: the diff looks fine').waitFor();
    replayEnded = true;
    await host.push('runDone', { run: replayed });
    const diff = replay.locator('pre.diff-words');
    await diff.waitFor();
    // The history lists the new run, and the original stays selected with the replay's diff under it.
    await page.locator(`tr[data-run-id="${replayed.id}"]`).waitFor();
    assert.equal(await page.locator('tr.selected').getAttribute('data-run-id'), original.id);
    await diff.waitFor();
    assert.equal(await diff.locator('del').allTextContents().then((t) => t.join('')), 'is');
    assert.equal(await diff.locator('ins').allTextContents().then((t) => t.join('')), 'looks');
    assert.equal(await replay.locator('[data-replay-verdict]').getAttribute('data-replay-verdict'), 'different');
    assert.match((await replay.locator('.run-status').textContent()) ?? '', /v1 → v2/);
    assert.doesNotMatch((await replay.textContent()) ?? '', /NOT THIS/);

    // The full comparison is one click away, A the original and B the replay.
    await action(page, 'replay-compare').click();
    const body = page.locator('.compare-body');
    await body.locator('[data-slot="A"]').getByText('A: v1').waitFor();
    await body.locator('[data-slot="B"]').getByText('B: v2').waitFor();
    await host.screenshot('replay-compare');
  });

  it('shows the service’s refusal of a replay (a variable the current version needs)', async () => {
    const host = await suite.open({
      load: () => panelData(),
      listRuns: () => ({ items: [original], nextCursor: null }),
      replayRun: () => {
        throw new Refusal({ kind: 'invalid', message: 'The request is invalid.', details: [{ path: 'inputVariables.tone', message: 'is used by the version and has no value' }] });
      },
      getVersion: () => V1,
    });
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${original.id}"]`).click();
    await action(page, 'replay-current').click();
    await page.locator('.replay .error-box').getByText('inputVariables.tone: is used by the version and has no value').waitFor();
  });

  it('fills a variable from the editor’s selection or a workspace file, and flags it when the host refuses', async () => {
    let selection: { text: string; from: string } | null = { text: 'function add(a, b) {\n  return a + b;\n}', from: 'src/math.ts:3–5' };
    const host = await suite.open({
      load: () => panelData(),
      textFromSelection: () => {
        if (!selection) throw new Refusal({ kind: 'other', message: 'Nothing is selected in src/math.ts: select the code to use, then try again.', details: [] });
        return selection;
      },
      textFromFile: () => ({ text: 'French\n', from: 'docs/language.txt' }),
      startRun: (p) => queued(aRun({ inputVariables: p.inputVariables })),
      watchRun: () => null,
    });
    const page = host.page;
    const diffField = page.locator('.field[data-for="var:diff"]');
    await diffField.locator('vscode-button[data-action="from-selection"]').click();
    await host.waitForRequest('textFromSelection');
    await diffField.getByText('from src/math.ts:3–5').waitFor();
    assert.equal(await valueIn(page, 'var:diff'), 'function add(a, b) {\n  return a + b;\n}');

    await page.locator('.field[data-for="var:language"] vscode-button[data-action="from-file"]').click();
    await host.waitForRequest('textFromFile');
    await page.locator('.field[data-for="var:language"]').getByText('from docs/language.txt').waitFor();
    assert.equal(await valueIn(page, 'var:language'), 'French\n');

    await action(page, 'run').click();
    const sent = await host.waitForRequest('startRun');
    assert.deepEqual(sent.inputVariables, { diff: 'function add(a, b) {\n  return a + b;\n}', language: 'French\n' }, 'the run sends the filled values');

    selection = null;
    await diffField.locator('vscode-button[data-action="from-selection"]').click();
    await host.waitForRequest('textFromSelection', 2);
    await page.locator('.field[data-for="var:diff"].flagged').waitFor();
    assert.match(await problemOf(page, 'var:diff'), /Nothing is selected in src\/math\.ts/);
    assert.equal(await valueIn(page, 'var:diff'), 'function add(a, b) {\n  return a + b;\n}', 'the value stays');
  });
});
