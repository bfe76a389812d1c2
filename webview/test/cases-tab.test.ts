// The Cases tab in Chromium with the fake host: the list, adding a case, editing expectations in
// place, a refusal from the service shown by the field it names with what was typed kept, and
// deleting after a confirmation in the page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestCase } from '../../contract/index.ts';
import type { RequestParams } from '../protocol.ts';
import { PROMPT_ID, aPrompt, panelData } from './support/fixtures.ts';
import { Refusal } from './support/harness.ts';
import { useWebview } from './support/suite.ts';
import { action, choose, problemOf, shown, tab, type, valueIn } from './support/ui.ts';

function aCase(overrides: Partial<TestCase> = {}): TestCase {
  return {
    id: randomUUID(),
    promptId: PROMPT_ID,
    name: 'one-line diff',
    inputVariables: { diff: '+ return 1', language: 'English' },
    input: null,
    expectations: [{ kind: 'contains', value: 'LGTM' }],
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    ...overrides,
  };
}

/** Handlers keeping cases as the service does (newest first), recording nothing else. */
function service(initial: TestCase[]) {
  const cases = [...initial];
  return {
    cases,
    listCases: () => ({ items: [...cases], nextCursor: null }),
    createCase: (p: RequestParams<'createCase'>) => {
      const c = aCase({ id: randomUUID(), ...p, expectations: p.expectations as TestCase['expectations'] });
      cases.unshift(c);
      return c;
    },
    updateCase: ({ caseId, ...fields }: RequestParams<'updateCase'>) => {
      const at = cases.findIndex((c) => c.id === caseId);
      const next = { ...cases[at]!, ...fields, expectations: (fields.expectations ?? cases[at]!.expectations) as TestCase['expectations'] };
      cases[at] = next;
      return next;
    },
    deleteCase: ({ caseId }: RequestParams<'deleteCase'>) => {
      cases.splice(cases.findIndex((c) => c.id === caseId), 1);
      return null;
    },
  };
}

