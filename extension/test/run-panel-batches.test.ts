// Run all from the run panel's host side, against the real service and the fake OpenAI server: a
// batch started with the page's idempotency key (twice: one batch), its progress pushed with each
// run's status, the whole batch at the end, listing, reading and cancelling batches.
import assert from 'node:assert/strict';
import type { Batch, PromptWithVersion, Version } from '../../contract/index.ts';
import { panelHarness, replyError as failure, replyOk as ok } from './support/panel-harness.ts';
import { startRunService, type RunService } from './support/run-service.ts';

/** A ready panel whose batch streams refresh quickly. */
async function harness(service: RunService, promptId: string) {
  const h = panelHarness(service, promptId, { batchStreamOptions: { refreshMs: 50, rejoinDelayMs: 20, rejoins: 2 } });
  await h.router.receive({ type: 'ready' });
  return { ...h, waitForPush: (name: string, count = 1) => h.waitForPush(name, count, 20_000) };
}

describe('run panel host: Run all (batches) against the service and fake OpenAI', () => {
  let service: RunService;
  let prompt: PromptWithVersion;
  let v1: Version;
  let v2: Version;

  before(async () => {
    service = await startRunService(1);
    prompt = await service.prompts.createPrompt({ title: 'Explain for batches', content: 'Explain {{topic}}.' });
    await service.prompts.createVersion(prompt.id, { content: 'Explain {{topic}} simply.' });
    const versions = await service.prompts.listVersions(prompt.id);
    [v2, v1] = versions.items as [Version, Version];
    for (const [name, topic] of [['sse', 'SSE'], ['json', 'JSON']] as const) {
      await service.cases.createCase(prompt.id, { name, inputVariables: { topic }, expectations: [{ kind: 'contains', value: 'simply' }, { kind: 'maxOutputTokens', value: 1000 }] });
    }
  });
  after(async () => service?.close());

  it('starts one batch for a repeated key, pushes each run’s progress, then the whole batch with checks and summary', async () => {
    const h = await harness(service, prompt.id);
    const start = { promptVersionIds: [v1.id, v2.id], models: ['gpt-5.4-mini'], params: { maxOutputTokens: 200 }, repeats: 2, idempotencyKey: crypto.randomUUID() };
    const [first, second] = await Promise.all([h.request('startBatch', start), h.request('startBatch', start)]);
    const batch = ok(first) as Batch;
    assert.equal((ok(second) as Batch).id, batch.id, 'a double click is one batch');
    assert.equal(batch.total, 2 * 1 * 2 * 2, 'versions × models × cases × repeats');
    assert.equal((await service.batches.listBatches({ promptId: prompt.id })).items.length, 1);

    ok(await h.request('watchBatch', { batchId: batch.id }));
    const done = ((await h.waitForPush('batchDone')) as { batch: Batch }).batch;
    assert.equal(done.status, 'finished');
    assert.equal(done.results?.length, 8);
    const progress = h.pushes('batchProgress') as { batch: Batch }[];
    for (const { batch: p } of progress) assert.equal(p.results?.length, 8, 'progress carries every run, with its status');

    // v1 never says "simply": its contains-check fails, v2's passes; both stay under the token limit.
    const row = (v: Version) => done.summary?.find((s) => s.promptVersionId === v.id);
    assert.deepEqual([row(v1)?.checksPassed, row(v1)?.checksTotal], [4, 8]);
    assert.deepEqual([row(v2)?.checksPassed, row(v2)?.checksTotal], [8, 8]);
    assert.equal(row(v2)?.distinctOutputs, 2, 'the repeats of each case answered the same');
    const sse = done.results?.find((r) => r.promptVersionId === v2.id && r.repeat === 2 && r.output?.includes('SSE'));
    assert.equal(sse?.output, 'Echo: Explain SSE simply.');

    const read = ok(await h.request('getBatch', { batchId: batch.id })) as Batch;
    assert.deepEqual(read.summary, done.summary);
    const list = ok(await h.request('listBatches', {})) as { items: Batch[] };
    assert.deepEqual(list.items.map((b) => b.id), [batch.id]);
  });

  it('refuses more than five models before asking the service, and passes on the service’s refusal of a version of another prompt', async () => {
    const h = await harness(service, prompt.id);
    const models = ['gpt-5.4', 'gpt-5.4-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini', 'gpt-5'];
    const tooMany = failure(await h.request('startBatch', { promptVersionIds: [v2.id], models, params: {}, repeats: 1, idempotencyKey: crypto.randomUUID() })) as { message: string };
    assert.match(tooMany.message, /startBatch/);
    const other = await service.prompts.createPrompt({ title: 'Another', content: 'Hello' });
    const refused = failure(
      await h.request('startBatch', { promptVersionIds: [other.currentVersionId], models: ['gpt-5.4'], params: {}, repeats: 1, idempotencyKey: crypto.randomUUID() }),
    ) as { kind: string };
    assert.notEqual(refused.kind, 'unreachable');
    assert.equal((await service.batches.listBatches({ promptId: prompt.id })).items.length, 1, 'no batch was made');
  });

  it('cancels a batch in progress: the stream ends with the canceled batch', async () => {
    const h = await harness(service, prompt.id);
    service.fake.script(...Array.from({ length: 4 }, () => ({ kind: 'hang' as const, model: 'gpt-4.1' })));
    const batch = ok(await h.request('startBatch', { promptVersionIds: [v2.id], models: ['gpt-4.1'], params: {}, repeats: 2, idempotencyKey: crypto.randomUUID() })) as Batch;
    ok(await h.request('watchBatch', { batchId: batch.id }));
    await h.waitForPush('batchProgress');
    const canceled = ok(await h.request('cancelBatch', { batchId: batch.id })) as Batch;
    assert.equal(canceled.status, 'canceled');
    const done = ((await h.waitForPush('batchDone')) as { batch: Batch }).batch;
    assert.equal(done.status, 'canceled');
    assert.ok(done.results?.every((r) => r.status === 'canceled'), 'no run of it went on');
  });

  it('stops following a batch when the panel is hidden', async () => {
    const h = await harness(service, prompt.id);
    service.fake.script(...Array.from({ length: 2 }, () => ({ kind: 'hang' as const, model: 'gpt-4.1' })));
    const batch = ok(await h.request('startBatch', { promptVersionIds: [v2.id], models: ['gpt-4.1'], params: {}, repeats: 1, idempotencyKey: crypto.randomUUID() })) as Batch;
    ok(await h.request('watchBatch', { batchId: batch.id }));
    await h.waitForPush('batchProgress');
    h.router.webviewHidden();
    const before = h.posted.length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(h.posted.length, before, 'nothing is posted to a torn-down webview');
    await service.batches.cancelBatch(batch.id);
  });
});
