import assert from 'node:assert/strict';
import type { PromptWithVersion, TestRun, UsageReport } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';

describeEachDatabase('usage report', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let api: ApiClient;
  before(async () => {
    fake = await startFakeOpenAI({ apiKey: TEST_RUN_SETTINGS.apiKey as string });
  });
  after(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    app = await startTestApp(database(), {}, { baseUrl: fake.url });
    api = await app.signedIn();
  });
  afterEach(() => app.close());

  const runWith = async (promptId: string, model: string, inputTokens: number, outputTokens: number) => {
    fake.script({ kind: 'success', usage: { inputTokens, outputTokens, cachedTokens: 0, reasoningTokens: 0 } });
    return api.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId, model });
  };

  it('sums tokens and cost by version, model, day and prompt', async () => {
    const a = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Alpha', content: 'a1' });
    const b = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Beta', content: 'b1' });
    await runWith(a.id, 'gpt-5.4', 1_000, 100);
    await api.ok('POST', `/api/prompts/${a.id}/versions`, { content: 'a2' });
    await runWith(a.id, 'gpt-5.4', 2_000, 200);
    await runWith(a.id, 'local-model', 500, 50);
    await runWith(b.id, 'gpt-5.4-mini', 4_000, 400);
    fake.script({ kind: 'error', status: 400 });
    await api.ok('POST', '/api/test-runs?wait=true', { promptId: a.id, model: 'gpt-5.4' });

    const byVersion = await api.ok<UsageReport>('GET', `/api/usage?groupBy=version&promptId=${a.id}`);
    assert.deepEqual(byVersion.items.map((r) => [r.label, r.runs, r.inputTokens, r.outputTokens]), [
      ['v1', 1, 1000, 100],
      ['v2', 2, 2500, 250],
    ]);
    assert.equal(byVersion.totals.runs, 3, 'the failed run reported no usage and is left out');
    assert.equal(byVersion.totals.unpricedRuns, 1);
    assert.equal(byVersion.totals.costUsd, (3000 * 2.5 + 300 * 15) / 1e6);

    const byModel = await api.ok<UsageReport>('GET', '/api/usage?groupBy=model');
    assert.deepEqual(byModel.items.map((r) => [r.key, r.runs]), [
      ['gpt-5.4', 2],
      ['gpt-5.4-mini', 1],
      ['local-model', 1],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await api.ok<UsageReport>('GET', '/api/usage');
    assert.deepEqual(byDay.items.map((r) => [r.key, r.runs, r.totalTokens]), [[today, 4, 8250]]);
    const byPrompt = await api.ok<UsageReport>('GET', '/api/usage?groupBy=prompt');
    assert.deepEqual(byPrompt.items.map((r) => [r.label, r.runs]), [
      ['Alpha', 3],
      ['Beta', 1],
    ]);

    await api.ok('DELETE', `/api/prompts/${b.id}`);
    assert.equal((await api.ok<UsageReport>('GET', '/api/usage')).totals.runs, 3);
    const past = await api.ok<UsageReport>('GET', '/api/usage?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z');
    assert.deepEqual(past.items, []);
    assert.equal(past.totals.runs, 0);
  });

  it('refuses groupings and ranges that cannot be answered', async () => {
    for (const query of ['groupBy=version', 'groupBy=week', 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from=yesterday']) {
      const res = await api.get(`/api/usage?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
    }
  });
});
