// The one rule of which parameters a model takes (contract/models.ts): served by GET /api/models,
// enforced by POST /api/test-runs, overridable per model in a models file, and followed by the
// fake OpenAI server, so the form, the service and the provider stand-in agree.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parametersForModel, type ModelInfo, type PromptWithVersion, type TestRun } from '../../contract/index.ts';
import { isReasoningModel, startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { createModelCatalog } from '../runs/model-catalog.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';

const KEY = TEST_RUN_SETTINGS.apiKey as string;
const SAMPLING = ['maxOutputTokens', 'temperature', 'topP'];
const takes = (id: string) =>
  Object.entries(parametersForModel(id))
    .filter(([, rule]) => rule !== null)
    .map(([name]) => name)
    .sort();

describe('model parameter rule (parametersForModel)', () => {
  it('gives reasoning models (gpt-5 family, o-series) a reasoning effort instead of temperature and top-p', () => {
    assert.deepEqual(takes('gpt-5.4'), ['maxOutputTokens', 'reasoningEffort', 'verbosity']);
    assert.deepEqual(takes('gpt-5.3-codex'), ['maxOutputTokens', 'reasoningEffort', 'verbosity']);
    assert.deepEqual(takes('gpt-5-mini'), ['maxOutputTokens', 'reasoningEffort', 'verbosity']);
    assert.deepEqual(takes('o4-mini'), ['maxOutputTokens', 'reasoningEffort']);
    assert.deepEqual(takes('o3'), ['maxOutputTokens', 'reasoningEffort']);
  });

  it('treats every other id as a sampling model, whatever letter it starts with', () => {
    for (const id of ['gpt-4.1', 'gpt-4o-mini', 'llama3.1:8b', 'omni-moderation-latest', 'olmo-2', 'gpt-50-experimental']) {
      assert.deepEqual(takes(id), SAMPLING, id);
    }
  });

  it('ignores case, spaces and a provider prefix', () => {
    assert.deepEqual(takes(' GPT-5.4 '), ['maxOutputTokens', 'reasoningEffort', 'verbosity']);
    assert.deepEqual(takes('openai/o3'), ['maxOutputTokens', 'reasoningEffort']);
  });

  it('offers the reasoning efforts each generation takes, and limits as RunParams has them', () => {
    assert.deepEqual(parametersForModel('gpt-5').reasoningEffort, ['minimal', 'low', 'medium', 'high']);
    assert.deepEqual(parametersForModel('gpt-5.1-codex').reasoningEffort, ['none', 'low', 'medium', 'high']);
    assert.deepEqual(parametersForModel('gpt-5.4').reasoningEffort, ['none', 'low', 'medium', 'high', 'xhigh']);
    assert.deepEqual(parametersForModel('o3').reasoningEffort, ['low', 'medium', 'high']);
    assert.deepEqual(parametersForModel('gpt-4.1').temperature, { min: 0, max: 2, integer: false });
    assert.deepEqual(parametersForModel('gpt-4.1').topP, { min: 0, max: 1, integer: false });
    assert.deepEqual(parametersForModel('o3').maxOutputTokens, { min: 1, max: 1_000_000, integer: true });
  });

  it('is the rule the fake OpenAI server follows', () => {
    for (const id of ['gpt-5.4', 'GPT-5.4', 'o4-mini', 'gpt-4.1', 'omni-moderation-latest', 'llama3']) {
      assert.equal(isReasoningModel(id), parametersForModel(id).reasoningEffort !== null, id);
    }
  });
});

describe('model table parameters (models file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptrefine-models-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets a models file override the rule for one model, field by field', () => {
    const file = join(dir, 'models.json');
    const parameters = { temperature: null, maxOutputTokens: { min: 1, max: 4096, integer: true } };
    writeFileSync(file, JSON.stringify({ models: [{ id: 'local-reasoner', api: 'chat', parameters: { ...parameters, reasoningEffort: ['low', 'high'] } }] }));
    const catalog = createModelCatalog({ file, defaultApi: 'chat' });
    assert.deepEqual(catalog.parametersFor('local-reasoner'), {
      temperature: null,
      topP: { min: 0, max: 1, integer: false },
      maxOutputTokens: { min: 1, max: 4096, integer: true },
      reasoningEffort: ['low', 'high'],
      verbosity: null,
    });
    assert.deepEqual(catalog.parametersFor('not-listed'), parametersForModel('not-listed'));
  });

  it('refuses a models file whose limits lie outside what any run may send', () => {
    const file = join(dir, 'models.json');
    writeFileSync(file, JSON.stringify({ models: [{ id: 'x', api: 'chat', parameters: { temperature: { min: 0, max: 5, integer: false } } }] }));
    assert.throws(() => createModelCatalog({ file, defaultApi: 'chat' }), /models\.0\.parameters\.temperature: must lie within 0–2/);
    writeFileSync(file, JSON.stringify({ models: [{ id: 'x', api: 'chat', parameters: { reasoningEffort: ['extreme'] } }] }));
    assert.throws(() => createModelCatalog({ file, defaultApi: 'chat' }), /models\.0\.parameters\.reasoningEffort\.0/);
    writeFileSync(file, JSON.stringify({ models: [{ id: 'x', api: 'chat', parameters: { seed: null } }] }));
    assert.throws(() => createModelCatalog({ file, defaultApi: 'chat' }), /seed/);
  });
});

