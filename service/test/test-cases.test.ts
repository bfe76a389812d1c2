import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ChangeEvent, ListPage, PromptWithVersion, TestCase, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';
import { describeEachDatabase } from './support/databases.ts';
import { openStream } from './support/event-stream.ts';

describeEachDatabase('test cases', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let api: ApiClient;
  let prompt: PromptWithVersion;

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: TEST_RUN_SETTINGS.apiKey as string });
  });
  after(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    app = await startTestApp(database(), {}, { baseUrl: fake.url });
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Reviewer', content: 'Review this {{language}}: {{code}}' });
  });
  afterEach(() => app.close());

  const casesPath = () => `/api/prompts/${prompt.id}/cases`;
  const list = () => api.ok<ListPage<TestCase>>('GET', casesPath());

  it('creates, lists (newest first), edits and deletes cases with every kind of expectation', async () => {
    const expectations = [
      { kind: 'contains', value: 'fine' },
      { kind: 'notContains', value: 'TODO' },
      { kind: 'regex', value: '/^echo: review/i' },
      { kind: 'equals', value: 'Echo: Review this Go: x' },
      { kind: 'jsonValid', value: false },
      { kind: 'maxOutputTokens', value: 100 },
      { kind: 'maxCostUsd', value: 0.5 },
      { kind: 'maxLatencyMs', value: 60000 },
    ];
    const res = await api.post<TestCase>(casesPath(), { name: 'Go', inputVariables: { language: 'Go', code: 'x' }, expectations });
    assert.equal(res.status, 201, res.text);
    const first = res.body.data as TestCase;
    assert.equal(first.promptId, prompt.id);
    assert.equal(first.input, null);
    assert.deepEqual(first.expectations, expectations);
    const second = await api.ok<TestCase>('POST', casesPath(), { name: '  Rust  ' });
    assert.equal(second.name, 'Rust', 'names are trimmed');
    assert.deepEqual(second.inputVariables, {});
    assert.deepEqual((await list()).items.map((c) => c.id), [second.id, first.id]);

    const edited = await api.ok<TestCase>('PATCH', `/api/cases/${second.id}`, { inputVariables: { language: 'Rust', code: 'fn' }, expectations: [{ kind: 'contains', value: 'fn' }] });
    assert.equal(edited.name, 'Rust', 'fields not given stay');
    assert.deepEqual(edited.inputVariables, { language: 'Rust', code: 'fn' });
    assert.deepEqual(edited.expectations, [{ kind: 'contains', value: 'fn' }]);
    assert.ok(edited.updatedAt >= second.updatedAt);

    assert.deepEqual(await api.ok('DELETE', `/api/cases/${second.id}`), { deleted: true });
    assert.deepEqual((await list()).items.map((c) => c.id), [first.id]);
    assert.equal((await api.delete(`/api/cases/${second.id}`)).status, 404);
    assert.equal((await api.patch(`/api/cases/${second.id}`, { name: 'back' })).status, 404);
  });

  it('saves a case from a past run of the prompt, and refuses a run of another prompt', async () => {
    const run = await api.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-5.4', inputVariables: { language: 'Go', code: 'x := 1' } });
    const saved = await api.ok<TestCase>('POST', casesPath(), { fromRunId: run.id, expectations: [{ kind: 'contains', value: 'x := 1' }] });
    assert.deepEqual(saved.inputVariables, { language: 'Go', code: 'x := 1' });
    assert.match(saved.name, /^From the run of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(gpt-5\.4\)$/);
    const named = await api.ok<TestCase>('POST', casesPath(), { fromRunId: run.id, name: 'Go assignment' });
    assert.equal(named.name, 'Go assignment');

    const other = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Other', content: 'hi' });
    const refused = await api.post(`/api/prompts/${other.id}/cases`, { fromRunId: run.id });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error?.details[0]?.path, 'fromRunId');
    const mixed = await api.post(casesPath(), { fromRunId: run.id, inputVariables: {} });
    assert.equal(mixed.body.error?.details[0]?.path, 'inputVariables');
  });

  it('refuses catastrophic or broken regular expressions when a case is saved, naming the expectation', async () => {
    const refused: [string, RegExp][] = [
      ['(a+)+$', /repeat a group that holds a quantifier/],
      ['(a|ab)*c', /repeat a group that holds an alternation/],
      ['(\\w+\\s?){3,}', /quantifier/],
      ['(x)\\1', /backreferences/],
      ['(?<=a)b', /lookahead or lookbehind/],
      ['[a-', /not a valid regular expression/],
      ['a'.repeat(201), /at most 200 characters/],
    ];
    for (const [pattern, why] of refused) {
      const res = await api.post(casesPath(), { name: 'bad', expectations: [{ kind: 'contains', value: 'ok' }, { kind: 'regex', value: pattern }] });
      assert.equal(res.status, 400, pattern);
      assert.equal(res.body.error?.details[0]?.path, 'expectations.1.value', pattern);
      assert.match(res.body.error?.details[0]?.message ?? '', why, pattern);
    }
    const saved = await api.ok<TestCase>('POST', casesPath(), { name: 'ok', expectations: [{ kind: 'regex', value: '\\d+\\.\\d+' }] });
    const patched = await api.patch(`/api/cases/${saved.id}`, { expectations: [{ kind: 'regex', value: '(.*)*' }] });
    assert.equal(patched.status, 400);
    assert.equal(patched.body.error?.details[0]?.path, 'expectations.0.value');
    assert.deepEqual((await list()).items[0]?.expectations, [{ kind: 'regex', value: '\\d+\\.\\d+' }], 'the refused edit wrote nothing');
  });

  it('refuses other malformed expectations and unknown prompts', async () => {
    const bad: [unknown, string][] = [
      [{ kind: 'contains', value: '' }, 'expectations.0.value'],
      [{ kind: 'maxLatencyMs', value: -1 }, 'expectations.0.value'],
      [{ kind: 'jsonValid', value: 'yes' }, 'expectations.0.value'],
      [{ kind: 'sounds-good', value: 1 }, 'expectations.0.kind'],
    ];
    for (const [expectation, path] of bad) {
      const res = await api.post(casesPath(), { name: 'x', expectations: [expectation] });
      assert.equal(res.status, 400, JSON.stringify(expectation));
      assert.equal(res.body.error?.details[0]?.path, path, res.text);
    }
    assert.equal((await api.post(casesPath(), {})).body.error?.details[0]?.path, 'name');
    assert.equal((await api.get(`/api/prompts/${randomUUID()}/cases`)).status, 404);
    assert.equal((await api.post(`/api/prompts/${randomUUID()}/cases`, { name: 'x' })).status, 404);
    await api.ok('DELETE', `/api/prompts/${prompt.id}`);
    assert.equal((await api.get(casesPath())).status, 404, "a deleted prompt's cases are gone with it");
  });

  it('documents the routes and the regex rule in the OpenAPI document', async () => {
    const document = JSON.parse((await app.anonymous().get('/api/openapi.json')).text) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    for (const [path, method] of [
      ['/api/prompts/{id}/cases', 'get'],
      ['/api/prompts/{id}/cases', 'post'],
      ['/api/cases/{id}', 'patch'],
      ['/api/cases/{id}', 'delete'],
      ['/api/batches', 'post'],
      ['/api/batches', 'get'],
      ['/api/batches/{id}', 'get'],
      ['/api/batches/{id}/events', 'get'],
      ['/api/batches/{id}/cancel', 'post'],
      ['/api/test-runs/{id}/replay', 'post'],
    ] as const) {
      assert.ok(document.paths[path]?.[method], `${method} ${path}`);
    }
    const expectation = JSON.stringify(document.components.schemas.Expectation);
    assert.match(expectation, /exponential time/);
    assert.match(expectation, /first 20000 characters/);
    assert.ok(document.components.schemas.Batch && document.components.schemas.TestCase);
  });

  it('announces every create, edit and delete as case.changed on the change feed', async () => {
    const stream = await openStream(`${app.url}/api/changes`, api.cookie);
    try {
      const next = async () => (await stream.next()).data as ChangeEvent;
      const created = await api.ok<TestCase>('POST', casesPath(), { name: 'one' });
      assert.deepEqual(await next(), { kind: 'case.changed', promptId: prompt.id });
      await api.ok('PATCH', `/api/cases/${created.id}`, { name: 'two' });
      assert.deepEqual(await next(), { kind: 'case.changed', promptId: prompt.id });
      await api.ok('DELETE', `/api/cases/${created.id}`);
      assert.deepEqual(await next(), { kind: 'case.changed', promptId: prompt.id });
    } finally {
      stream.close();
    }
  });
});
