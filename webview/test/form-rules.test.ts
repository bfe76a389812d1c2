// The run form follows the service's model rules (GET /api/models), starts from a modest model,
// flags fields only once the user met them, and the history detail names runs by title and
// version; in Chromium against the built bundle.
import assert from 'node:assert/strict';
import type { ModelInfo } from '../../contract/index.ts';
import { MODELS, aRun, panelData, queued, V1 } from './support/fixtures.ts';
import { useWebview } from './support/suite.ts';
import { action, choose, field, problemOf, shown, tab, type } from './support/ui.ts';

const unpriced = { inputPerMTok: null, cachedInputPerMTok: null, outputPerMTok: null, priceSource: null, priceDate: null };
/** A sampling model by its name, which this service says takes no temperature nor top-p. */
const LOCKED: ModelInfo = {
  id: 'gpt-4.1-locked',
  api: 'chat',
  ...unpriced,
  parameters: { temperature: null, topP: null, maxOutputTokens: { min: 1, max: 4096, integer: true }, reasoningEffort: null, verbosity: null },
};
/** A local model whose temperature stops at 1.5. */
const LOCAL: ModelInfo = {
  id: 'local-llama',
  api: 'chat',
  ...unpriced,
  parameters: { temperature: { min: 0, max: 1.5, integer: false }, topP: null, maxOutputTokens: { min: 1, max: 8192, integer: true }, reasoningEffort: null, verbosity: null },
};
const filled = { variables: { diff: '+ a line', language: 'English' }, input: '', params: {} };

describe('Run form rules', () => {
  const suite = useWebview();

  it('shows the parameters and limits the service gives for a model, and the contract’s rule for an unlisted id', async () => {
    const run = aRun();
    const host = await suite.open({
      load: () => panelData({ models: [...MODELS, LOCKED, LOCAL], remembered: { ...filled, model: LOCKED.id } }),
      startRun: () => queued(run),
      watchRun: () => null,
    });
    const page = host.page;
    await field(page, 'maxOutputTokens').waitFor();
    assert.equal(await shown(page, 'model'), LOCKED.id);
    assert.equal(await field(page, 'temperature').count(), 0, 'the service says this model takes no temperature');
    assert.equal(await field(page, 'topP').count(), 0);

    await choose(page, 'model', LOCAL.id);
    await field(page, 'temperature').waitFor();
    assert.equal(await field(page, 'topP').count(), 0, 'nor top-p for the local model');
    await type(page, 'temperature', '1.8');
    await action(page, 'run').click();
    assert.equal(await problemOf(page, 'temperature'), 'must be between 0 and 1.5');
    await page.locator('.form-summary').getByText('Temperature must be between 0 and 1.5.').waitFor();
    assert.equal(host.sent('startRun').length, 0);
    await type(page, 'temperature', '1.2');
    assert.equal(await page.locator('.form-summary').textContent(), '');

    // gpt-5.4's efforts as the service lists them: no "minimal" (gpt-5 only).
    await choose(page, 'model', 'gpt-5.4');
    const efforts = await field(page, 'reasoningEffort').locator('option').allTextContents();
    assert.deepEqual(efforts.map((e) => e.trim()), ['Model default', 'none', 'low', 'medium', 'high', 'xhigh']);

    // An id the list does not have: the contract's parametersForModel decides.
    await choose(page, 'model', 'Other model id…');
    await type(page, 'customModel', 'o4-mini');
    await field(page, 'reasoningEffort').waitFor();
    assert.equal(await field(page, 'temperature').count(), 0);
    assert.equal(await field(page, 'verbosity').count(), 0, 'verbosity is a gpt-5 parameter');
    await type(page, 'customModel', 'my-local-model');
    await field(page, 'temperature').waitFor();
    await action(page, 'run').click();
    const sent = await host.waitForRequest('startRun');
    assert.equal(sent.model, 'my-local-model');
  });

  it('starts from the model this prompt last ran with, else a modest one (not the dearest)', async () => {
    const fresh = await suite.open({ load: () => panelData() });
    await field(fresh.page, 'model').waitFor();
    assert.equal(await shown(fresh.page, 'model'), 'gpt-5.4-mini', 'the cheapest priced -mini model, not gpt-5.4 listed first');

    const used = await suite.open({ load: () => panelData({ remembered: { ...filled, model: 'gpt-4.1' } }) });
    await field(used.page, 'temperature').waitFor();
    assert.equal(await shown(used.page, 'model'), 'gpt-4.1');
  });

  it('flags a field only after the user typed in it or pressed Run, and clears flag and summary as soon as it is filled', async () => {
    const host = await suite.open({ load: () => panelData() });
    const page = host.page;
    await field(page, 'var:diff').waitFor();
    assert.equal(await page.locator('.field.flagged').count(), 0, 'a fresh form shows nothing red');
    assert.equal(await page.locator('.field-problem:not(:empty)').count(), 0);

    // Typed in and emptied again, {{diff}} says what it needs; {{language}}, only passed through, stays quiet.
    await field(page, 'var:diff').pressSequentially('x');
    await field(page, 'var:diff').press('Backspace');
    await field(page, 'var:language').focus();
    await field(page, 'var:diff').focus();
    assert.equal(await problemOf(page, 'var:diff'), 'Needs a value');
    assert.equal(await problemOf(page, 'var:language'), '');

    await action(page, 'run').click();
    await page.locator('.form-summary').getByText('Fill in {{diff}}, {{language}}.').waitFor();
    await type(page, 'var:diff', '+ a line');
    assert.equal(await problemOf(page, 'var:diff'), '');
    await page.locator('.form-summary').getByText('Fill in {{language}}.').waitFor();
    await type(page, 'var:language', 'Go');
    assert.equal(await problemOf(page, 'var:language'), '');
    assert.equal(await page.locator('.form-summary').textContent(), '', 'nothing stays red once filled');
    assert.equal(await page.locator('.field.flagged').count(), 0);
  });

  it('names a run in the history detail by prompt title and version, and copies its id on request', async () => {
    const run = aRun({ promptVersionId: V1.id, versionNumber: 1 });
    const host = await suite.open({ load: () => panelData(), listRuns: () => ({ items: [run], nextCursor: null }), copyText: () => null });
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${run.id}"] td`).first().click();
    const detail = page.locator('.run-detail');
    await detail.locator('.run-about').getByText('Review a diff · v1 · gpt-5.4 · Responses API').waitFor();
    const text = (await detail.textContent()) ?? '';
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(text), `no raw id in the detail: ${text}`);
    await action(page, 'copy-run-id').click();
    assert.deepEqual(await host.waitForRequest('copyText'), { text: run.id });
  });
});
