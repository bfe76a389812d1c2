// The Run tab in Chromium against the built bundle: what the user sees, and what the panel asks
// the (fake) host for.
import assert from 'node:assert/strict';
import { aPrompt, aRun, panelData, queued, V1 } from './support/fixtures.ts';
import { Refusal } from './support/harness.ts';
import { useWebview } from './support/suite.ts';
import { action, choose, field, isDisabled, problemOf, shown, stat, type } from './support/ui.ts';

describe('Run tab', () => {
  const suite = useWebview();

  it('shows the prompt, the current version, the model with its price and only the parameters that apply', async () => {
    const host = await suite.open({ load: () => panelData({ remembered: { variables: {}, input: '', model: 'gpt-5.4', params: {} } }) });
    const page = host.page;
    await page.getByRole('heading', { name: 'Review a diff' }).waitFor();
    assert.ok(host.ready, 'the webview said it is ready');
    assert.equal(host.requests[0]?.name, 'load', 'the first request is for the panel data');
    assert.equal(await shown(page, 'version'), 'Current version (v2)');
    assert.equal(await shown(page, 'model'), 'gpt-5.4', 'the model this prompt last ran with');
    await page.locator('.price').getByText('$2.50 in · $0.25 cached · $15.00 out per 1M tokens').waitFor();
    assert.ok(await field(page, 'reasoningEffort').isVisible());
    assert.ok(await field(page, 'verbosity').isVisible());
    assert.equal(await field(page, 'temperature').count(), 0, 'a reasoning model takes no temperature');

    await choose(page, 'model', 'gpt-4.1');
    await field(page, 'temperature').waitFor();
    assert.ok(await field(page, 'topP').isVisible());
    assert.equal(await field(page, 'reasoningEffort').count(), 0);
    await page.locator('.price').getByText('No price in the service’s table: runs will not be priced').waitFor();
    assert.deepEqual(host.consoleProblems, [], 'no CSP violation or script error');
  });

  it('keeps the model list the user is in and the values typed when a refresh brings nothing new', async () => {
    let data = panelData({ remembered: { variables: {}, input: '', model: 'gpt-5.4', params: {} } });
    const host = await suite.open({ load: () => data });
    const page = host.page;
    await field(page, 'var:diff').waitFor();
    await type(page, 'var:diff', '+ typed, not yet run');
    // The user is in the model list: a redraw would replace it (closing it and losing the focus).
    await field(page, 'model').focus();
    await page.evaluate(() => ((window as unknown as { beforeRefresh: Element | null }).beforeRefresh = document.activeElement));
    // The change feed reconnected: the panel loads again and finds the same data.
    await host.push('refresh', {});
    await host.waitForRequest('load', 2);
    // Give the answer time to be drawn.
    await page.waitForTimeout(500);
    const kept = await page.evaluate(() => {
      const before = (window as unknown as { beforeRefresh: Element | null }).beforeRefresh;
      return before !== null && before.isConnected && document.activeElement === before;
    });
    assert.ok(kept, 'the model list the user was in is the same element, still focused');
    await choose(page, 'model', 'gpt-4.1');
    assert.equal(await shown(page, 'model'), 'gpt-4.1');
    assert.equal(await field(page, 'var:diff').inputValue(), '+ typed, not yet run');
    // A refresh that does bring news (a new current version) is shown.
    data = panelData({ prompt: aPrompt({ currentVersionNumber: 3 }) });
    await host.push('refresh', {});
    await page.getByText('current version v3').waitFor();
  });

  it('flags missing variables once Run is pressed and sends nothing until they are filled', async () => {
    const run = aRun();
    const host = await suite.open({
      load: () => panelData({ remembered: { variables: { diff: '+ remembered line' }, input: '', model: null, params: {} } }),
      startRun: () => queued(run),
      watchRun: () => null,
    });
    const page = host.page;
    await field(page, 'var:diff').waitFor();
    assert.equal(await field(page, 'var:diff').inputValue(), '+ remembered line', 'the last value for this prompt is filled in');
    assert.equal(await problemOf(page, 'var:language'), '', 'a fresh form flags nothing');
    assert.equal(await problemOf(page, 'var:diff'), '');

    await action(page, 'run').click();
    await page.locator('.form-summary').getByText('Fill in {{language}}.').waitFor();
    assert.equal(await problemOf(page, 'var:language'), 'Needs a value');
    assert.equal(host.sent('startRun').length, 0, 'nothing is sent while a variable is missing');

    await type(page, 'var:language', 'French');
    assert.equal(await problemOf(page, 'var:language'), '');
    assert.equal(await page.locator('.form-summary').textContent(), '', 'the summary forgets what was fixed');
    await type(page, 'maxOutputTokens', 'lots');
    await action(page, 'run').click();
    assert.equal(await problemOf(page, 'maxOutputTokens'), 'must be a number');
    assert.equal(host.sent('startRun').length, 0);

    await type(page, 'maxOutputTokens', '800');
    await choose(page, 'reasoningEffort', 'low');
    await page.keyboard.press('Control+Enter');
    const sent = await host.waitForRequest('startRun');
    assert.deepEqual(sent, {
      promptVersionId: null,
      model: 'gpt-5.4-mini',
      params: { maxOutputTokens: 800, reasoningEffort: 'low' },
      inputVariables: { diff: '+ remembered line', language: 'French' },
      input: null,
    });
  });

  it('asks for the input of a system prompt and flags a variable the service refused, in its words', async () => {
    const host = await suite.open({
      load: () => panelData({ prompt: aPrompt({ type: 'system' }) }),
      startRun: () => {
        throw new Refusal({ kind: 'invalid', message: 'inputVariables.language: no value given', details: [{ path: 'inputVariables.language', message: 'no value given for {{language}}' }] });
      },
    });
    const page = host.page;
    await field(page, 'input').waitFor();
    assert.equal(await problemOf(page, 'input'), '', 'not flagged before the user did anything');
    await type(page, 'var:diff', 'x');
    await type(page, 'var:language', 'Go');
    await action(page, 'run').click();
    await page.locator('.form-summary').getByText('Write the input for this system prompt.').waitFor();
    assert.equal(await problemOf(page, 'input'), 'A system prompt needs an input to run');
    await type(page, 'input', 'Here is my change');
    await action(page, 'run').click();
    await host.waitForRequest('startRun');
    assert.equal(host.sent('startRun')[0]?.input, 'Here is my change');
    await page.locator('.error-box').getByText('inputVariables.language: no value given').first().waitFor();
    assert.equal(await problemOf(page, 'var:language'), 'no value given for {{language}}');
    assert.ok(await action(page, 'retry').isVisible(), 'the error offers a retry');
  });

  it('streams the output as it arrives with the elapsed time, then shows usage, cost and the copy/open actions; Run runs again', async () => {
    const run = aRun({ output: 'Echo: the diff looks fine' });
    const host = await suite.open({
      load: () => panelData({ remembered: { variables: { diff: 'd', language: 'English' }, input: '', model: 'gpt-5.4', params: {} } }),
      startRun: () => queued(run),
      watchRun: () => null,
      cancelRun: () => ({ ...run, status: 'canceled' }),
      copyText: () => null,
      openDocument: () => null,
    });
    const page = host.page;
    await action(page, 'run').click();
    assert.deepEqual(await host.waitForRequest('watchRun'), { runId: run.id }, 'the panel asks to stream the run it started');
    assert.ok(await isDisabled(action(page, 'run')), 'Run is disabled while a run is in progress');
    assert.ok(await action(page, 'cancel').isVisible(), 'Cancel is offered while running');
    await page.locator('[data-stat="elapsed"]').waitFor();

    await host.push('runDelta', { runId: run.id, text: 'Echo: ' });
    await page.locator('[data-output]').getByText('Echo:').waitFor();
    await host.push('runDelta', { runId: run.id, text: 'the diff ' });
    await page.locator('[data-output]').getByText('Echo: the diff').waitFor();
    await page.locator('.run-status [data-status="running"]').waitFor();
    const first = await page.locator('[data-stat="elapsed"]').textContent();
    await page.waitForTimeout(450);
    assert.notEqual(await page.locator('[data-stat="elapsed"]').textContent(), first, 'the elapsed time moves on');

    await host.push('runDelta', { runId: 'b3c1d8c6-0000-4000-8000-000000000000', text: 'another run' });
    await host.push('runDone', { run });
    await page.locator('.run-status [data-status="succeeded"]').waitFor();
    assert.equal(await page.locator('[data-output]').textContent(), 'Echo: the diff looks fine', 'text of another run never leaks in');
    assert.equal(await stat(page, 'inputTokens'), '1,200');
    assert.equal(await stat(page, 'cachedInputTokens'), '200');
    assert.equal(await stat(page, 'outputTokens'), '300');
    assert.equal(await stat(page, 'reasoningTokens'), '64');
    assert.equal(await stat(page, 'cost'), '$0.00745');
    assert.equal(await stat(page, 'latency'), '1.8 s');
    assert.equal(await stat(page, 'attempts'), '1');
    assert.equal(await isDisabled(action(page, 'run')), false);
    assert.equal(await action(page, 'cancel').count(), 0);

    await action(page, 'copy').click();
    assert.deepEqual(await host.waitForRequest('copyText'), { text: 'Echo: the diff looks fine' });
    await action(page, 'open-document').click();
    assert.deepEqual(await host.waitForRequest('openDocument'), { text: 'Echo: the diff looks fine', language: 'markdown' });
    assert.equal(await action(page, 'rerun').count(), 0, 'one button runs: Run');
    await action(page, 'run').click();
    await host.waitForRequest('startRun', 2);
  });

  it('starts over on a retry, and cancels', async () => {
    const run = aRun();
    const host = await suite.open({
      load: () => panelData({ remembered: { variables: { diff: 'd', language: 'English' }, input: '', model: null, params: {} } }),
      startRun: () => queued(run),
      watchRun: () => null,
      cancelRun: () => ({ ...run, status: 'canceled', output: null, usage: null, error: { code: 'CANCELED', message: 'The run was canceled.', status: null } }),
    });
    const page = host.page;
    await action(page, 'run').click();
    await host.waitForRequest('watchRun');
    await host.push('runDelta', { runId: run.id, text: 'half an ans' });
    await page.locator('[data-output]').getByText('half an ans').waitFor();
    await host.push('runReset', { runId: run.id, attempt: 2, reason: 'The provider answered 503.' });
    await page.locator('[data-notice="retry"]').getByText('Attempt 2: The provider answered 503. Starting over.').waitFor();
    assert.equal(await page.locator('[data-output]').textContent(), '', 'the text of the failed attempt is gone');

    await action(page, 'cancel').click();
    assert.deepEqual(await host.waitForRequest('cancelRun'), { runId: run.id });
    await page.locator('.run-status [data-status="canceled"]').waitFor();
    await page.getByText('You canceled this run.').waitFor();
  });

  it('shows a failed run in the provider’s words with what to do next', async () => {
    const run = aRun({ status: 'failed', output: null, usage: null, costUsd: null, attempts: 3, error: { code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-5.4 on tokens per min (TPM).', status: 429 } });
    const host = await suite.open({
      load: () => panelData({ remembered: { variables: { diff: 'd', language: 'English' }, input: '', model: null, params: {} } }),
      startRun: () => queued(run),
      watchRun: () => null,
    });
    const page = host.page;
    await action(page, 'run').click();
    await host.waitForRequest('watchRun');
    await host.push('runDone', { run });
    const box = page.locator('[data-run-error="rate_limit_exceeded"]');
    await box.getByText('rate_limit_exceeded (HTTP 429)').waitFor();
    await box.getByText('Rate limit reached for gpt-5.4 on tokens per min (TPM).').waitFor();
    await box.getByText('The provider is rate-limiting this key. Wait a minute and rerun').waitFor();
    assert.equal(await stat(page, 'attempts'), '3');
  });

  it('says before any run that no OpenAI key is set for the local service, and offers the command', async () => {
    let apiKey: 'missing' | 'set' = 'missing';
    const run = aRun({ status: 'failed', output: null, usage: null, costUsd: null, error: { code: 'no_api_key', message: 'No OpenAI API key is configured.', status: null } });
    const host = await suite.open({
      load: () => panelData({ apiKey, remembered: { variables: { diff: 'd', language: 'English' }, input: '', model: null, params: {} } }),
      startRun: () => queued(run),
      watchRun: () => null,
      setApiKey: () => {
        apiKey = 'set';
        return { apiKey };
      },
    });
    const page = host.page;
    const notice = page.locator('[data-notice="no-api-key"]');
    await notice.getByText('No OpenAI API key is set, so runs will fail.').waitFor();
    // A run that fails for want of the key says so in the same words and offers the same command.
    await action(page, 'run').click();
    await host.waitForRequest('watchRun');
    await host.push('runDone', { run });
    const box = page.locator('[data-run-error="no_api_key"]');
    await box.getByText('No OpenAI API key is set. Set one with “PromptRefine: Set OpenAI API Key”, then rerun.').waitFor();
    await box.locator('[data-action="set-api-key"]').click();
    await host.waitForRequest('setApiKey');
    await notice.waitFor({ state: 'detached' });
  });

  it('with a service of the user’s own, names its environment and offers no key command', async () => {
    const run = aRun({ status: 'failed', output: null, usage: null, costUsd: null, error: { code: 'no_api_key', message: 'No OpenAI API key is configured.', status: null } });
    const host = await suite.open({
      load: () => panelData({ apiKey: 'service', remembered: { variables: { diff: 'd', language: 'English' }, input: '', model: null, params: {} } }),
      startRun: () => queued(run),
      watchRun: () => null,
    });
    const page = host.page;
    await action(page, 'run').click();
    await host.waitForRequest('watchRun');
    await host.push('runDone', { run });
    const box = page.locator('[data-run-error="no_api_key"]');
    await box.getByText('set OPENAI_API_KEY where the service runs').waitFor();
    assert.equal(await page.locator('[data-action="set-api-key"]').count(), 0);
    assert.equal(await page.locator('[data-notice="no-api-key"]').count(), 0);
  });

  it('tells an expired session and an unreachable service apart, and recovers', async () => {
    let signedIn = false;
    const host = await suite.open({
      load: () => {
        if (!signedIn) throw new Refusal({ kind: 'expired', message: 'Your PromptRefine session has expired.', details: [] });
        return panelData();
      },
      signIn: () => {
        signedIn = true;
        return { signedIn: true };
      },
    });
    const page = host.page;
    await page.getByText('Your PromptRefine session has expired.').waitFor();
    await page.getByText('sign in again, then retry').waitFor();
    await action(page, 'sign-in').click();
    await page.locator('[data-field="version"]').waitFor();
    assert.equal(host.sent('load').length, 2, 'the panel loads again once signed in');

    const down = await suite.open({
      load: () => {
        throw new Refusal({ kind: 'unreachable', message: 'Cannot reach the PromptRefine service at http://127.0.0.1:8787 (ECONNREFUSED).', details: [] });
      },
      openSettings: () => null,
    });
    await down.page.getByText('(ECONNREFUSED)').waitFor();
    await down.page.getByText('Is the service running (`npm start`)?').waitFor();
    await action(down.page, 'open-settings').click();
    await down.waitForRequest('openSettings');
  });

  it('runs an older version chosen in the list and offers to restore it', async () => {
    const host = await suite.open({ load: () => panelData(), restoreVersion: () => null, openVersion: () => null });
    const page = host.page;
    await choose(page, 'version', 'v1');
    await field(page, 'var:diff').waitFor();
    assert.equal(await field(page, 'var:language').count(), 0, 'v1 has only {{diff}}');
    await action(page, 'open-version').click();
    assert.deepEqual(await host.waitForRequest('openVersion'), { versionId: V1.id });
    await action(page, 'restore-version').click();
    assert.deepEqual(await host.waitForRequest('restoreVersion'), { versionId: V1.id });
    await host.waitForRequest('load', 2);
    await action(page, 'restore-version').waitFor({ state: 'detached' });
    assert.equal(await shown(page, 'version'), 'Current version (v2)', 'after a restore the panel runs the (new) current version');
  });
});
