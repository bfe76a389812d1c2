// The webview's pure helpers (no browser), and the rule that webview code imports only the
// contract, its own files and its libraries, never extension or service code.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runErrorAdvice } from '../advice.ts';
import { niceMax } from '../chart.ts';
import { count, duration, priceLine, signed, tokens, usd, whenShort } from '../format.ts';
import { EMPTY_PARAMS, modelParameters, modestModel, paramsTaken, parseParams } from '../params.ts';
import { MODELS } from './support/fixtures.ts';
import { REPO } from './support/harness.ts';

describe('webview helpers', () => {
  it('takes a listed model’s parameters from the service, and the contract’s rule only for an unlisted id', () => {
    const house = { ...MODELS[0]!, id: 'gpt-4.1', parameters: { temperature: null, topP: null, maxOutputTokens: { min: 1, max: 4096, integer: true }, reasoningEffort: null, verbosity: null } };
    assert.deepEqual(paramsTaken(modelParameters('gpt-4.1', [house])), ['maxOutputTokens'], 'the service said gpt-4.1 takes no temperature here');
    assert.deepEqual(paramsTaken(modelParameters('gpt-4.1', [])), ['temperature', 'topP', 'maxOutputTokens'], 'an unlisted id follows parametersForModel');
    assert.deepEqual(paramsTaken(modelParameters('o4-mini', [])), ['maxOutputTokens', 'reasoningEffort']);
  });

  it('sends only parameters the model takes and that are filled in, and words what is out of its range', () => {
    const inputs = { ...EMPTY_PARAMS, temperature: '0.7', maxOutputTokens: '500', reasoningEffort: 'high' };
    assert.deepEqual(parseParams(inputs, modelParameters('gpt-4.1', MODELS)), { ok: true, params: { temperature: 0.7, maxOutputTokens: 500 } });
    assert.deepEqual(parseParams(inputs, modelParameters('gpt-5.4', MODELS)), { ok: true, params: { maxOutputTokens: 500, reasoningEffort: 'high' } });
    assert.deepEqual(parseParams({ ...EMPTY_PARAMS, temperature: '3', maxOutputTokens: '1.5' }, modelParameters('gpt-4.1', MODELS)), {
      ok: false,
      problems: { temperature: 'must be between 0 and 2', maxOutputTokens: 'must be a whole number' },
    });
    const narrow = { ...modelParameters('gpt-4.1', MODELS), temperature: { min: 0, max: 1.5, integer: false } };
    assert.deepEqual(parseParams({ ...EMPTY_PARAMS, temperature: '1.8' }, narrow), { ok: false, problems: { temperature: 'must be between 0 and 1.5' } });
    assert.deepEqual(parseParams({ ...EMPTY_PARAMS, reasoningEffort: 'xhigh' }, { ...narrow, reasoningEffort: ['low', 'high'] }), { ok: true, params: {} }, 'a value the model does not allow is left out');
  });

  it('offers a modest model first: a priced "-mini", else the cheapest priced, else the first listed', () => {
    assert.equal(modestModel(MODELS), 'gpt-5.4-mini');
    const unpriced = (id: string) => ({ ...MODELS[2]!, id });
    assert.equal(modestModel([MODELS[0]!, unpriced('x-mini')]), 'gpt-5.4', 'an unpriced -mini is not known to be modest');
    assert.equal(modestModel([unpriced('a'), unpriced('b')]), 'a');
    assert.equal(modestModel([]), '');
  });

  it('formats money: two decimals from a cent, four significant digits below, never "$0.00" for a cost', () => {
    assert.equal(usd(0.001039), '$0.001039');
    assert.equal(usd(0.00745), '$0.00745');
    assert.equal(usd(0.0010001), '$0.001');
    assert.equal(usd(0.00001234), '$0.00001234');
    assert.equal(usd(0.0000001), '$0.0000001');
    assert.equal(usd(0.1), '$0.10');
    assert.equal(usd(12.5), '$12.50');
    assert.equal(usd(1234.5), '$1,234.50');
    assert.equal(usd(0), '$0');
    assert.equal(usd(null), 'unpriced');
    assert.equal(count(1, 'run'), '1 run');
    assert.equal(count(2, 'unpriced run'), '2 unpriced runs');
    assert.equal(count(0, 'run'), '0 runs');
    assert.equal(count(12345, 'token'), '12,345 tokens');
    const now = new Date(2026, 10, 27, 18, 0);
    assert.match(whenShort(new Date(2026, 10, 27, 9, 5).toISOString(), now), /^09:05$/);
    assert.match(whenShort(new Date(2026, 10, 20, 9, 5).toISOString(), now), /^Nov 20 09:05$/);
    assert.match(whenShort(new Date(2025, 0, 2, 9, 5).toISOString(), now), /^Jan 2, 2025$/);
    assert.equal(signed(-0.0012, usd), '−$0.0012');
    assert.equal(signed(120, tokens), '+120');
    assert.equal(duration(65_000), '1 min 5 s');
    assert.equal(priceLine(undefined), 'Unknown model: runs will not be priced');
  });

  it('picks round axis steps', () => {
    assert.deepEqual(niceMax(12_000), { top: 15_000, step: 5000 });
    assert.deepEqual(niceMax(0.075), { top: 0.08, step: 0.02 });
    assert.deepEqual(niceMax(0), { top: 1, step: 0.25 });
  });

  it('says what to do next for the provider errors a run can end with', () => {
    const advice = (code: string, status: number | null = null) => runErrorAdvice({ code, message: 'm', status }, 'gpt-5.4');
    assert.match(advice('invalid_api_key', 401), /OPENAI_API_KEY/);
    assert.match(advice('rate_limit_exceeded', 429), /Wait a minute/);
    assert.match(advice('insufficient_quota', 429), /out of credit/);
    assert.match(advice('unsupported_parameter', 400), /gpt-5\.4 does not take/);
    assert.match(advice('TIMEOUT'), /PROMPTREFINE_RUN_TIMEOUT_MS/);
    assert.match(advice('CONNECTION_ERROR'), /OPENAI_BASE_URL/);
    assert.match(advice('server_error', 500), /server error/);
  });

  it('for the extension’s local service, points key and provider errors at the command and the setting, not at environment variables', () => {
    const local = (code: string, status: number | null = null) => runErrorAdvice({ code, message: 'm', status }, 'gpt-5.4', true);
    assert.match(local('no_api_key'), /No OpenAI API key is set\. Set one with “PromptRefine: Set OpenAI API Key”/);
    assert.match(local('invalid_api_key', 401), /Set OpenAI API Key/);
    assert.match(local('CONNECTION_ERROR'), /promptrefine\.openaiBaseUrl/);
    for (const text of [local('no_api_key'), local('invalid_api_key', 401), local('CONNECTION_ERROR')]) assert.doesNotMatch(text, /OPENAI_/);
    assert.match(runErrorAdvice({ code: 'no_api_key', message: 'm', status: null }, 'gpt-5.4'), /OPENAI_API_KEY where the service runs/);
  });

  it('imports no extension or service code (the webview only talks through the protocol)', async () => {
    const dir = join(REPO, 'webview');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 10);
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
        assert.ok(!/(^|\/)(extension|service|tools)\//.test(spec ?? '') && spec !== 'vscode', `${file} imports ${spec}`);
      }
    }
  });
});
