// The run panel's host side against the real service and the fake OpenAI server: the messages a
// webview sends go in, the replies and pushes it would get come out.
import assert from 'node:assert/strict';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { RunsClient } from '../api/runs.ts';
import { panelHarness, replyError as failure, replyOk as ok, type PanelClients, type PanelHarness } from './support/panel-harness.ts';
import type { PanelUi } from '../run-panel/router.ts';
import { startRunService, type RunService } from './support/run-service.ts';

const harness = (service: PanelClients, promptId: string, ui: Partial<PanelUi> = {}) => panelHarness(service, promptId, { ui });


describe('run panel host (router) against the service and fake OpenAI', () => {
  let service: RunService;
  let prompt: PromptWithVersion;

  before(async () => {
    service = await startRunService();
    prompt = await service.prompts.createPrompt({ title: 'Explain', content: 'Explain {{topic}} briefly.' });
    await service.prompts.createVersion(prompt.id, { content: 'Explain {{topic}} to a {{reader}}.' });
  });
  after(async () => service?.close());

  it('posts nothing before ready, then answers load with the prompt, versions and priced models', async () => {
    const h = harness(service, prompt.id);
    h.router.push('refresh', {});
    assert.equal(h.posted.length, 0, 'nothing is posted before the webview is ready');
    await h.router.receive({ type: 'ready' });
    assert.deepEqual(h.posted, [{ type: 'push', name: 'refresh', payload: {} }], 'what waited is posted on ready');
    const data = ok(await h.request('load', {})) as { prompt: PromptWithVersion; versions: { items: unknown[] }; models: { id: string; inputPerMTok: number | null }[]; remembered: unknown };
    assert.equal(data.prompt.currentVersionNumber, 2);
    assert.equal(data.versions.items.length, 2);
    assert.ok(data.models.some((m) => m.id === 'gpt-5.4' && m.inputPerMTok === 2.5));
    assert.equal(data.remembered, null);
  });

  it('answers a live page even when its hide was reported after it said ready', async () => {
    const h = harness(service, prompt.id);
    await h.router.receive({ type: 'ready' });
    // The rebuilt page said ready, then the hide of the old page arrived.
    h.router.webviewHidden();
    const data = ok(await h.request('load', {})) as { prompt: PromptWithVersion };
    assert.equal(data.prompt.id, prompt.id);
  });

  it('drops malformed messages and refuses requests with bad params without calling the service', async () => {
    const logged: string[] = [];
    const h = harness(service, prompt.id, { log: (line) => void logged.push(line) });
    await h.router.receive({ type: 'ready' });
    await h.router.receive({ type: 'request', id: 'x', name: 'load' });
    await h.router.receive({ type: 'exec', command: 'rm -rf' });
    assert.equal(h.posted.length, 0);
    assert.equal(logged.length, 2);
    const error = failure(await h.request('getRun', { runId: 'not-a-uuid' })) as { message: string };
    assert.match(error.message, /getRun/);
  });

  it('checks what it posts: a half-shaped answer or push never reaches the webview, which trusts the host', async () => {
    const logged: string[] = [];
    // A service answer the client let through with a field missing (a host bug, or a newer service).
    const broken = { ...service, prompts: Object.assign(Object.create(service.prompts) as typeof service.prompts, { getVersion: async () => ({ id: prompt.id }) }) };
    const h = harness(broken, prompt.id, { log: (line) => void logged.push(line) });
    await h.router.receive({ type: 'ready' });
    const error = failure(await h.request('getVersion', { versionId: prompt.currentVersionId })) as { kind: string; message: string };
    assert.equal(error.kind, 'other');
    assert.match(error.message, /answered getVersion with an unexpected shape/);
    h.router.push('runDelta', { runId: 'not-an-id', text: 'x' } as never);
    assert.equal(h.pushes('runDelta').length, 0, 'the malformed push was not posted');
    assert.match(logged.join('\n'), /did not push a malformed runDelta/);
  });

  it('runs a version, streams its text, remembers the values, and finds it in the history', async () => {
    const h = harness(service, prompt.id);
    await h.router.receive({ type: 'ready' });
    const run = ok(await h.request('startRun', { promptVersionId: null, model: 'gpt-5.4', params: { maxOutputTokens: 200 }, inputVariables: { topic: 'SSE', reader: 'novice' }, input: null })) as TestRun;
    assert.ok(['queued', 'running', 'succeeded'].includes(run.status));
    assert.deepEqual(h.remembered.get(prompt.id), { variables: { topic: 'SSE', reader: 'novice' }, input: '', model: 'gpt-5.4', params: { maxOutputTokens: 200 } });
    ok(await h.request('watchRun', { runId: run.id }));
    const done = (await h.waitForPush('runDone')) as { run: TestRun };
    const text = (h.pushes('runDelta') as { text: string }[]).map((d) => d.text).join('');
    assert.equal(text, 'Echo: Explain SSE to a novice.');
    assert.equal(done.run.status, 'succeeded');
    assert.equal(done.run.output, text);
    assert.ok(done.run.usage && done.run.usage.totalTokens > 0);
    assert.ok(done.run.costUsd !== null && done.run.costUsd > 0);

    const page = ok(await h.request('listRuns', { status: 'succeeded', model: 'gpt-5.4', promptVersionId: null, q: 'novice', cursor: null })) as { items: TestRun[] };
    assert.deepEqual(page.items.map((r) => r.id), [run.id]);
    const none = ok(await h.request('listRuns', { status: 'failed', model: null, promptVersionId: null, q: null, cursor: null })) as { items: TestRun[] };
    assert.equal(none.items.length, 0);
    const usage = ok(await h.request('usage', { groupBy: 'model', allPrompts: false })) as { items: { key: string; runs: number }[] };
    assert.deepEqual(usage.items.map((r) => [r.key, r.runs]), [['gpt-5.4', 1]]);
  });

  it('names a missing variable as the service does, and passes on the provider’s error for a failed run', async () => {
    const h = harness(service, prompt.id);
    await h.router.receive({ type: 'ready' });
    const refused = failure(await h.request('startRun', { promptVersionId: null, model: 'gpt-5.4', params: {}, inputVariables: { topic: 'x' }, input: null })) as { kind: string; details: { path: string }[] };
    assert.equal(refused.kind, 'invalid');
    assert.ok(refused.details.some((d) => d.path === 'inputVariables.reader'), JSON.stringify(refused.details));

    service.fake.script({ kind: 'error', status: 400, code: 'unsupported_parameter', message: "Unsupported parameter: 'temperature' is not supported with this model." });
    const run = ok(await h.request('startRun', { promptVersionId: null, model: 'gpt-5.4', params: {}, inputVariables: { topic: 'x', reader: 'y' }, input: null })) as TestRun;
    ok(await h.request('watchRun', { runId: run.id }));
    const done = (await h.waitForPush('runDone')) as { run: TestRun };
    assert.equal(done.run.status, 'failed');
    assert.equal(done.run.error?.code, 'unsupported_parameter');
    assert.equal(done.run.error?.status, 400);
    assert.match(done.run.error?.message ?? '', /not supported with this model/);
  });

  it('cancels a run in progress and reports the stream’s end', async () => {
    const h = harness(service, prompt.id);
    await h.router.receive({ type: 'ready' });
    service.fake.script({ kind: 'hang' });
    const run = ok(await h.request('startRun', { promptVersionId: null, model: 'gpt-5.4', params: {}, inputVariables: { topic: 'x', reader: 'y' }, input: null })) as TestRun;
    ok(await h.request('watchRun', { runId: run.id }));
    const canceled = ok(await h.request('cancelRun', { runId: run.id })) as TestRun;
    assert.equal(canceled.status, 'canceled');
    const done = (await h.waitForPush('runDone')) as { run: TestRun };
    assert.equal(done.run.status, 'canceled');
  });

  it('hands copy, open, restore and version actions to the editor with the versions they name', async () => {
    const h = harness(service, prompt.id);
    await h.router.receive({ type: 'ready' });
    const versions = await service.prompts.listVersions(prompt.id);
    const v1 = versions.items.find((v) => v.versionNumber === 1);
    assert.ok(v1);
    ok(await h.request('copyText', { text: 'out' }));
    ok(await h.request('openDocument', { text: 'out', language: 'markdown' }));
    ok(await h.request('restoreVersion', { versionId: v1.id }));
    ok(await h.request('openVersion', { versionId: v1.id }));
    ok(await h.request('openSettings', {}));
    assert.deepEqual(h.ui, ['copy:out', 'open:markdown:out', 'restore:v1', 'openVersion:v1', 'settings']);
  });

  it('tells an expired session and an unreachable service apart', async () => {
    const expired = harness({ prompts: service.prompts, batches: service.batches, runs: new RunsClient({ serviceUrl: () => service.url, sessionCookie: () => 'stale' }) }, prompt.id);
    await expired.router.receive({ type: 'ready' });
    assert.equal((failure(await expired.request('getRun', { runId: crypto.randomUUID() })) as { kind: string }).kind, 'expired');

    const down = new RunsClient({ serviceUrl: () => 'http://127.0.0.1:9', sessionCookie: () => undefined, timeoutMs: 2000 });
    const unreachable = harness({ prompts: service.prompts, batches: service.batches, runs: down }, prompt.id);
    await unreachable.router.receive({ type: 'ready' });
    const error = failure(await unreachable.request('listRuns', { status: null, model: null, promptVersionId: null, q: null, cursor: null })) as { kind: string; message: string };
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /Cannot reach the PromptRefine service at http:\/\/127\.0\.0\.1:9/);
    ok(await unreachable.request('watchRun', { runId: crypto.randomUUID() }));
    const failed = (await unreachable.waitForPush('runStreamFailed')) as { error: { kind: string } };
    assert.equal(failed.error.kind, 'unreachable');
    assert.equal(unreachable.pushes('runReset').length, 2, 'it tried to join again before giving up');
  });

  /** A ready panel streaming a run whose words come slowly, once its first words have arrived. */
  async function streamingRun(topic: string): Promise<{ h: PanelHarness; run: TestRun }> {
    const h = harness(service, prompt.id);
    await h.router.receive({ type: 'ready' });
    service.fake.script({ kind: 'success', tokenDelayMs: 50 });
    const run = ok(await h.request('startRun', { promptVersionId: null, model: 'gpt-5.4', params: {}, inputVariables: { topic, reader: 'reader' }, input: null })) as TestRun;
    ok(await h.request('watchRun', { runId: run.id }));
    await h.waitForPush('runDelta');
    return { h, run };
  }

  it('stops streaming while the webview is hidden, and serves it again once it says ready', async () => {
    const { h, run } = await streamingRun('hidden panels');
    h.router.webviewHidden();
    const before = h.posted.length;
    h.router.push('refresh', {});
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(h.posted.length, before, 'nothing is posted to a torn-down webview');
    await h.router.receive({ type: 'ready' });
    ok(await h.request('watchRun', { runId: run.id }));
    const done = (await h.waitForPush('runDone')) as { run: TestRun };
    assert.equal(done.run.output, 'Echo: Explain hidden panels to a reader.');
  });

  it('stops streaming when the panel is disposed', async () => {
    const { h } = await streamingRun('a long topic with many words');
    h.router.dispose();
    const before = h.posted.length;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(h.posted.length, before, 'nothing is posted to a disposed panel');
  });
});
