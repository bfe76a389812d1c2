// The webview's pure helpers (no browser), and the rule that webview code imports only the
// contract, its own files and its libraries, never extension or service code.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runErrorAdvice } from '../advice.ts';
import { niceMax } from '../chart.ts';
import { duration, priceLine, signed, tokens, usd } from '../format.ts';
import { applicableParams, parseParams, EMPTY_PARAMS } from '../params.ts';
import { REPO } from './support/harness.ts';

describe('webview helpers', () => {
  it('offers the parameters each kind of model takes', () => {
    assert.deepEqual([...applicableParams('gpt-5.4')].sort(), ['maxOutputTokens', 'reasoningEffort', 'verbosity']);
    assert.deepEqual([...applicableParams('o4-mini')].sort(), ['maxOutputTokens', 'reasoningEffort']);
    assert.deepEqual([...applicableParams('gpt-4.1')].sort(), ['maxOutputTokens', 'temperature', 'topP']);
  });

  it('sends only parameters that apply and are filled in, and words what is out of range', () => {
    const inputs = { ...EMPTY_PARAMS, temperature: '0.7', maxOutputTokens: '500', reasoningEffort: 'high' };
    assert.deepEqual(parseParams(inputs, 'gpt-4.1'), { ok: true, params: { temperature: 0.7, maxOutputTokens: 500 } });
    assert.deepEqual(parseParams(inputs, 'gpt-5.4'), { ok: true, params: { maxOutputTokens: 500, reasoningEffort: 'high' } });
    assert.deepEqual(parseParams({ ...EMPTY_PARAMS, temperature: '3', maxOutputTokens: '1.5' }, 'gpt-4.1'), {
      ok: false,
      problems: { temperature: 'must be between 0 and 2', maxOutputTokens: 'must be a whole number' },
    });
  });

  it('formats money so a cheap run does not read as free, and differences with a sign', () => {
    assert.equal(usd(0.00745), '$0.00745');
    assert.equal(usd(0.00001234), '$0.00001234');
    assert.equal(usd(12.5), '$12.5');
    assert.equal(usd(15), '$15');
    assert.equal(usd(null), 'unpriced');
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