describe('Cases tab', () => {
  const suite = useWebview();

  it('lists the cases and adds one with the current version’s variables and expectations', async () => {
    const existing = aCase({ expectations: [{ kind: 'contains', value: 'LGTM' }, { kind: 'maxOutputTokens', value: 200 }, { kind: 'jsonValid', value: false }] });
    const s = service([existing]);
    const host = await suite.open({ load: () => panelData(), listCases: s.listCases, createCase: s.createCase });
    const page = host.page;
    await tab(page, 'Cases');
    const card = page.locator(`.case[data-case-id="${existing.id}"]`);
    await card.getByText('one-line diff').waitFor();
    assert.deepEqual(await card.locator('.case-expectations li').allTextContents(), ['Contains “LGTM”', 'Output tokens at most 200', 'Is not valid JSON']);
    assert.match((await card.locator('.case-values').textContent()) ?? '', /\{\{diff\}\}\+ return 1/);

    await action(page, 'add-case').click();
    const editor = page.locator('.case-editor[data-editing="new"]');
    await editor.waitFor();
    // v2, the current version, uses {{diff}} and {{language}}.
    assert.equal(await editor.locator('[data-field="case-var:diff"]').count(), 1);
    assert.equal(await editor.locator('[data-field="case-var:language"]').count(), 1);
    await type(page, 'case-name', 'empty diff');
    await type(page, 'case-var:diff', '');
    await type(page, 'case-var:language', 'French');
    await action(page, 'add-expectation').click();
    await choose(page, 'exp-0-kind', 'Does not contain');
    await type(page, 'exp-0-value', 'TODO');
    await action(page, 'add-expectation').click();
    await choose(page, 'exp-1-kind', 'Latency at most');
    await type(page, 'exp-1-value', 'soon');
    await action(page, 'save-case').click();
    assert.equal(await problemOf(page, 'exp-1-value'), 'Enter a number', 'the browser catches a number that is not one');
    assert.equal(host.sent('createCase').length, 0);
    await type(page, 'exp-1-value', '5000');
    await action(page, 'save-case').click();
    const sent = await host.waitForRequest('createCase');
    assert.deepEqual(sent, {
      name: 'empty diff',
      inputVariables: { diff: '', language: 'French' },
      input: null,
      expectations: [{ kind: 'notContains', value: 'TODO' }, { kind: 'maxLatencyMs', value: 5000 }],
    });
    await page.locator('.case .case-name').filter({ hasText: 'empty diff' }).waitFor();
    assert.deepEqual(await page.locator('.case .case-name').allTextContents(), ['empty diff', 'one-line diff'], 'newest first');
    assert.equal(await page.locator('.case-editor').count(), 0, 'the editor closed');
  });

  it('edits expectations in place; a regex the service refuses is shown by its field, with what was typed kept', async () => {
    const existing = aCase();
    const s = service([existing]);
    const host = await suite.open({
      load: () => panelData(),
      listCases: s.listCases,
      updateCase: (p) => {
        const regex = p.expectations?.find((e) => e.kind === 'regex');
        if (regex && regex.value === '(a+)+$') {
          throw new Refusal({
            kind: 'invalid',
            message: 'The request is invalid.',
            details: [{ path: `expectations.${p.expectations?.indexOf(regex)}.value`, message: 'could take exponential time: a repeated group holds a quantifier ((a+)+)' }],
          });
        }
        return s.updateCase(p);
      },
    });
    const page = host.page;
    await tab(page, 'Cases');
    const card = page.locator(`.case[data-case-id="${existing.id}"]`);
    await card.locator('vscode-button[data-action="edit-case"]').click();
    await card.locator('.case-editor').waitFor();
    assert.equal(await valueIn(page, 'case-name'), 'one-line diff');
    assert.equal(await valueIn(page, 'exp-0-value'), 'LGTM');
    assert.equal(await action(page, 'add-case').count(), 0, 'one case is edited at a time');

    await choose(page, 'exp-0-kind', 'Matches the regex');
    assert.equal(await valueIn(page, 'exp-0-value'), 'LGTM', 'text kinds keep what was typed');
    await type(page, 'exp-0-value', '(a+)+$');
    await action(page, 'add-expectation').click();
    await choose(page, 'exp-1-kind', 'Is valid JSON');
    assert.equal(await shown(page, 'exp-1-value'), 'yes');
    await action(page, 'save-case').click();
    await host.waitForRequest('updateCase');
    await page.locator('.field[data-for="exp-0-value"].flagged').waitFor();
    await host.screenshot('cases-refused-regex');
    assert.match(await problemOf(page, 'exp-0-value'), /could take exponential time/);
    assert.equal(await valueIn(page, 'exp-0-value'), '(a+)+$', 'what the user typed stays');
    assert.equal(await shown(page, 'exp-1-kind'), 'Is valid JSON');
    assert.equal(await valueIn(page, 'case-name'), 'one-line diff');
    assert.deepEqual(s.cases[0]?.expectations, [{ kind: 'contains', value: 'LGTM' }], 'nothing was saved');

    await type(page, 'exp-0-value', '^LGTM');
    assert.equal(await problemOf(page, 'exp-0-value'), '', 'typing clears the flag');
    await action(page, 'save-case').click();
    const saved = await host.waitForRequest('updateCase', 2);
    assert.deepEqual(saved.expectations, [{ kind: 'regex', value: '^LGTM' }, { kind: 'jsonValid', value: true }]);
    assert.equal(saved.caseId, existing.id);
    await card.locator('.case-expectations li').filter({ hasText: 'Matches the regex “^LGTM”' }).waitFor();
    assert.deepEqual(await card.locator('.case-expectations li').allTextContents(), ['Matches the regex “^LGTM”', 'Is valid JSON']);

    // Removing an expectation in place.
    await card.locator('vscode-button[data-action="edit-case"]').click();
    await card.locator('.expectation').first().locator('vscode-button[data-action="remove-expectation"]').click();
    assert.equal(await card.locator('.expectation').count(), 1);
    await action(page, 'save-case').click();
    assert.deepEqual((await host.waitForRequest('updateCase', 3)).expectations, [{ kind: 'jsonValid', value: true }]);
    await card.locator('.case-expectations li').filter({ hasText: 'Is valid JSON' }).waitFor();
    assert.equal(await card.locator('.case-expectations li').count(), 1);
  });

  it('asks a system prompt’s case for its input, and shows a refusal it cannot tie to a field in the service’s words', async () => {
    const s = service([]);
    let refuse = true;
    const host = await suite.open({
      load: () => panelData({ prompt: aPrompt({ type: 'system' }) }),
      listCases: s.listCases,
      createCase: (p) => {
        if (refuse) throw new Refusal({ kind: 'invalid', message: 'The request is invalid.', details: [{ path: 'expectations', message: 'at most 20 expectations' }] });
        return s.createCase(p);
      },
    });
    const page = host.page;
    await tab(page, 'Cases');
    await page.getByText('No test cases yet.').waitFor();
    await action(page, 'add-case').click();
    await type(page, 'case-name', 'long file');
    await type(page, 'case-var:diff', '+ x');
    await type(page, 'case-var:language', 'English');
    await type(page, 'case-input', 'Review the attached file.');
    await action(page, 'save-case').click();
    await page.locator('.case-editor .error-box').getByText('expectations: at most 20 expectations').waitFor();
    assert.equal(await valueIn(page, 'case-input'), 'Review the attached file.', 'what was typed stays');
    refuse = false;
    await action(page, 'save-case').click();
    const sent = await host.waitForRequest('createCase', 2);
    assert.equal(sent.input, 'Review the attached file.');
    await page.locator('.case .case-values').getByText('Review the attached file.').waitFor();
  });

  it('deletes a case only once confirmed in the page', async () => {
    const keep = aCase({ name: 'keep me' });
    const drop = aCase({ name: 'drop me' });
    const s = service([drop, keep]);
    const host = await suite.open({ load: () => panelData(), listCases: s.listCases, deleteCase: s.deleteCase });
    const page = host.page;
    await tab(page, 'Cases');
    const card = page.locator(`.case[data-case-id="${drop.id}"]`);
    await card.locator('vscode-button[data-action="delete-case"]').click();
    await card.getByText('Delete the case “drop me”?').waitFor();
    await card.locator('vscode-button[data-action="cancel-delete"]').click();
    assert.equal(await card.locator('.confirm').count(), 0);
    assert.equal(host.sent('deleteCase').length, 0, 'nothing is deleted without the confirmation');

    await card.locator('vscode-button[data-action="delete-case"]').click();
    await card.locator('vscode-button[data-action="confirm-delete"]').click();
    assert.deepEqual(await host.waitForRequest('deleteCase'), { caseId: drop.id });
    await card.waitFor({ state: 'detached' });
    assert.deepEqual(await page.locator('.case .case-name').allTextContents(), ['keep me']);
  });

  it('loads the list again when the prompt’s cases change elsewhere, but not while a case is edited', async () => {
    const s = service([aCase({ name: 'first' })]);
    const host = await suite.open({ load: () => panelData(), listCases: s.listCases });
    const page = host.page;
    await tab(page, 'Cases');
    await page.locator('.case .case-name').getByText('first').waitFor();
    s.cases.unshift(aCase({ name: 'added by a script' }));
    await host.push('refresh', {});
    await page.locator('.case .case-name').getByText('added by a script').waitFor();

    await page.locator('.case vscode-button[data-action="edit-case"]').first().click();
    await type(page, 'case-name', 'half typed');
    const asked = host.sent('listCases').length;
    s.cases.unshift(aCase({ name: 'another' }));
    await host.push('refresh', {});
    await host.waitForRequest('load', 3);
    await page.waitForTimeout(200);
    assert.equal(host.sent('listCases').length, asked, 'not reloaded under the open form');
    assert.equal(await valueIn(page, 'case-name'), 'half typed');
  });

  it('says the service’s words when the list cannot be loaded, and loads again on Retry', async () => {
    let fail = true;
    const host = await suite.open({
      load: () => panelData(),
      listCases: () => {
        if (fail) throw new Refusal({ kind: 'unreachable', message: 'Cannot reach the PromptRefine service at http://127.0.0.1:9.', details: [] });
        return { items: [aCase({ name: 'back again' })], nextCursor: null };
      },
    });
    const page = host.page;
    await tab(page, 'Cases');
    await page.locator('.cases-view .error-box').getByText('Cannot reach the PromptRefine service').waitFor();
    fail = false;
    await action(page, 'retry').click();
    await page.locator('.case .case-name').getByText('back again').waitFor();
  });
});
