// A run inserted already claimed (RunQueue.reserve) is an in-flight run from the moment its place
// is reserved: a shutdown that begins while its insert is under way waits for it like any other,
// rather than finishing first and leaving the accepted run to be cut off or marked INTERRUPTED.
import assert from 'node:assert/strict';
import type { PromptWithVersion } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { getRun } from '../runs/run-use-cases.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';

describeEachDatabase('a run inserted already claimed', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp | undefined;
  before(async () => {
    fake = await startFakeOpenAI({ apiKey: TEST_RUN_SETTINGS.apiKey as string, latencyMs: 50 });
  });
  after(() => fake?.close());
  afterEach(async () => app?.close());

  it('is waited for by a shutdown that begins while it is being inserted, and finishes', async () => {
    app = await startTestApp(database(), {}, { baseUrl: fake.url, shutdownGraceMs: 10_000 });
    const api = await app.signedIn();
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Racing a shutdown', content: 'Say hi' });
    const { queue, db, statements } = app.runs;
    // What POST /api/test-runs does, with SIGTERM arriving between reserving the place and the insert.
    // An idle queue offers a place once its first look found nothing queued.
    let slot = queue.reserve();
    for (let i = 0; i < 100 && !slot; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      slot = queue.reserve();
    }
    assert.ok(slot, 'an idle queue offers a place');
    const stopped = queue.stop();
    const row = await statements.insert(
      {
        promptId: prompt.id,
        promptVersionId: prompt.currentVersionId as string,
        versionNumber: 1,
        model: 'gpt-5.4',
        api: 'responses',
        params: {},
        inputVariables: {},
        input: null,
        idempotencyKey: null,
        requestHash: 'test',
      },
      slot.workerId,
    );
    assert.ok(row);
    slot.launch(row, { content: 'Say hi', type: 'user' });
    await stopped;
    const run = await getRun(db, row.id);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.equal(fake.requests.length, 1);
  });
});
