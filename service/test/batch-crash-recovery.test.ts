// A batch whose service is killed with SIGKILL mid-way finishes after a restart: the runs it was
// executing end failed with INTERRUPTED, the queued ones run, and no run reaches the model twice.
import assert from 'node:assert/strict';
import type { Batch, PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { kill, processDatabase, signedInClient, startServiceProcess, until, type ProcessDatabase, type ServiceProcess } from './support/service-process.ts';

const KEY = 'sk-batch-crash-key-000000';
const CREDENTIALS = { PROMPTREFINE_EMAIL: 'crash@example.com', PROMPTREFINE_PASSWORD: 'crash test password' };

for (const kind of ['embedded', 'postgres'] as const) {
  describe(`batch crash recovery [${kind === 'embedded' ? 'PGlite' : 'PostgreSQL'}]`, function () {
    this.timeout(120_000);
    let fake: FakeOpenAI;
    let child: ServiceProcess | undefined;
    let database: ProcessDatabase | undefined;
    let env: Record<string, string>;

    before(async () => {
      fake = await startFakeOpenAI({ apiKey: KEY });
      const base = {
        ...CREDENTIALS,
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: fake.url,
        PROMPTREFINE_RUN_CONCURRENCY: '2',
        PROMPTREFINE_RUN_STALE_MS: '1000',
      };
      database = await processDatabase(kind, 'batch-crash');
      env = { ...base, ...database.env };
    });
    after(async () => {
      await kill(child, 'SIGKILL');
      await fake?.close();
      await database?.drop();
    });

    it('finishes after a restart, with no run sent to the model twice', async () => {
      child = await startServiceProcess(env);
      const api = await signedInClient(child, CREDENTIALS);
      const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Crashy batch', content: 'Say {{word}}' });
      await api.ok('POST', `/api/prompts/${prompt.id}/cases`, { name: 'hi', inputVariables: { word: 'hi' }, expectations: [{ kind: 'contains', value: 'hi' }] });
      // Two runs answer, the next two hang until the kill; two more are still queued then.
      fake.script({ kind: 'success' }, { kind: 'success' }, { kind: 'hang' }, { kind: 'hang' });
      const batch = await api.ok<Batch>('POST', '/api/batches', { promptId: prompt.id, models: ['gpt-5.4'], repeats: 6 });
      await fake.waitFor((requests) => requests.length === 4, 20_000);
      const before = await until(
        () => api.ok<Batch>('GET', `/api/batches/${batch.id}`),
        (b) => b.done === 2,
        'the first two runs to finish',
      );
      assert.equal(before.status, 'running');
      assert.deepEqual(before.results?.map((r) => r.status).sort(), ['queued', 'queued', 'running', 'running', 'succeeded', 'succeeded']);

      await kill(child, 'SIGKILL');
      child = await startServiceProcess(env);
      const again = new ApiClient(child.url);
      again.cookie = api.cookie;

      const final = await until(
        () => again.ok<Batch>('GET', `/api/batches/${batch.id}`),
        (b) => b.status === 'finished',
        'the batch to finish after the restart',
      );
      assert.equal(final.done, 6);
      assert.equal(final.failed, 2);
      const byRun = new Map(before.results?.map((r) => [r.runId, r.status]));
      for (const result of final.results ?? []) {
        const was = byRun.get(result.runId);
        if (was === 'running') {
          assert.equal(result.status, 'failed');
          const run = await again.ok<TestRun>('GET', `/api/test-runs/${result.runId}`);
          assert.equal(run.error?.code, 'INTERRUPTED');
          assert.equal(run.attempts, 1);
        } else assert.equal(result.status, 'succeeded', `a run that was ${was} before the kill`);
      }
      assert.deepEqual(final.summary?.map((s) => [s.runs, s.succeeded, s.checksPassed, s.checksTotal]), [[6, 4, 4, 6]]);
      // Six runs, six requests: the interrupted ones were not sent again, the queued ones once each.
      assert.equal(fake.requests.length, 6);
      await kill(child, 'SIGTERM');
    });
  });
}
