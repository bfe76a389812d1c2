// Two service processes on one PostgreSQL share the queue: every run is executed exactly once.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { queryRows } from '../db/raw-query.ts';
import { createRunService } from '../runs/run-service.ts';
import type { RunService } from '../runs/run-use-cases.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { silentLogger, startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';

describe('two service processes on one PostgreSQL', function () {
  this.timeout(60_000);
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  let fake: FakeOpenAI;
  let app: TestApp;
  let otherWorker: RunService;

  before(async () => {
    created = await createPostgresDatabase();
    first = await openDatabase({ databaseUrl: created.url });
    second = await openDatabase({ databaseUrl: created.url });
    await first.migrate();
    await second.migrate();
    fake = await startFakeOpenAI({ apiKey: TEST_RUN_SETTINGS.apiKey as string, latencyMs: 60 });
    const settings = { ...TEST_RUN_SETTINGS, baseUrl: fake.url, concurrency: 3 };
    app = await startTestApp({ kind: 'postgres', handle: first, url: created.url, reset: async () => {} }, {}, settings);
    otherWorker = createRunService(second, silentLogger(), settings);
    await otherWorker.queue.start();
  });
  after(async () => {
    await app?.close();
    await otherWorker?.queue.stop();
    await fake?.close();
    await first?.close();
    await second?.close();
    await created?.drop();
  });

  it('executes each of 24 runs exactly once, with both workers taking runs', async () => {
    const api = await app.signedIn();
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Shared', content: 'Task {{n}}' });
    const runs = await Promise.all(
      Array.from({ length: 24 }, (_, n) => api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4', inputVariables: { n: String(n) } })),
    );
    assert.equal(runs.length, 24);
    const deadline = Date.now() + 30_000;
    let finished: { status: string; worker_id: string }[] = [];
    while (Date.now() < deadline) {
      finished = await queryRows(first.db, sql`select status, worker_id from test_runs`);
      if (finished.every((r) => r.status === 'succeeded')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(finished.length, 24);
    assert.ok(finished.every((r) => r.status === 'succeeded'), JSON.stringify(finished));
    const inputs = fake.requests.map((r) => String(r.body?.input));
    assert.equal(inputs.length, 24, 'one model call per run');
    assert.equal(new Set(inputs).size, 24, 'no run executed twice');
    assert.equal(new Set(finished.map((r) => r.worker_id)).size, 2, 'both processes executed runs');
  });
});
