// A run is `succeeded` only when the provider said the model finished: `response.completed` on the
// Responses API, a `finish_reason` on Chat Completions. Every way a stream can stop short (a stall
// past the timeout, a reset connection, a body that ends early, a frame that is not JSON, a reply
// cut at the output limit) ends as `failed` with a code that says which, on both APIs.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import type { ListPage, PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI, type ScriptedStep } from '../../tools/fake-openai/server.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { cancelRun } from '../runs/run-queries.ts';
import { readEvents, type SseEvent } from '../testing/sse.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';

const KEY = TEST_RUN_SETTINGS.apiKey as string;
/** gpt-5.4 is called through the Responses API; an unknown id through Chat Completions (OPENAI_BASE_URL set). */
const MODELS = [
  ['Responses API', 'gpt-5.4'],
  ['Chat Completions', 'local-model'],
] as const;
const TEXT = 'one two three four five six seven eight';

describeEachDatabase('run outcomes', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let api: ApiClient;
  let prompt: PromptWithVersion;

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
  });
  after(() => fake?.close());
  beforeEach(async () => {
    fake.reset();
    app = await startTestApp(database(), {}, { baseUrl: fake.url, timeoutMs: 400, maxAttempts: 2 });
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Outcomes', content: 'Say something' });
  });
  afterEach(async () => {
    fake.release();
    await app.close();
  });

  const runToEnd = (model: string) => api.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model });
  const twice = (step: ScriptedStep): ScriptedStep[] => [step, step];

  for (const [apiName, model] of MODELS) {
    describe(apiName, () => {
      it('fails with TIMEOUT when the provider sends the headers and then stalls, retried per policy', async () => {
        fake.script(...twice({ kind: 'stall', text: TEXT }));
        const done = await runToEnd(model);
        assert.equal(done.status, 'failed', JSON.stringify(done));
        assert.equal(done.error?.code, 'TIMEOUT');
        assert.equal(done.attempts, 2);
        assert.equal(fake.requests.length, 2);
        assert.ok(fake.requests.every((r) => r.status === 200), 'both calls had their headers before stalling');
      });

      it('fails with TIMEOUT when the provider stalls after part of the text, keeping no success', async () => {
        fake.script(...twice({ kind: 'stall', text: TEXT, afterDeltas: 2 }));
        const done = await runToEnd(model);
        assert.equal(done.status, 'failed', JSON.stringify(done));
        assert.equal(done.error?.code, 'TIMEOUT');
        assert.equal(done.attempts, 2);
      });

      it('retries a connection dropped mid-stream and fails with CONNECTION_LOST when attempts run out', async () => {
        fake.script(...twice({ kind: 'disconnect', text: TEXT, afterDeltas: 2 }));
        const done = await runToEnd(model);
        assert.equal(done.status, 'failed', JSON.stringify(done));
        assert.equal(done.error?.code, 'CONNECTION_LOST');
        assert.match(done.error?.message ?? '', /lost|ended/i);
        assert.equal(done.attempts, 2);
      });

      it('treats a stream that ends cleanly before the model finished as a lost connection, retried', async () => {
        fake.script({ kind: 'end-early', text: TEXT, afterDeltas: 3 }, { kind: 'success', text: 'whole answer' });
        const recovered = await runToEnd(model);
        assert.equal(recovered.status, 'succeeded');
        assert.equal(recovered.output, 'whole answer');
        assert.equal(recovered.attempts, 2);

        fake.script(...twice({ kind: 'end-early', text: TEXT, afterDeltas: 3 }));
        const done = await runToEnd(model);
        assert.equal(done.status, 'failed', JSON.stringify(done));
        assert.equal(done.error?.code, 'CONNECTION_LOST');
      });

      // PostgreSQL cannot keep a NUL in text or jsonb, nor half a surrogate pair as such; a model's
      // JSON can escape either. The result's write once failed on them and left the run running.
      it('keeps an output or a provider error holding a NUL or half a surrogate pair, each made U+FFFD', async () => {
        fake.script({ kind: 'success', text: 'nul\u0000here and half \ud83e of a pair' });
        const done = await runToEnd(model);
        assert.equal(done.status, 'succeeded', JSON.stringify(done));
        assert.equal(done.output, 'nul\ufffdhere and half \ufffd of a pair');
        assert.deepEqual(await api.ok('GET', `/api/test-runs/${done.id}`), done);

        fake.script({ kind: 'error', status: 400, message: 'bad\u0000request \udfff here' });
        const refused = await runToEnd(model);
        assert.equal(refused.status, 'failed', JSON.stringify(refused));
        assert.match(refused.error?.message ?? '', /bad\ufffdrequest \ufffd here/);
        assert.deepEqual(await api.ok('GET', `/api/test-runs/${refused.id}`), refused);
      });

      it('keeps the text of a stalled reply holding a NUL or half a surrogate pair, each made U+FFFD, while it runs and once canceled', async () => {
        await app.close();
        // A timeout far off: the run stays stalled until it is canceled.
        app = await startTestApp(database(), {}, { baseUrl: fake.url, timeoutMs: 10_000 });
        api = await app.signedIn();
        fake.script({ kind: 'stall', text: 'nul\u0000here and half \ud83e of a pair', afterDeltas: 4 });
        const queued = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model });
        const partial = 'nul\ufffdhere and half \ufffd ';
        const read = () => api.ok<TestRun>('GET', `/api/test-runs/${queued.id}`);
        let running = await read();
        for (let i = 0; i < 200 && running.output !== partial; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          running = await read();
        }
        assert.equal(running.status, 'running', JSON.stringify(running));
        assert.equal(running.output, partial, 'the progress save took the text the provider sent so far');

        assert.equal((await api.ok<TestRun>('POST', `/api/test-runs/${queued.id}/cancel`)).status, 'canceled');
        let canceled = await read();
        for (let i = 0; i < 100 && app.runs.streams.isLive(queued.id); i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          canceled = await read();
        }
        assert.equal(canceled.status, 'canceled');
        assert.equal(canceled.output, partial, 'the cancel keeps what was received');
      });

      // A follower is shown what the run will keep: the same U+FFFD for a NUL or a lone half, and a
      // pair cut across two deltas whole, not two U+FFFD (a progress save waits for its second half).
      it('streams and saves the same text: no NUL or half pair in a delta or a save, a pair cut across two deltas kept whole', async () => {
        const chunks = ['nul\u0000here ', 'a pair \ud83e', '\udd16 whole, ', 'half \ud83e', ' alone, and last \ud83e'];
        fake.script({ kind: 'stall', chunks, afterDeltas: 2 });
        const queued = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model });
        const events: SseEvent[] = [];
        const streamed = (async () => {
          for await (const event of readEvents(`${app.url}/api/test-runs/${queued.id}/events`, api.cookie)) events.push(event);
        })();
        const read = () => api.ok<TestRun>('GET', `/api/test-runs/${queued.id}`);
        // Until a save has both deltas sent before the stall (one may come between the two).
        let running = await read();
        for (let i = 0; i < 200 && !running.output?.startsWith('nul\ufffdhere a pair'); i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          running = await read();
        }
        assert.equal(running.status, 'running', JSON.stringify(running));
        assert.equal(running.output, 'nul\ufffdhere a pair ', 'the save leaves out a first half whose second may follow');

        fake.release();
        await streamed;
        const done = events.at(-1);
        assert.ok(done?.event === 'done', JSON.stringify(events));
        const run = done.data as TestRun;
        assert.equal(run.status, 'succeeded', JSON.stringify(run));
        assert.equal(run.output, 'nul\ufffdhere a pair \ud83e\udd16 whole, half \ufffd alone, and last \ufffd');
        const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text);
        for (const text of deltas) assert.doesNotMatch(text, /[\u0000\uD800-\uDFFF]/u, `delta ${JSON.stringify(text)}`);
        assert.equal(deltas.join(''), run.output, 'the deltas join to the saved output');
      });

      it('fails with MALFORMED_STREAM when a frame is not JSON', async () => {
        fake.script(...twice({ kind: 'malformed', text: TEXT, afterDeltas: 1 }));
        const done = await runToEnd(model);
        assert.equal(done.status, 'failed', JSON.stringify(done));
        assert.equal(done.error?.code, 'MALFORMED_STREAM');
        assert.equal(done.attempts, 2);
      });

      it('fails a reply cut at the output limit with INCOMPLETE, keeping its output, usage and cost, without retrying', async () => {
        fake.script({ kind: 'success', text: TEXT, finishReason: 'length', usage: { inputTokens: 10, outputTokens: 8 } });
        const done = await runToEnd(model);
        assert.equal(done.status, 'failed', JSON.stringify(done));
        assert.equal(done.error?.code, 'INCOMPLETE');
        assert.match(done.error?.message ?? '', /max_output_tokens|output limit/);
        assert.equal(done.output, TEXT);
        assert.equal(done.usage?.outputTokens, 8);
        assert.equal(done.attempts, 1);
        if (model === 'gpt-5.4') assert.ok(done.costUsd && done.costUsd > 0, 'the tokens were paid for');

        fake.script({ kind: 'success', text: TEXT, finishReason: 'content_filter' });
        const filtered = await runToEnd(model);
        assert.equal(filtered.error?.code, 'INCOMPLETE');
        assert.match(filtered.error?.message ?? '', /content_filter/);
      });
    });
  }

  // A result the database refuses (here a trigger; in life a constraint or a broken table) must
  // not leave the run `running`, nor a waiting request with a run that never ends.
  it('fails a run whose result the database refuses with RESULT_NOT_SAVED, and answers 503 when even that is refused', async () => {
    const exec = (statement: string) => database().handle.db.execute(sql.raw(statement));
    await exec(`create function refuse_run_status() returns trigger language plpgsql as $$
      begin raise exception 'refused by this test'; end $$`);
    try {
      await exec(`create trigger refuse_run_status before update on test_runs for each row when (new.status = 'succeeded') execute function refuse_run_status()`);
      fake.script({ kind: 'success', text: 'an answer the database will not take' });
      const refused = await runToEnd('gpt-5.4');
      assert.equal(refused.status, 'failed', JSON.stringify(refused));
      assert.equal(refused.error?.code, 'RESULT_NOT_SAVED');
      assert.match(refused.error?.message ?? '', /Run it again/);
      assert.equal(refused.output, null);
      assert.deepEqual(await api.ok('GET', `/api/test-runs/${refused.id}`), refused);

      await exec(`drop trigger refuse_run_status on test_runs`);
      await exec(`create trigger refuse_run_status before update on test_runs for each row when (new.status <> 'running') execute function refuse_run_status()`);
      fake.script({ kind: 'success', text: 'nothing about this run can be written' });
      const res = await api.post<TestRun>('/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-5.4' });
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.error?.code, 'UNAVAILABLE');
      assert.match(res.body.error?.message ?? '', /could not be saved.*Run it again/);

      // Such a run is not left `running`: its failure is written as soon as the database takes it,
      // and an event stream following it meanwhile waits for that end instead of ending on a run
      // still running.
      const [unsaved] = (await api.ok<ListPage<TestRun>>('GET', '/api/test-runs?limit=1')).items;
      assert.ok(unsaved);
      assert.equal(unsaved.status, 'running', 'not ended yet: the database refuses every end');
      const events: SseEvent[] = [];
      const following = (async () => {
        for await (const event of readEvents(`${app.url}/api/test-runs/${unsaved.id}/events`, api.cookie)) {
          events.push(event);
          if (event.event === 'done') return;
        }
      })();
      // Several retries (the queue looks every 100 ms here) while the database still refuses.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(events.length, 0, 'no end is announced while the run is still running');
      await exec('drop trigger refuse_run_status on test_runs');
      await following;
      assert.equal(events.at(-1)?.event, 'done');
      const ended = events.at(-1)?.data as TestRun;
      assert.equal(ended.status, 'failed', JSON.stringify(ended));
      assert.equal(ended.error?.code, 'RESULT_NOT_SAVED');
      assert.deepEqual(await api.ok('GET', `/api/test-runs/${unsaved.id}`), ended);
    } finally {
      await exec('drop trigger if exists refuse_run_status on test_runs');
      await exec('drop function refuse_run_status()');
    }
  });

  it('keeps the whole output of a run canceled (elsewhere) just as the provider completes it', async () => {
    await app.close();
    // No progress saves: the row holds only what the worker writes at the end.
    app = await startTestApp(database(), {}, { baseUrl: fake.url, timeoutMs: 10_000, progressFlushMs: 600_000 });
    api = await app.signedIn();
    const words = TEXT.split(' ').length;
    fake.script({ kind: 'stall', text: TEXT, afterDeltas: words });
    const queued = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    await fake.waitFor((requests) => requests.length === 1);
    // Every delta is out; the completion is held back. Another process cancels the run now.
    for (let i = 0; i < 100 && app.runs.streams.textOf(queued.id) !== TEXT; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await cancelRun(database().handle.db, queued.id))?.status, 'canceled');
    fake.release();
    await fake.waitFor((requests) => requests[0]?.endedAt !== undefined);
    let final = await api.ok<TestRun>('GET', `/api/test-runs/${queued.id}`);
    for (let i = 0; i < 100 && final.output !== TEXT; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      final = await api.ok<TestRun>('GET', `/api/test-runs/${queued.id}`);
    }
    assert.equal(final.status, 'canceled', 'the cancel stands');
    assert.equal(final.output, TEXT, 'with everything that was received');
  });
});
