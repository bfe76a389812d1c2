// Batches: versions × models × cases × repeats through the run queue, every run checked against its
// case, the summary per version × model, progress as events, cancel, idempotency and replay.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Batch, ListPage, PromptWithVersion, TestCase, TestRun, Version } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { collectEvents } from '../testing/sse.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';
import { describeEachDatabase } from './support/databases.ts';
import { eventually, openStream } from './support/event-stream.ts';

describeEachDatabase('batches', (database) => {
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
    app = await startTestApp(database(), {}, { baseUrl: fake.url, concurrency: 4 });
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Reviewer', content: 'Review {{code}}' });
  });
  afterEach(() => app.close());

  const addCase = (body: Record<string, unknown>, promptId = prompt.id) => api.ok<TestCase>('POST', `/api/prompts/${promptId}/cases`, body);
  const start = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await api.post<Batch>('/api/batches', { promptId: prompt.id, models: ['gpt-5.4'], ...body }, { headers });
    assert.equal(res.status, 202, res.text);
    return res.body.data as Batch;
  };
  /** Follows the batch's events to the end; returns them and the final batch. */
  const follow = async (batch: Batch) => {
    const events = await collectEvents(`${app.url}/api/batches/${batch.id}/events`, api.cookie);
    const done = events.at(-1);
    assert.equal(done?.event, 'done', JSON.stringify(events));
    return { events, final: done?.data as Batch };
  };

  it('runs every case on the current version by default, checks each run and streams progress then done', async () => {
    const go = await addCase({ name: 'go', inputVariables: { code: 'x := 1' }, expectations: [{ kind: 'contains', value: 'x := 1' }] });
    const rust = await addCase({ name: 'rust', inputVariables: { code: 'let x' }, expectations: [{ kind: 'contains', value: 'nowhere' }] });
    const batch = await start({});
    assert.equal(batch.total, 2);
    assert.ok(['queued', 'running'].includes(batch.status));
    const { events, final } = await follow(batch);
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data as Batch);
    assert.ok(progress.length >= 1);
    assert.ok(progress.every((p, i) => i === 0 || p.done >= (progress[i - 1] as Batch).done), 'progress only moves forward');
    assert.equal(progress.at(-1)?.status, 'finished');
    assert.equal(final.status, 'finished');
    assert.equal(final.done, 2);
    assert.equal(final.failed, 0);
    assert.ok(final.finishedAt && final.finishedAt >= final.createdAt);
    assert.deepEqual(final.results?.map((r) => [r.caseId, r.versionNumber, r.model, r.repeat, r.status]), [
      [go.id, 1, 'gpt-5.4', 1, 'succeeded'],
      [rust.id, 1, 'gpt-5.4', 1, 'succeeded'],
    ], 'results case by case, in the order the cases were written');
    assert.deepEqual(final.results?.[0]?.checks, [{ kind: 'contains', value: 'x := 1', passed: true, detail: 'found in the output' }]);
    assert.deepEqual(final.results?.[1]?.checks, [{ kind: 'contains', value: 'nowhere', passed: false, detail: 'not found in the output' }]);
    assert.deepEqual(await api.ok('GET', `/api/batches/${batch.id}`), final);

    // The runs are ordinary runs that say which batch, case and repeat made them.
    const run = await api.ok<TestRun>('GET', `/api/test-runs/${final.results?.[0]?.runId}`);
    assert.equal(run.batchId, batch.id);
    assert.equal(run.caseId, go.id);
    assert.equal(run.repeat, 1);
    assert.equal(run.output, 'Echo: Review x := 1');
    const single = await api.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-5.4', inputVariables: { code: 'y' } });
    assert.equal(single.batchId, null);
  });

  it('checks every kind of expectation against output, tokens, cost and latency', async () => {
    const json = '{"verdict": "looks good", "issues": []}';
    fake.script({ kind: 'success', text: json, usage: { inputTokens: 100, outputTokens: 40 } });
    const expectations = [
      { kind: 'contains', value: 'looks good' },
      { kind: 'notContains', value: 'looks good' },
      { kind: 'regex', value: '/"VERDICT":\\s*"looks/i' },
      { kind: 'regex', value: '^\\[' },
      { kind: 'equals', value: `  ${json}\n` },
      { kind: 'equals', value: '{"verdict": "looks bad"}' },
      { kind: 'jsonValid', value: true },
      { kind: 'jsonValid', value: false },
      { kind: 'maxOutputTokens', value: 40 },
      { kind: 'maxOutputTokens', value: 39 },
      { kind: 'maxCostUsd', value: 1 },
      { kind: 'maxCostUsd', value: 0.000001 },
      { kind: 'maxLatencyMs', value: 600_000 },
      { kind: 'maxLatencyMs', value: 0 },
    ];
    await addCase({ name: 'all kinds', inputVariables: { code: 'c' }, expectations });
    const { final } = await follow(await start({}));
    const checks = final.results?.[0]?.checks ?? [];
    assert.deepEqual(checks.map((c) => [c.kind, c.passed]), [
      ['contains', true],
      ['notContains', false],
      ['regex', true],
      ['regex', false],
      ['equals', true],
      ['equals', false],
      ['jsonValid', true],
      ['jsonValid', false],
      ['maxOutputTokens', true],
      ['maxOutputTokens', false],
      ['maxCostUsd', true],
      ['maxCostUsd', false],
      ['maxLatencyMs', true],
      ['maxLatencyMs', final.results?.[0]?.latencyMs === 0],
    ]);
    assert.deepEqual(checks.map((c) => c.value), expectations.map((e) => e.value));
    assert.equal(checks[3]?.detail, 'no match');
    assert.equal(checks[5]?.detail, 'differs from character 20');
    assert.equal(checks[7]?.detail, 'valid JSON');
    assert.equal(checks[9]?.detail, '40 output tokens');
    // gpt-5.4: $2.50 input and $15 output per million tokens.
    assert.equal(checks[11]?.detail, `$${(100 * 2.5 + 40 * 15) / 1e6}`);
    assert.deepEqual(final.summary?.map((s) => [s.checksPassed, s.checksTotal]), [[checks.filter((c) => c.passed).length, 14]]);
  });

  it('fails the checks of a run that failed, of an unpriced model, and of a regex that runs out of time', async () => {
    await addCase({
      name: 'slow pattern',
      inputVariables: { code: 'c' },
      expectations: [
        { kind: 'regex', value: '.*a.*a.*b' },
        { kind: 'maxCostUsd', value: 1 },
        { kind: 'contains', value: 'a' },
      ],
    });
    // A long output of one letter: the allowed but polynomial pattern would take minutes on it.
    fake.script({ kind: 'success', model: 'llama3.1:8b', text: 'a'.repeat(20_000) }, { kind: 'error', status: 400, model: 'gpt-5.4', message: 'bad request' });
    const { final } = await follow(await start({ models: ['llama3.1:8b', 'gpt-5.4'] }));
    const [local, failed] = final.results ?? [];
    assert.equal(local?.status, 'succeeded');
    assert.deepEqual(local?.checks.map((c) => [c.passed, c.detail]), [
      [false, 'the pattern ran out of time on this output'],
      [false, 'no cost: the model has no price'],
      [true, 'found in the output'],
    ]);
    assert.equal(failed?.status, 'failed');
    assert.deepEqual(failed?.checks.map((c) => [c.passed, c.detail]), Array(3).fill([false, 'the run failed (invalid_request_error)']));
    assert.equal(final.failed, 1);
  });

  it('runs versions × models × cases × repeats, in that order, and sums each version × model', async () => {
    // One at a time, so the scripted answers below go to the first runs of gpt-5.4-mini.
    await app.close();
    app = await startTestApp(database(), {}, { baseUrl: fake.url, concurrency: 1 });
    api = await app.signedIn();
    const v2 = await api.ok<Version>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'Check {{code}}' });
    const a = await addCase({ name: 'a', inputVariables: { code: 'A' }, expectations: [{ kind: 'contains', value: 'Review' }] });
    const b = await addCase({ name: 'b', inputVariables: { code: 'B' }, expectations: [{ kind: 'contains', value: 'Review' }] });
    // Case b on version 1 with gpt-5.4-mini answers differently each time: 3 distinct outputs of 3.
    const texts = ['one', 'two', 'three'];
    for (const text of texts) fake.script({ kind: 'success', model: 'gpt-5.4-mini', text });
    const batch = await start({
      promptVersionIds: [prompt.currentVersionId, v2.id],
      models: ['gpt-5.4', 'gpt-5.4-mini'],
      caseIds: [b.id, a.id],
      repeats: 3,
    });
    assert.equal(batch.total, 2 * 2 * 2 * 3);
    const { final } = await follow(batch);
    assert.equal(final.results?.length, 24);
    assert.deepEqual(
      final.results?.slice(0, 6).map((r) => [r.caseId, r.versionNumber, r.model, r.repeat]),
      [
        [b.id, 1, 'gpt-5.4', 1],
        [b.id, 1, 'gpt-5.4', 2],
        [b.id, 1, 'gpt-5.4', 3],
        [b.id, 1, 'gpt-5.4-mini', 1],
        [b.id, 1, 'gpt-5.4-mini', 2],
        [b.id, 1, 'gpt-5.4-mini', 3],
      ],
      'in the order asked: caseIds, then versions, models and repeats',
    );
    const summary = final.summary ?? [];
    assert.deepEqual(summary.map((s) => [s.versionNumber, s.model, s.runs, s.succeeded, s.checksTotal]), [
      [1, 'gpt-5.4', 6, 6, 6],
      [1, 'gpt-5.4-mini', 6, 6, 6],
      [2, 'gpt-5.4', 6, 6, 6],
      [2, 'gpt-5.4-mini', 6, 6, 6],
    ]);
    // Version 1 says "Review", version 2 says "Check": the check tells them apart; so do the three scripted answers.
    assert.deepEqual(summary.map((s) => s.checksPassed), [6, 3, 0, 0]);
    // The fake echoes: each case gives one output over its 3 repeats, except case b on v1 × gpt-5.4-mini (three).
    assert.deepEqual(summary.map((s) => s.distinctOutputs), [2, 4, 2, 2]);
    const scripted = final.results?.filter((r) => texts.includes(r.output ?? ''));
    assert.deepEqual(scripted?.map((r) => [r.caseId, r.versionNumber, r.model, r.repeat, r.output]), [
      [b.id, 1, 'gpt-5.4-mini', 1, 'one'],
      [b.id, 1, 'gpt-5.4-mini', 2, 'two'],
      [b.id, 1, 'gpt-5.4-mini', 3, 'three'],
    ]);
    const costs = final.results?.filter((r) => r.versionNumber === 1 && r.model === 'gpt-5.4').reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    assert.equal(summary[0]?.costUsd, costs);
    assert.ok(summary.every((s) => typeof s.medianLatencyMs === 'number'));
  });

  it('refuses a batch over 500 runs, unknown versions and cases, repeats out of range, and cases a version cannot run', async () => {
    const refused = async (body: Record<string, unknown>, path: string, message?: RegExp) => {
      const res = await api.post('/api/batches', { promptId: prompt.id, models: ['gpt-5.4'], ...body });
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(res.body.error?.details[0]?.path, path, res.text);
      if (message) assert.match(res.body.error?.message ?? '', message);
    };
    await refused({}, 'caseIds', /no test cases yet/);
    const c = await addCase({ name: 'c', inputVariables: { code: 'x' } });
    await refused({ repeats: 11 }, 'repeats');
    await refused({ repeats: 0 }, 'repeats');
    await refused({ models: [] }, 'models');
    await refused({ models: ['gpt-5.4', 'gpt-5.4'] }, 'models.1', /listed twice/);
    await refused({ promptVersionIds: [randomUUID()] }, 'promptVersionIds.0');
    await refused({ caseIds: [randomUUID()] }, 'caseIds.0');
    const other = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Other', content: 'x' });
    const foreign = await addCase({ name: 'foreign' }, other.id);
    await refused({ caseIds: [foreign.id] }, 'caseIds.0');
    await refused({ params: { temperature: 0.5 } }, 'params.temperature');
    for (let i = 0; i < 9; i++) await addCase({ name: `more ${i}`, inputVariables: { code: String(i) } });
    const v2 = await api.ok<Version>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'Check {{code}} in {{language}}' });
    await refused({ promptVersionIds: [v2.id] }, 'caseIds', /case "c" .* has no value for \{\{language\}\} used by version 2/);
    const v3 = await api.ok<Version>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'Again {{code}}' });
    // 10 cases × 2 versions × 3 models × 9 repeats = 540.
    await refused({ promptVersionIds: [prompt.currentVersionId, v3.id], models: ['gpt-5.4', 'gpt-5.4-mini', 'gpt-4.1'], repeats: 9 }, '', /at most 500 runs; .* = 540/);
    const ok = await start({ promptVersionIds: [prompt.currentVersionId, v3.id], models: ['gpt-5.4', 'gpt-5.4-mini', 'gpt-4.1'], repeats: 8, caseIds: undefined });
    assert.equal(ok.total, 480);
    await api.ok('POST', `/api/batches/${ok.id}/cancel`);
    assert.ok(c.id);
  });

  it('sends each case of a system prompt as the user message, and refuses a case without one', async () => {
    const system = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Sys', type: 'system', content: 'You review {{language}}.' });
    const withInput = await addCase({ name: 'go', inputVariables: { language: 'Go' }, input: 'func main() {}', expectations: [{ kind: 'contains', value: 'main' }] }, system.id);
    const { final } = await follow(await start({ promptId: system.id, models: ['local-model'] }));
    assert.deepEqual(final.results?.map((r) => [r.caseId, r.status, r.output]), [[withInput.id, 'succeeded', 'Echo: func main() {}']]);
    assert.deepEqual(fake.requests[0]?.body?.messages, [
      { role: 'system', content: 'You review Go.' },
      { role: 'user', content: 'func main() {}' },
    ]);
    await addCase({ name: 'no input', inputVariables: { language: 'Go' } }, system.id);
    const refused = await api.post('/api/batches', { promptId: system.id, models: ['local-model'] });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error?.message ?? '', /case "no input" .* has no input/);
  });

  it('answers the same batch for a replayed Idempotency-Key, and 409 for the key with another body', async () => {
    await addCase({ name: 'c', inputVariables: { code: 'x' } });
    const key = randomUUID();
    const first = await start({ repeats: 2 }, { 'Idempotency-Key': key });
    const again = await start({ repeats: 2 }, { 'Idempotency-Key': key });
    assert.equal(again.id, first.id);
    const conflict = await api.post('/api/batches', { promptId: prompt.id, models: ['gpt-5.4'], repeats: 3 }, { headers: { 'Idempotency-Key': key } });
    assert.equal(conflict.status, 409);
    await follow(first);
    const runs = await api.ok<ListPage<TestRun>>('GET', `/api/test-runs?promptId=${prompt.id}`);
    assert.equal(runs.items.length, 2, 'the replay made no runs');
    assert.equal(fake.requests.length, 2);
  });

  it('lists batches newest first with their progress, by prompt and page', async () => {
    await addCase({ name: 'c', inputVariables: { code: 'x' } });
    const first = await start({});
    const second = await start({ repeats: 2 });
    await follow(first);
    await follow(second);
    const other = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Other', content: 'x' });
    await addCase({ name: 'o' }, other.id);
    const third = await api.ok<Batch>('POST', '/api/batches', { promptId: other.id, models: ['gpt-5.4'] });
    await follow(third);
    const all = await api.ok<ListPage<Batch>>('GET', '/api/batches');
    assert.deepEqual(all.items.map((b) => b.id), [third.id, second.id, first.id]);
    assert.equal(all.items[1]?.results, undefined, 'lists carry no results');
    assert.deepEqual(all.items.map((b) => [b.status, b.total, b.done]), [
      ['finished', 1, 1],
      ['finished', 2, 2],
      ['finished', 1, 1],
    ]);
    const mine = await api.ok<ListPage<Batch>>('GET', `/api/batches?promptId=${prompt.id}&limit=1`);
    assert.deepEqual(mine.items.map((b) => b.id), [second.id]);
    const next = await api.ok<ListPage<Batch>>('GET', `/api/batches?promptId=${prompt.id}&limit=1&cursor=${mine.nextCursor}`);
    assert.deepEqual(next.items.map((b) => b.id), [first.id]);
    assert.equal(next.nextCursor, null);
    assert.equal((await api.get(`/api/batches/${randomUUID()}`)).status, 404);
    await api.ok('DELETE', `/api/prompts/${other.id}`);
    assert.equal((await api.get(`/api/batches/${third.id}`)).status, 404, "a deleted prompt's batches are gone with it");
  });

  it('cancels its queued and running runs, aborting the model calls in flight', async () => {
    await addCase({ name: 'c', inputVariables: { code: 'x' } });
    for (let i = 0; i < 4; i++) fake.script({ kind: 'hang' });
    const batch = await start({ repeats: 6 });
    await fake.waitFor((requests) => requests.length === 4, 10_000);
    const stream = await openStream(`${app.url}/api/batches/${batch.id}/events`, api.cookie);
    const canceled = await api.ok<Batch>('POST', `/api/batches/${batch.id}/cancel`);
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.done, 6);
    assert.ok(canceled.finishedAt);
    await fake.waitFor((requests) => requests.every((r) => r.aborted), 10_000);
    let last = await stream.next();
    while (last.event !== 'done') last = await stream.next();
    await stream.ended;
    const final = last.data as Batch;
    assert.equal(final.status, 'canceled');
    assert.deepEqual(final.results?.map((r) => r.status), Array(6).fill('canceled'));
    assert.equal(fake.requests.length, 4, 'queued runs never reached the model');
    const { results: _results, summary: _summary, ...head } = final;
    assert.deepEqual(await api.ok('POST', `/api/batches/${batch.id}/cancel`), head, 'canceling again changes nothing');
  });

  it('keeps to the concurrency limit of the run queue, and retries its runs like single runs', async () => {
    await app.close();
    app = await startTestApp(database(), {}, { baseUrl: fake.url, concurrency: 2 });
    api = await app.signedIn();
    await addCase({ name: 'c', inputVariables: { code: 'x' } });
    fake.script(...Array.from({ length: 6 }, () => ({ kind: 'stall' as const })));
    const batch = await start({ repeats: 6 });
    for (let wave = 1; wave <= 3; wave++) {
      await fake.waitFor((requests) => requests.length === 2 * wave, 10_000);
      // Two calls are stalled at the model: no third may start meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(fake.requests.length, 2 * wave, `wave ${wave}`);
      fake.release();
    }
    const { final } = await follow(batch);
    assert.deepEqual(final.results?.map((r) => r.status), Array(6).fill('succeeded'));

    fake.script({ kind: 'error', status: 500 });
    const retried = await follow(await start({}));
    assert.equal(retried.final.results?.[0]?.status, 'succeeded');
    const run = await api.ok<TestRun>('GET', `/api/test-runs/${retried.final.results?.[0]?.runId}`);
    assert.equal(run.attempts, 2);
  });

  it('counts runs the provider cut off, dropped or stalled as failed, with failing checks, never as passing outputs', async () => {
    await app.close();
    app = await startTestApp(database(), {}, { baseUrl: fake.url, concurrency: 1, timeoutMs: 400, maxAttempts: 2 });
    api = await app.signedIn();
    await addCase({ name: 'c', inputVariables: { code: 'x' }, expectations: [{ kind: 'contains', value: 'partial' }] });
    const text = 'a partial answer that goes on for a while';
    // One place at a time, so the script meets the runs in order (a failed attempt is retried once).
    fake.script(
      { kind: 'disconnect', text, afterDeltas: 2 },
      { kind: 'disconnect', text, afterDeltas: 2 },
      { kind: 'success', text, finishReason: 'length' },
      { kind: 'stall', text, afterDeltas: 2 },
      { kind: 'stall', text, afterDeltas: 2 },
      { kind: 'success', text },
    );
    const { final } = await follow(await start({ repeats: 4 }));
    assert.equal(fake.requests.length, 6);
    assert.deepEqual(final.results?.map((r) => r.status), ['failed', 'failed', 'failed', 'succeeded']);
    const runs = await Promise.all((final.results ?? []).map((r) => api.ok<TestRun>('GET', `/api/test-runs/${r.runId}`)));
    assert.deepEqual(runs.map((r) => r.error?.code ?? null), ['CONNECTION_LOST', 'INCOMPLETE', 'TIMEOUT', null]);
    assert.equal(final.results?.[1]?.output, text, 'the cut-off output is kept to read');
    assert.deepEqual(final.results?.map((r) => r.checks.map((c) => c.passed)), [[false], [false], [false], [true]], 'a failed run fails its check even when its text matches');
    assert.equal(final.status, 'finished');
    assert.equal(final.failed, 3);
    const [row] = final.summary ?? [];
    assert.deepEqual(
      row && { runs: row.runs, succeeded: row.succeeded, checksPassed: row.checksPassed, checksTotal: row.checksTotal, distinctOutputs: row.distinctOutputs },
      { runs: 4, succeeded: 1, checksPassed: 1, checksTotal: 4, distinctOutputs: 1 },
    );
  });

  it('takes a single run ahead of the queued runs of a batch', async () => {
    await app.close();
    app = await startTestApp(database(), {}, { baseUrl: fake.url, concurrency: 1 });
    api = await app.signedIn();
    await addCase({ name: 'c', inputVariables: { code: 'x' } });
    fake.script({ kind: 'stall' });
    const batch = await start({ repeats: 5 });
    await fake.waitFor((requests) => requests.length === 1, 10_000);
    const single = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4', inputVariables: { code: 'single' } });
    fake.release();
    await follow(batch);
    const done = await api.ok<TestRun>('GET', `/api/test-runs/${single.id}`);
    assert.equal(done.status, 'succeeded');
    assert.equal(fake.requests[1]?.body?.input, 'Review single', 'the single run was sent second, before four queued batch runs');
  });

  it('lets go of an event stream when its client leaves or its session signs out', async () => {
    await addCase({ name: 'c', inputVariables: { code: 'x' } });
    fake.script({ kind: 'hang' });
    const batch = await start({});
    await fake.waitFor((requests) => requests.length === 1, 10_000);
    const baseline = app.runs.streams.stats();
    const left = await openStream(`${app.url}/api/batches/${batch.id}/events`, api.cookie);
    assert.equal((await left.next()).event, 'progress');
    const signedOut = await openStream(`${app.url}/api/batches/${batch.id}/events`, api.cookie);
    assert.equal((await signedOut.next()).event, 'progress');
    await eventually(() => app.runs.streams.stats().listeners === baseline.listeners + 2);
    left.close();
    await eventually(() => app.runs.streams.stats().listeners === baseline.listeners + 1);
    await api.ok('POST', '/api/auth/signout');
    await signedOut.ended;
    await eventually(() => JSON.stringify(app.runs.streams.stats()) === JSON.stringify(baseline));
    assert.equal(app.app.sessionStreams.count(), 0);
    assert.equal((await app.anonymous().get(`/api/batches/${batch.id}/events`)).status, 401);
  });

  it('replays a run on the current version or a given one, with the same model, params, variables and input', async () => {
    const system = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Sys', type: 'system', content: 'You review {{language}}.' });
    const original = await api.ok<TestRun>('POST', '/api/test-runs?wait=true', {
      promptId: system.id,
      model: 'local-model',
      params: { temperature: 0.3 },
      inputVariables: { language: 'Go' },
      input: 'func main() {}',
    });
    const v2 = await api.ok<Version>('POST', `/api/prompts/${system.id}/versions`, { content: 'You are strict about {{language}}.' });
    const res = await api.post<TestRun>(`/api/test-runs/${original.id}/replay`, {});
    assert.equal(res.status, 202, res.text);
    const replay = res.body.data as TestRun;
    assert.notEqual(replay.id, original.id);
    assert.equal(replay.promptVersionId, v2.id);
    assert.deepEqual([replay.model, replay.params, replay.inputVariables, replay.input], [original.model, original.params, original.inputVariables, original.input]);
    await eventually(async () => (await api.ok<TestRun>('GET', `/api/test-runs/${replay.id}`)).status === 'succeeded');
    assert.deepEqual(fake.requests[1]?.body?.messages, [
      { role: 'system', content: 'You are strict about Go.' },
      { role: 'user', content: 'func main() {}' },
    ]);
    assert.equal(fake.requests[1]?.body?.temperature, 0.3);

    const onOld = await api.ok<TestRun>('POST', `/api/test-runs/${replay.id}/replay`, { promptVersionId: original.promptVersionId });
    assert.equal(onOld.versionNumber, 1);
    assert.equal((await api.post(`/api/test-runs/${randomUUID()}/replay`, {})).status, 404);
    assert.equal((await api.post(`/api/test-runs/${original.id}/replay`, { promptVersionId: prompt.currentVersionId })).status, 404, "another prompt's version");
    await api.ok('POST', `/api/prompts/${system.id}/versions`, { content: 'Now {{language}} and {{level}}.' });
    const missing = await api.post(`/api/test-runs/${original.id}/replay`, {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error?.details[0]?.path, 'inputVariables.level');
  });
});
