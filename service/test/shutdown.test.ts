// SIGTERM while runs stream: the service stops claiming, lets the runs in flight finish within
// PROMPTREFINE_SHUTDOWN_GRACE_MS, then marks the rest failed with INTERRUPTED. No run is ever saved
// as `succeeded` with a cut-off output. The database is read directly after the process exited,
// so what is checked is what the stopping process itself wrote.
import assert from 'node:assert/strict';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { openDatabase } from '../db/connect.ts';
import { testRuns } from '../db/schema.ts';
import { kill, processDatabase, signedInClient, startServiceProcess, until, type ProcessDatabase, type ServiceProcess } from './support/service-process.ts';
import { readEvents, type SseEvent } from '../testing/sse.ts';

const KEY = 'sk-shutdown-test-key-0000';
const CREDENTIALS = { PROMPTREFINE_EMAIL: 'stop@example.com', PROMPTREFINE_PASSWORD: 'shutdown test password' };
const QUICK_TEXT = 'a short answer that finishes within the grace period';
const SLOW_TEXT = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');

for (const kind of ['embedded', 'postgres'] as const) {
  describe(`shutdown with runs streaming [${kind === 'embedded' ? 'PGlite' : 'PostgreSQL'}]`, function () {
    // A guard against a hang only: two service starts on a busy machine can take a minute.
    this.timeout(300_000);
    let fake: FakeOpenAI;
    let child: ServiceProcess | undefined;
    let stored: ProcessDatabase | undefined;
    let env: Record<string, string>;

    before(async () => {
      fake = await startFakeOpenAI({ apiKey: KEY });
      const base = {
        ...CREDENTIALS,
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: fake.url,
        PROMPTREFINE_RUN_CONCURRENCY: '4',
        PROMPTREFINE_SHUTDOWN_GRACE_MS: '6000',
        LOG_LEVEL: 'info',
      };
      stored = await processDatabase(kind, 'shutdown');
      env = { ...base, ...stored.env };
    });
    after(async () => {
      await kill(child, 'SIGKILL');
      await fake?.close();
      await stored?.drop();
    });

    it('lets runs finish within the grace period, marks the rest INTERRUPTED, and saves none cut off as succeeded', async () => {
      child = await startServiceProcess(env);
      const api = await signedInClient(child, CREDENTIALS);
      const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Stopping', content: 'Talk' });
      // Quick runs stall after two deltas until the test releases them (after SIGTERM); slow runs
      // stream 400 words, 100 ms apart: far longer than the grace period.
      fake.script(
        { kind: 'stall', model: 'quick-model', text: QUICK_TEXT, afterDeltas: 2 },
        { kind: 'stall', model: 'quick-model', text: QUICK_TEXT, afterDeltas: 2 },
        { kind: 'success', model: 'slow-model', text: SLOW_TEXT, tokenDelayMs: 100 },
        { kind: 'success', model: 'slow-model', text: SLOW_TEXT, tokenDelayMs: 100 },
      );
      const runs: TestRun[] = [];
      for (const model of ['quick-model', 'quick-model', 'slow-model', 'slow-model']) {
        runs.push(await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model }));
      }
      const quick = runs.filter((r) => r.model === 'quick-model').map((r) => r.id);
      const slow = runs.filter((r) => r.model === 'slow-model').map((r) => r.id);

      // Every run streaming, with part of its output saved (what a cut-off success would keep).
      await fake.waitFor((requests) => requests.length === 4, 20_000);
      for (const run of runs) {
        await until(() => api.ok<TestRun>('GET', `/api/test-runs/${run.id}`), (r) => r.status === 'running' && (r.output ?? '').length > 0, `run ${run.model} to stream`);
      }
      // A client watching a quick run, to see that the stream carries on through the grace period.
      const watched: SseEvent[] = [];
      const watching = (async () => {
        for await (const event of readEvents(`${child.url}/api/test-runs/${quick[0]}/events`, api.cookie)) watched.push(event);
      })().catch(() => undefined);
      await until(async () => watched.length, (n) => n > 0, 'the event stream to start');

      child.process.kill('SIGTERM');
      await until(
        async () => child?.output() ?? '',
        (log) => log.includes('waiting for runs in progress to finish') || child?.process.exitCode !== null,
        'the service to start its grace period (or to exit)',
      );
      fake.release();
      assert.equal(await child.exited, 0, child.output());
      await watching;

      const database = await openDatabase(stored!.open);
      try {
        const rows = await database.db.select().from(testRuns);
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const id of quick) {
          const row = byId.get(id);
          assert.equal(row?.status, 'succeeded', `a run that finished within the grace period: ${JSON.stringify(row)}`);
          assert.equal(row?.output, QUICK_TEXT);
        }
        for (const id of slow) {
          const row = byId.get(id);
          assert.equal(row?.status, 'failed', `a run cut off at the end of the grace period: ${JSON.stringify(row?.status)}`);
          assert.equal(row?.error?.code, 'INTERRUPTED');
          assert.ok(row?.finishedAt);
          assert.ok(SLOW_TEXT.startsWith(row?.output ?? ''), 'the text received so far is kept');
          assert.notEqual(row?.output, SLOW_TEXT);
        }
        for (const row of rows) {
          if (row.status === 'succeeded') assert.ok(row.output === QUICK_TEXT, `succeeded with a cut-off output: ${row.output}`);
        }
      } finally {
        await database.close();
      }
      const done = watched.at(-1);
      assert.equal(done?.event, 'done', 'the watching client saw its run finish');
      assert.equal((done?.data as TestRun).status, 'succeeded');
      assert.equal(fake.requests.length, 4, 'no run was started after SIGTERM');
    });
  });
}
