// A service killed with SIGKILL in the middle of a run: on the next start that run is marked
// failed with INTERRUPTED (never left running forever), and runs still queued are picked up.
import assert from 'node:assert/strict';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { kill, processDatabase, signedInClient, startServiceProcess, until, type ProcessDatabase, type ServiceProcess } from './support/service-process.ts';

const KEY = 'sk-crash-test-key-000000';
const CREDENTIALS = { PROMPTREFINE_EMAIL: 'crash@example.com', PROMPTREFINE_PASSWORD: 'crash test password' };

for (const kind of ['embedded', 'postgres'] as const) {
  describe(`crash recovery [${kind === 'embedded' ? 'PGlite' : 'PostgreSQL'}]`, function () {
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
        PROMPTREFINE_RUN_CONCURRENCY: '1',
        PROMPTREFINE_RUN_STALE_MS: '1000',
      };
      database = await processDatabase(kind, 'crash');
      env = { ...base, ...database.env };
    });
    after(async () => {
      await kill(child, 'SIGKILL');
      await fake?.close();
      await database?.drop();
    });

    it('marks the run it was executing INTERRUPTED and runs what was still queued', async () => {
      child = await startServiceProcess(env);
      const api = await signedInClient(child, CREDENTIALS);
      const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Crashy', content: 'Say hi' });
      fake.script({ kind: 'hang' });
      const first = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
      const second = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
      await fake.waitFor((requests) => requests.length === 1, 10_000);
      assert.equal((await api.ok<TestRun>('GET', `/api/test-runs/${first.id}`)).status, 'running');
      assert.equal((await api.ok<TestRun>('GET', `/api/test-runs/${second.id}`)).status, 'queued');

      await kill(child, 'SIGKILL');
      child = await startServiceProcess(env);
      const again = new ApiClient(child.url);
      again.cookie = api.cookie;

      const interrupted = await until(
        () => again.ok<TestRun>('GET', `/api/test-runs/${first.id}`),
        (run) => run.status !== 'running',
        'the killed run to be marked',
      );
      assert.equal(interrupted.status, 'failed');
      assert.equal(interrupted.error?.code, 'INTERRUPTED');
      assert.ok(interrupted.finishedAt);
      const picked = await until(
        () => again.ok<TestRun>('GET', `/api/test-runs/${second.id}`),
        (run) => run.status === 'succeeded' || run.status === 'failed',
        'the queued run to run',
      );
      assert.equal(picked.status, 'succeeded');
      assert.equal(picked.output, 'Echo: Say hi');
      assert.equal(fake.requests.length, 2, 'the interrupted run is not silently re-run');
      await kill(child, 'SIGTERM');
    });
  });
}
