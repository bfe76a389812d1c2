import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ListPage, ModelInfo, PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { collectEvents, readEvents } from '../testing/sse.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';
import { parseServerTiming } from '../runs/run-timing.ts';

const KEY = TEST_RUN_SETTINGS.apiKey as string;

describeEachDatabase('test runs', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let api: ApiClient;
  let prompt: PromptWithVersion;

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
  });
  after(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    app = await startTestApp(database(), {}, { baseUrl: fake.url, timeoutMs: 5000 });
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Reviewer', content: 'Review this {{language}}: {{ code }}' });
  });
  afterEach(() => app.close());

  const vars = { language: 'TypeScript', code: 'let x = 1' };
  const rendered = 'Review this TypeScript: let x = 1';
  const run = (body: Record<string, unknown>, query = '?wait=true', headers: Record<string, string> = {}) =>
    api.post<TestRun>(`/api/test-runs${query}`, { promptId: prompt.id, inputVariables: vars, ...body }, { headers });
  const runData = async (body: Record<string, unknown>, query = '?wait=true') => {
    const res = await run(body, query);
    assert.ok(res.status < 300, res.text);
    return res.body.data as TestRun;
  };

  it('runs on the Responses API and keeps output, usage, cost and latency', async () => {
    fake.script({ kind: 'success', text: 'Looks fine.', usage: { inputTokens: 1000, cachedTokens: 400, outputTokens: 300, reasoningTokens: 100 } });
    const res = await run({ model: 'gpt-5.4' });
    assert.equal(res.status, 200);
    const done = res.body.data as TestRun;
    assert.equal(done.status, 'succeeded');
    assert.equal(done.api, 'responses');
    assert.equal(done.output, 'Looks fine.');
    assert.deepEqual(done.usage, { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 300, reasoningTokens: 100, totalTokens: 1300 });
    // gpt-5.4: $2.50 input, $0.25 cached, $15 output per million.
    assert.equal(done.costUsd, (600 * 2.5 + 400 * 0.25 + 300 * 15) / 1e6);
    assert.equal(done.attempts, 1);
    assert.equal(done.versionNumber, 1);
    assert.equal(done.promptVersionId, prompt.currentVersionId);
    assert.ok(typeof done.latencyMs === 'number' && done.latencyMs >= 0);
    assert.ok(done.startedAt && done.finishedAt && done.finishedAt >= done.startedAt);
    assert.deepEqual(await api.ok('GET', `/api/test-runs/${done.id}`), done);

    const [sent] = fake.requests;
    assert.equal(sent?.path, '/v1/responses');
    assert.equal(sent?.headers.authorization, `Bearer ${KEY}`);
    assert.equal(sent?.body?.input, rendered);
    assert.equal(sent?.body?.store, false);
    assert.equal(sent?.body?.stream, true);
    assert.equal('temperature' in (sent?.body ?? {}), false, 'parameters the user did not set are not sent');
    assert.equal('instructions' in (sent?.body ?? {}), false);
  });

  // The answers of POST are made from what the statements wrote, not read back (run-statements.ts):
  // whatever was sent, they must say what a later read says.
  it('answers a new run, queued and finished, as a later GET answers it, whatever it was sent', async () => {
    const odd = { language: 'it\'s "quoted" – ünïcode 🦀', code: 'a \\ backslash, a tab\t and a line\nbreak' };
    const system = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'System', type: 'system', content: 'You review {{language}}: {{code}}' });
    const body = { promptId: system.id, model: 'local-model', params: { temperature: 0.2, maxOutputTokens: 64, topP: 0.9 }, inputVariables: odd, input: '🦀 and $1 and \'; --' };
    fake.script({ kind: 'success', text: 'first' }, { kind: 'error', status: 503 }, { kind: 'success', text: 'output with a lone \ud83e surrogate' });

    const queued = await api.post<TestRun>('/api/test-runs', body);
    assert.equal(queued.status, 202, queued.text);
    const first = queued.body.data as TestRun;
    const events = await collectEvents(`${app.url}/api/test-runs/${first.id}/events`, api.cookie);
    const done = events.at(-1)?.data as TestRun;
    assert.equal(done.output, 'first');
    const later = await api.ok<TestRun>('GET', `/api/test-runs/${first.id}`);
    assert.deepEqual(done, later, 'the finished run of the done event reads back as it was announced');
    const changing = ['status', 'output', 'usage', 'costUsd', 'latencyMs', 'attempts', 'startedAt', 'finishedAt', 'updatedAt'];
    const fixed = (run: TestRun) => Object.fromEntries(Object.entries(run).filter(([key]) => !changing.includes(key)));
    assert.deepEqual(fixed(first), fixed(later), 'what the run was made of reads back as the 202 said');
    assert.deepEqual(first.inputVariables, odd);
    assert.equal(first.input, '🦀 and $1 and \'; --');

    const finished = await runData(body);
    assert.equal(finished.status, 'succeeded');
    assert.equal(finished.output, 'output with a lone \ufffd surrogate', 'a lone surrogate is answered as it is kept: U+FFFD');
    assert.equal(finished.attempts, 2, 'retried once after the 503');
    assert.deepEqual(await api.ok('GET', `/api/test-runs/${finished.id}`), finished);
  });

  it('runs an unpriced model on Chat Completions, normalizing its usage', async () => {
    fake.script({ kind: 'success', text: 'ok', usage: { inputTokens: 50, cachedTokens: 10, outputTokens: 20, reasoningTokens: 5 } });
    const done = await runData({ model: 'llama3.1:8b' });
    assert.equal(done.status, 'succeeded');
    assert.equal(done.api, 'chat');
    assert.equal(done.costUsd, null);
    assert.deepEqual(done.usage, { inputTokens: 50, cachedInputTokens: 10, outputTokens: 20, reasoningTokens: 5, totalTokens: 70 });
    const body = fake.requests[0]?.body as { messages: unknown; stream_options: unknown };
    assert.equal(fake.requests[0]?.path, '/v1/chat/completions');
    assert.deepEqual(body.messages, [{ role: 'user', content: rendered }]);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('sends a system prompt as instructions and the run input as the user message, on both APIs', async () => {
    const system = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Sys', type: 'system', content: 'You review {{language}}.' });
    const base = { promptId: system.id, inputVariables: { language: 'Go' }, input: 'func main() {}' };
    const viaResponses = await api.ok<TestRun>('POST', '/api/test-runs?wait=true', { ...base, model: 'gpt-5.4-mini' });
    assert.equal(viaResponses.output, 'Echo: func main() {}');
    assert.equal(viaResponses.input, 'func main() {}');
    assert.equal(fake.requests[0]?.body?.instructions, 'You review Go.');
    assert.equal(fake.requests[0]?.body?.input, 'func main() {}');
    await api.ok('POST', '/api/test-runs?wait=true', { ...base, model: 'local-model' });
    assert.deepEqual(fake.requests[1]?.body?.messages, [
      { role: 'system', content: 'You review Go.' },
      { role: 'user', content: 'func main() {}' },
    ]);
  });

  it('sends only the parameters that are set, named as each API expects', async () => {
    await runData({ model: 'gpt-5.4', params: { reasoningEffort: 'low', verbosity: 'high', maxOutputTokens: 500 } });
    const responsesBody = fake.requests[0]?.body ?? {};
    assert.deepEqual(responsesBody.reasoning, { effort: 'low' });
    assert.deepEqual(responsesBody.text, { verbosity: 'high' });
    assert.equal(responsesBody.max_output_tokens, 500);
    assert.equal('temperature' in responsesBody || 'top_p' in responsesBody, false);
    const done = await runData({ model: 'local-model', params: { temperature: 0.2, topP: 0.9, maxOutputTokens: 64 } });
    assert.deepEqual(done.params, { temperature: 0.2, topP: 0.9, maxOutputTokens: 64 });
    const chatBody = fake.requests[1]?.body ?? {};
    assert.equal(chatBody.temperature, 0.2);
    assert.equal(chatBody.top_p, 0.9);
    assert.equal(chatBody.max_completion_tokens, 64);
    assert.equal('reasoning_effort' in chatBody, false);
  });

  it('answers 202 at once and streams the output in order, ending with done', async () => {
    fake.script({ kind: 'success', text: 'one two three four five six', tokenDelayMs: 30 });
    const res = await run({ model: 'gpt-5.4' }, '');
    assert.equal(res.status, 202);
    const queued = res.body.data as TestRun;
    assert.ok(['queued', 'running'].includes(queued.status));
    const events = await collectEvents(`${app.url}/api/test-runs/${queued.id}/events`, api.cookie);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text);
    assert.ok(deltas.length >= 3, `several deltas, got ${deltas.length}`);
    assert.equal(deltas.join(''), 'one two three four five six');
    const last = events.at(-1);
    assert.equal(last?.event, 'done');
    assert.equal((last?.data as TestRun).status, 'succeeded');
    assert.equal((last?.data as TestRun).output, 'one two three four five six');
  });

  it('gives a client that connects late the text so far, then the rest', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    fake.script({ kind: 'success', text, tokenDelayMs: 40 });
    const queued = (await run({ model: 'gpt-5.4' }, '')).body.data as TestRun;
    // Wait until part of the output exists.
    for (let i = 0; i < 100; i++) {
      const now = await api.ok<TestRun>('GET', `/api/test-runs/${queued.id}`);
      if ((now.output ?? '').length > 10) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const events = await collectEvents(`${app.url}/api/test-runs/${queued.id}/events`, api.cookie);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text);
    assert.ok((deltas[0] ?? '').length > 10, `the first delta carries the text so far: "${deltas[0]}"`);
    assert.equal(deltas.join(''), text);
    assert.equal(events.at(-1)?.event, 'done');
  });

  it('streams a finished run as its whole output and done', async () => {
    const done = await runData({ model: 'gpt-5.4' });
    const events = await collectEvents(`${app.url}/api/test-runs/${done.id}/events`, api.cookie);
    assert.deepEqual(events.map((e) => e.event), ['delta', 'done']);
    assert.deepEqual(events[0]?.data, { text: done.output });
  });

  it('retries rate limits, server errors and broken streams, then succeeds, counting attempts', async () => {
    fake.script(
      { kind: 'error', status: 429, code: 'rate_limit_exceeded', retryAfterMs: 30 },
      { kind: 'error', status: 503 },
      { kind: 'disconnect', afterDeltas: 1, text: 'partial output that breaks' },
      { kind: 'success', text: 'finally' },
    );
    const done = await runData({ model: 'gpt-5.4' });
    assert.equal(done.status, 'succeeded');
    assert.equal(done.output, 'finally');
    assert.equal(done.attempts, 4);
    assert.equal(fake.requests.length, 4);
  });

  it('fails after the last retry with the provider status and message', async () => {
    const steps = Array.from({ length: 4 }, () => ({ kind: 'error' as const, status: 503, message: 'The engine is currently overloaded' }));
    fake.script(...steps);
    const done = await runData({ model: 'gpt-5.4' });
    assert.equal(done.status, 'failed');
    assert.equal(done.attempts, 4);
    assert.equal(done.error?.status, 503);
    assert.match(done.error?.message ?? '', /currently overloaded/);
    assert.equal(fake.requests.length, 4);
  });

  for (const [status, code, type] of [
    [400, 'invalid_value', 'invalid_request_error'],
    [401, 'invalid_api_key', 'invalid_request_error'],
    [403, 'unsupported_country_region_territory', 'invalid_request_error'],
    [404, 'model_not_found', 'invalid_request_error'],
    [429, 'insufficient_quota', 'insufficient_quota'],
  ] as const) {
    it(`fails at once on ${status} ${code}, keeping the provider's words`, async () => {
      fake.script({ kind: 'error', status, code, type, message: `provider says ${code}` });
      const done = await runData({ model: 'gpt-5.4' });
      assert.equal(done.status, 'failed');
      assert.equal(done.attempts, 1);
      assert.deepEqual(done.error, { code, message: `provider says ${code}`, status });
      assert.equal(fake.requests.length, 1);
    });
  }

  it('ends a hung call at the timeout, retries it, then fails with TIMEOUT', async () => {
    await app.close();
    app = await startTestApp(database(), {}, { baseUrl: fake.url, timeoutMs: 300, maxAttempts: 2 });
    api = await app.signedIn();
    fake.script({ kind: 'hang' }, { kind: 'hang' });
    const done = await runData({ model: 'gpt-5.4' });
    assert.equal(done.status, 'failed');
    assert.equal(done.error?.code, 'TIMEOUT');
    assert.equal(done.attempts, 2);
    await fake.waitFor((requests) => requests.length === 2 && requests.every((r) => r.aborted));
  });

  it('cancels a running run, aborting the model call and keeping it canceled', async () => {
    fake.script({ kind: 'hang' });
    const queued = (await run({ model: 'gpt-5.4' }, '')).body.data as TestRun;
    await fake.waitFor((requests) => requests.length === 1);
    const res = await api.post<TestRun>(`/api/test-runs/${queued.id}/cancel`);
    assert.equal(res.status, 200);
    assert.equal((res.body.data as TestRun).status, 'canceled');
    await fake.waitFor((requests) => requests[0]?.aborted === true);
    await new Promise((r) => setTimeout(r, 200));
    const after = await api.ok<TestRun>('GET', `/api/test-runs/${queued.id}`);
    assert.equal(after.status, 'canceled');
    assert.equal(after.error?.code, 'CANCELED');
    assert.equal(fake.requests.length, 1, 'no retry after a cancel');
  });

  it('answers a cancel of a finished run with the run as it was', async () => {
    const done = await runData({ model: 'gpt-5.4' });
    const res = await api.post<TestRun>(`/api/test-runs/${done.id}/cancel`);
    assert.equal(res.status, 200);
    assert.equal((res.body.data as TestRun).status, 'succeeded');
  });

  it('replays an Idempotency-Key with the same body without calling the model twice', async () => {
    const headers = { 'idempotency-key': 'run-once-123' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => run({ model: 'gpt-5.4' }, '?wait=true', headers)));
    const ids = new Set(answers.map((a) => (a.body.data as TestRun).id));
    assert.equal(ids.size, 1);
    assert.ok(answers.every((a) => a.status === 200 && (a.body.data as TestRun).status === 'succeeded'));
    assert.equal(fake.requests.length, 1);
    const other = await run({ model: 'gpt-5.4-mini' }, '?wait=true', headers);
    assert.equal(other.status, 409);
    assert.equal(other.body.error?.code, 'CONFLICT');
    assert.equal(fake.requests.length, 1);
    // Again with the prompt known (no read before the insert): the insert's conflict decides alone.
    const again = await Promise.all(Array.from({ length: 5 }, () => run({ model: 'gpt-5.4' }, '?wait=true', { 'idempotency-key': 'run-once-456' })));
    assert.equal(new Set(again.map((a) => (a.body.data as TestRun).id)).size, 1);
    assert.ok(again.every((a) => a.status === 200 && (a.body.data as TestRun).status === 'succeeded'));
    assert.equal(fake.requests.length, 2);
  });

  it('answers a replayed Idempotency-Key of a deleted prompt with 404, as GET does', async () => {
    const headers = { 'idempotency-key': 'before-the-delete' };
    const first = await run({ model: 'gpt-5.4' }, '?wait=true', headers);
    assert.equal(first.status, 200);
    const done = first.body.data as TestRun;
    await api.ok('DELETE', `/api/prompts/${prompt.id}`);
    const read = await api.get(`/api/test-runs/${done.id}`);
    assert.equal(read.status, 404);
    for (const query of ['', '?wait=true']) {
      const replay = await run({ model: 'gpt-5.4' }, query, headers);
      assert.equal(replay.status, 404, replay.text);
      assert.equal(replay.body.error?.code, 'NOT_FOUND');
      assert.ok(!replay.text.includes(done.id), 'the run is not revealed');
    }
    assert.equal(fake.requests.length, 1);
  });

  it('refuses a run with a template variable left without a value, naming it, before queuing', async () => {
    const res = await api.post('/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4', inputVariables: { language: 'Go' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, 'INVALID_INPUT');
    assert.match(res.body.error?.message ?? '', /\{\{code\}\}/);
    assert.deepEqual(res.body.error?.details.map((d) => d.path), ['inputVariables.code']);
    assert.deepEqual((await api.ok<ListPage<TestRun>>('GET', '/api/test-runs')).items, []);
    assert.equal(fake.requests.length, 0);
  });

  it('says in Server-Timing where a run’s request spent its time in the service', async () => {
    fake.script({ kind: 'success', text: 'Timed.', latencyMs: 120 });
    const waited = await run({ model: 'gpt-5.4' });
    assert.equal(waited.status, 200);
    const timing = parseServerTiming(waited.headers.get('server-timing'));
    assert.deepEqual(Object.keys(timing), ['accept', 'insert', 'model', 'result']);
    assert.ok(Object.values(timing).every((ms) => ms >= 0), JSON.stringify(timing));
    const done = waited.body.data as TestRun;
    assert.equal(timing.model, done.latencyMs, 'the model call is the run’s own latency');
    assert.ok((timing.model ?? 0) >= 120, 'the fake model took 120 ms');
    assert.match(waited.headers.get('server-timing') ?? '', /accept;desc="request read and checked";dur=[\d.]+/);

    const queued = await run({ model: 'gpt-5.4' }, '');
    assert.equal(queued.status, 202);
    assert.deepEqual(Object.keys(parseServerTiming(queued.headers.get('server-timing'))), ['accept', 'insert'], 'not waited: no model or result yet');
  });

  it('runs the prompt as it is now after every kind of change since its last run (a run skips reading a prompt it knows)', async () => {
    const first = await runData({ model: 'gpt-5.4' });
    assert.equal(first.output, `Echo: ${rendered}`);
    // A new version needing a variable the old one did not: refused, naming it, nothing run.
    const v2 = await api.ok<{ id: string }>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'Port this {{language}} to {{target}}: {{code}}' });
    const refused = await run({ model: 'gpt-5.4' });
    assert.equal(refused.status, 400, refused.text);
    assert.deepEqual(refused.body.error?.details.map((d) => d.path), ['inputVariables.target']);
    const second = await runData({ model: 'gpt-5.4', inputVariables: { ...vars, target: 'Go' } });
    assert.deepEqual([second.versionNumber, second.promptVersionId, second.output], [2, v2.id, 'Echo: Port this TypeScript to Go: let x = 1']);
    // Restored: the old content is current again, as version 3; the extra variable is not needed.
    await api.ok('POST', `/api/prompts/${prompt.id}/restore`, { versionId: prompt.currentVersionId });
    const third = await runData({ model: 'gpt-5.4' });
    assert.deepEqual([third.versionNumber, third.output], [3, `Echo: ${rendered}`]);
    // An old version asked for by id still runs as it was.
    const old = await runData({ model: 'gpt-5.4', promptVersionId: v2.id, inputVariables: { ...vars, target: 'Rust' } });
    assert.deepEqual([old.versionNumber, old.output], [2, 'Echo: Port this TypeScript to Rust: let x = 1']);
    // Made a system prompt: it now needs an input, and sends the version as instructions.
    await api.ok('PATCH', `/api/prompts/${prompt.id}`, { type: 'system' });
    const noInput = await run({ model: 'gpt-5.4' });
    assert.equal(noInput.status, 400, noInput.text);
    assert.match(noInput.body.error?.message ?? '', /system prompt needs/);
    const system = await runData({ model: 'gpt-5.4', input: 'Hello' });
    assert.equal(system.output, 'Echo: Hello');
    // Deleted: 404 for the current version and for one given by id.
    await api.ok('DELETE', `/api/prompts/${prompt.id}`);
    for (const body of [{}, { promptVersionId: v2.id, inputVariables: { ...vars, target: 'Go' } }]) {
      const gone = await run({ model: 'gpt-5.4', input: 'Hello', ...body });
      assert.equal(gone.status, 404, gone.text);
    }
    assert.equal(fake.requests.length, 5, 'only the five runs that were accepted called the model');
  });

  it('refuses inputs that cannot make a run', async () => {
    const system = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Sys', type: 'system', content: 'Be terse.' });
    const empty = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Empty' });
    const other = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Other', content: 'x' });
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ promptId: system.id, model: 'gpt-5.4' }, 400, /input: a system prompt needs/],
      [{ promptId: prompt.id, model: 'gpt-5.4', inputVariables: vars, input: 'extra' }, 400, /only system prompts take an input/],
      [{ promptId: empty.id, model: 'gpt-5.4' }, 400, /no version yet/],
      [{ promptId: randomUUID(), model: 'gpt-5.4' }, 404, /not found/],
      [{ promptId: prompt.id, promptVersionId: other.currentVersionId, model: 'gpt-5.4', inputVariables: vars }, 404, /not found/],
      [{ promptId: prompt.id, model: '', inputVariables: vars }, 400, /model: must not be empty/],
      [{ promptId: prompt.id, model: 'gpt-5.4', inputVariables: vars, params: { temperature: 3 } }, 400, /params.temperature/],
      [{ promptId: prompt.id, model: 'gpt-5.4', inputVariables: vars, params: { seed: 1 } }, 400, /params.seed: is not a known field/],
    ];
    for (const [body, status, message] of cases) {
      const res = await api.post('/api/test-runs', body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.match(res.body.error?.message ?? '', message);
    }
    assert.equal(fake.requests.length, 0);
  });

  it('never lets the API key out: not in a run, an error or an answer', async () => {
    fake.script({ kind: 'error', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${KEY}. Check it.` });
    const res = await run({ model: 'gpt-5.4' });
    const done = res.body.data as TestRun;
    assert.equal(done.status, 'failed');
    assert.match(done.error?.message ?? '', /Incorrect API key provided: \[redacted\]/);
    for (const text of [res.text, (await api.get(`/api/test-runs/${done.id}`)).text, (await api.get('/api/test-runs')).text]) {
      assert.ok(!text.includes(KEY));
      assert.ok(!text.includes('sk-test'));
    }
  });

  it('finds runs by prompt, version, status, model and output text, newest first in pages', async () => {
    const v1 = prompt.currentVersionId;
    fake.script({ kind: 'success', text: 'alpha answer' });
    const a = await runData({ model: 'gpt-5.4' });
    fake.script({ kind: 'error', status: 400, message: 'bad' });
    const b = await runData({ model: 'gpt-5.4-mini' });
    const v2 = await api.ok<{ id: string }>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'v2 {{language}} {{code}}' });
    fake.script({ kind: 'success', text: 'beta answer' });
    const c = await runData({ model: 'gpt-5.4' });
    const ids = async (query: string) => (await api.ok<ListPage<TestRun>>('GET', `/api/test-runs?${query}`)).items.map((r) => r.id);
    assert.deepEqual(await ids(`promptId=${prompt.id}`), [c.id, b.id, a.id]);
    assert.deepEqual(await ids(`promptVersionId=${v1}`), [b.id, a.id]);
    assert.deepEqual(await ids(`promptVersionId=${v2.id}`), [c.id]);
    assert.deepEqual(await ids('status=failed'), [b.id]);
    assert.deepEqual(await ids('model=gpt-5.4'), [c.id, a.id]);
    assert.deepEqual(await ids('q=ALPHA'), [a.id]);
    assert.deepEqual(await ids('q=answer&model=gpt-5.4&status=succeeded'), [c.id, a.id]);
    const page1 = await api.ok<ListPage<TestRun>>('GET', '/api/test-runs?limit=2');
    const page2 = await api.ok<ListPage<TestRun>>('GET', `/api/test-runs?limit=2&cursor=${page1.nextCursor}`);
    assert.deepEqual([...page1.items, ...page2.items].map((r) => r.id), [c.id, b.id, a.id]);
    assert.equal(page2.nextCursor, null);
    assert.equal((await api.get('/api/test-runs?status=done')).status, 400);

    await api.ok('DELETE', `/api/prompts/${prompt.id}`);
    assert.deepEqual(await ids(''), [], "a deleted prompt's runs leave the lists");
    assert.equal((await api.get(`/api/test-runs/${a.id}`)).status, 404);
  });

  it('offers the model table with prices and their sources', async () => {
    const models = await api.ok<ModelInfo[]>('GET', '/api/models');
    const codex = models.find((m) => m.id === 'gpt-5.3-codex');
    assert.equal(codex?.api, 'responses');
    assert.ok(codex?.inputPerMTok && codex.outputPerMTok && codex.priceSource && codex.priceDate);
  });

  it('fails a run at once, saying what to set, when no API key is configured for OpenAI', async () => {
    await app.close();
    app = await startTestApp(database(), {}, { apiKey: undefined, baseUrl: undefined });
    api = await app.signedIn();
    const done = await runData({ model: 'gpt-5.4' });
    assert.equal(done.status, 'failed');
    assert.equal(done.error?.code, 'NO_API_KEY');
    assert.match(done.error?.message ?? '', /OPENAI_API_KEY/);
  });

  it('streams a reset event when a retry starts over', async () => {
    fake.script({ kind: 'disconnect', afterDeltas: 2, text: 'broken reply here and more', tokenDelayMs: 20 }, { kind: 'success', text: 'clean reply', tokenDelayMs: 20 });
    const queued = (await run({ model: 'gpt-5.4' }, '')).body.data as TestRun;
    const events: { event: string; data: unknown }[] = [];
    for await (const e of readEvents(`${app.url}/api/test-runs/${queued.id}/events`, api.cookie)) events.push(e);
    const afterReset = events.slice(events.findIndex((e) => e.event === 'reset') + 1);
    assert.ok(events.some((e) => e.event === 'reset'), 'a reset event was sent');
    const text = afterReset.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text).join('');
    assert.equal(text, 'clean reply');
    assert.equal((events.at(-1)?.data as TestRun).attempts, 2);
  });
});