describeEachDatabase('model parameters over HTTP', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let api: ApiClient;
  let prompt: PromptWithVersion;
  let dir: string;

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
    dir = mkdtempSync(join(tmpdir(), 'promptrefine-models-'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fake.reset();
    const modelsFile = join(dir, 'models.json');
    writeFileSync(modelsFile, JSON.stringify({ models: [{ id: 'small-local', api: 'chat', parameters: { maxOutputTokens: { min: 1, max: 2048, integer: true } } }] }));
    app = await startTestApp(database(), {}, { baseUrl: fake.url, modelsFile });
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Greeter', content: 'Say hello.' });
  });
  afterEach(() => app.close());

  it('serves the parameters every model takes with GET /api/models, a models file override included', async () => {
    const models = await api.ok<ModelInfo[]>('GET', '/api/models');
    assert.ok(models.length > 1);
    for (const model of models) {
      if (model.id === 'small-local') continue;
      assert.deepEqual(model.parameters, parametersForModel(model.id), model.id);
    }
    assert.deepEqual(models.find((m) => m.id === 'gpt-5.4')?.parameters.temperature, null);
    assert.deepEqual(models.find((m) => m.id === 'small-local')?.parameters.maxOutputTokens, { min: 1, max: 2048, integer: true });
  });

  it('refuses a run with parameters its model does not take, naming each one and the model', async () => {
    const cases: [string, Record<string, unknown>, string[], RegExp][] = [
      ['gpt-5.4', { temperature: 0.2, topP: 0.5 }, ['params.temperature', 'params.topP'], /not taken by gpt-5\.4/],
      ['o3', { verbosity: 'low' }, ['params.verbosity'], /not taken by o3/],
      ['o3', { reasoningEffort: 'xhigh' }, ['params.reasoningEffort'], /must be one of low, medium, high for o3/],
      ['gpt-4.1', { reasoningEffort: 'low' }, ['params.reasoningEffort'], /not taken by gpt-4\.1/],
      ['small-local', { maxOutputTokens: 4096 }, ['params.maxOutputTokens'], /between 1 and 2048 for small-local/],
    ];
    for (const [model, params, paths, message] of cases) {
      const res = await api.post('/api/test-runs', { promptId: prompt.id, model, params });
      assert.equal(res.status, 400, `${model} ${JSON.stringify(params)}: ${res.text}`);
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
      assert.deepEqual(res.body.error?.details.map((d) => d.path), paths);
      assert.match(res.body.error?.message ?? '', message);
    }
    assert.equal(fake.requests.length, 0, 'no model was called');
    assert.equal((await api.ok<{ items: unknown[] }>('GET', '/api/test-runs')).items.length, 0, 'no run was saved');
  });

  it('runs with the parameters its model takes, and the fake provider accepts them', async () => {
    const reasoning = (await api.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'o3', params: { reasoningEffort: 'high', maxOutputTokens: 100 } })) as TestRun;
    assert.equal(reasoning.status, 'succeeded', JSON.stringify(reasoning.error));
    const sampling = (await api.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'small-local', params: { temperature: 0.3, maxOutputTokens: 2048 } })) as TestRun;
    assert.equal(sampling.status, 'succeeded', JSON.stringify(sampling.error));
  });
});

describe('fake OpenAI server and the rule', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  before(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
    client = new OpenAI({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
  });
  after(() => fake.close());

  it('accepts temperature for a sampling model whose name starts with "o"', async () => {
    const ok = await client.chat.completions.create({ model: 'omni-local', messages: [{ role: 'user', content: 'x' }], temperature: 0.2 });
    assert.ok(ok.choices[0]?.message.content);
  });

  it('refuses a reasoning effort the model does not take, like OpenAI', async () => {
    await assert.rejects(client.responses.create({ model: 'gpt-4.1', input: 'x', reasoning: { effort: 'low' } }), {
      status: 400,
      code: 'unsupported_parameter',
      param: 'reasoning.effort',
    });
    await assert.rejects(client.chat.completions.create({ model: 'o3', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'minimal' }), {
      status: 400,
      code: 'unsupported_value',
      param: 'reasoning_effort',
    });
  });
});
