// Drives the fake with the real `openai` SDK: if these pass, code using the SDK against the
// fake exercises the same parsing, streaming helpers, retries and error classes as in production.

import { strict as assert } from 'node:assert';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { DEFAULT_MODELS, startFakeOpenAI, type FakeOpenAI } from './server.ts';

const API_KEY = 'sk-fake-test-key-1234';

describe('fake OpenAI server', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeEach(async () => {
    fake = await startFakeOpenAI({ apiKey: API_KEY });
    client = new OpenAI({ apiKey: API_KEY, baseURL: fake.url, maxRetries: 0 });
  });

  afterEach(() => fake.close());

  describe('Responses API', () => {
    it('answers create() with an echo of the last user text, output_text and usage', async () => {
      const response = await client.responses.create({ model: 'gpt-4.1', instructions: 'Be brief.', input: 'Say hi' });

      assert.equal(response.output_text, 'Echo: Say hi');
      assert.equal(response.status, 'completed');
      assert.equal(response.model, 'gpt-4.1');
      assert.match(response.id, /^resp_/);
      assert.deepEqual(response.usage, {
        input_tokens: 4, // "Be brief.\nSay hi" = 16 chars, ~4 per token
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: 3, // "Echo: Say hi" = 12 chars
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 7,
      });

      const [recorded] = fake.requests;
      assert.equal(recorded?.method, 'POST');
      assert.equal(recorded?.path, '/v1/responses');
      assert.equal(recorded?.headers['authorization'], `Bearer ${API_KEY}`);
      assert.equal(recorded?.body?.['input'], 'Say hi');
      assert.equal(recorded?.status, 200);
      assert.equal(recorded?.aborted, false);
    });

    it('uses scripted text and usage, and echoes the last user message of an item list', async () => {
      fake.script({ kind: 'success', text: 'Scripted answer', usage: { inputTokens: 100, cachedTokens: 40, reasoningTokens: 7 } });
      const scripted = await client.responses.create({ model: 'gpt-4.1', input: 'ignored' });
      assert.equal(scripted.output_text, 'Scripted answer');
      assert.deepEqual(scripted.usage, {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 40, cache_write_tokens: 0 },
        output_tokens: 4 + 7, // text tokens + reasoning tokens
        output_tokens_details: { reasoning_tokens: 7 },
        total_tokens: 111,
      });

      const echoed = await client.responses.create({
        model: 'gpt-4.1',
        input: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'reply' },
          { role: 'user', content: [{ type: 'input_text', text: 'second' }] },
        ],
      });
      assert.equal(echoed.output_text, 'Echo: second');
    });

    it('streams through responses.stream() with the full event sequence and ordered deltas', async () => {
      const stream = client.responses.stream({ model: 'gpt-4.1', input: 'stream these words please' });
      const types: string[] = [];
      const sequenceNumbers: number[] = [];
      const deltas: string[] = [];
      stream.on('event', (event) => {
        types.push(event.type);
        sequenceNumbers.push(event.sequence_number);
      });
      stream.on('response.output_text.delta', (event) => {
        assert.equal(event.snapshot, deltas.join('') + event.delta, 'snapshot grows delta by delta');
        deltas.push(event.delta);
      });
      const final = await stream.finalResponse();

      assert.equal(final.output_text, 'Echo: stream these words please');
      assert.ok(deltas.length > 1, 'text arrives in several deltas');
      assert.equal(deltas.join(''), final.output_text);
      assert.deepEqual(types, [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        ...deltas.map(() => 'response.output_text.delta'),
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      assert.deepEqual(sequenceNumbers, types.map((_, index) => index));
      assert.equal(final.usage?.total_tokens, final.usage!.input_tokens + final.usage!.output_tokens);
      assert.equal(fake.requests[0]?.stream, true);
    });

    it('streams through create({stream: true}) with item ids and indexes on every delta', async () => {
      const stream = await client.responses.create({ model: 'gpt-4.1', input: 'raw stream', stream: true });
      let text = '';
      let completedText: string | undefined;
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') {
          assert.match(event.item_id, /^msg_/);
          assert.equal(event.output_index, 0);
          assert.equal(event.content_index, 0);
          text += event.delta;
        }
        if (event.type === 'response.completed') {
          const message = event.response.output[0];
          completedText = message?.type === 'message' && message.content[0]?.type === 'output_text' ? message.content[0].text : undefined;
          assert.ok(event.response.usage);
        }
      }
      assert.equal(text, 'Echo: raw stream');
      assert.equal(completedText, text);
    });

    it('puts a reasoning item before the message for reasoning models', async () => {
      const response = await client.responses.create({ model: 'gpt-5', input: 'think' });
      assert.deepEqual(response.output.map((item) => item.type), ['reasoning', 'message']);
      assert.equal(response.output_text, 'Echo: think');

      const streamed = await client.responses.stream({ model: 'o4-mini', input: 'think' }).finalResponse();
      assert.deepEqual(streamed.output.map((item) => item.type), ['reasoning', 'message']);
      assert.equal(streamed.output_text, 'Echo: think');
    });

    it('reports a scripted mid-stream failure as response.failed', async () => {
      fake.script({ kind: 'stream-failure', afterDeltas: 1, code: 'server_error', message: 'boom' });
      const stream = client.responses.stream({ model: 'gpt-4.1', input: 'a b c d' });
      const deltas: string[] = [];
      stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
      const final = await stream.finalResponse();
      assert.equal(final.status, 'failed');
      assert.deepEqual(final.error, { code: 'server_error', message: 'boom' });
      assert.deepEqual(deltas, ['Echo: ']);
    });

    it('raises an APIError for a scripted mid-stream error event', async () => {
      fake.script({ kind: 'stream-failure', event: 'error', afterDeltas: 2, type: 'requests', code: 'rate_limit_exceeded', message: 'slow down' });
      const stream = client.responses.stream({ model: 'gpt-4.1', input: 'a b c d' });
      await assert.rejects(stream.finalResponse(), (error: unknown) => {
        assert.ok(error instanceof APIError);
        assert.equal(error.code, 'rate_limit_exceeded');
        assert.equal(error.message, 'slow down');
        return true;
      });
    });
  });

  describe('Chat Completions API', () => {
    it('answers create() with a chat.completion and usage', async () => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'Hello there' },
        ],
      });
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.choices[0]?.message.content, 'Echo: Hello there');
      assert.equal(completion.choices[0]?.message.role, 'assistant');
      assert.equal(completion.choices[0]?.finish_reason, 'stop');
      assert.equal(completion.usage?.prompt_tokens, 4); // "sys\nHello there" = 15 chars
      assert.equal(completion.usage?.completion_tokens, 5); // "Echo: Hello there" = 17 chars
      assert.equal(completion.usage?.total_tokens, 9);
      assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 0);
      assert.equal(completion.usage?.completion_tokens_details?.reasoning_tokens, 0);
    });

    it('streams through chat.completions.stream() with ordered deltas and final usage', async () => {
      fake.script({ kind: 'success', text: 'one two three four', usage: { cachedTokens: 2, reasoningTokens: 3 } });
      const stream = client.chat.completions.stream({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'count' }],
        stream_options: { include_usage: true },
      });
      const deltas: string[] = [];
      stream.on('content', (delta) => deltas.push(delta));
      const final = await stream.finalChatCompletion();

      assert.deepEqual(deltas, ['one ', 'two ', 'three ', 'four']);
      assert.equal(final.choices[0]?.message.content, 'one two three four');
      assert.equal(final.choices[0]?.finish_reason, 'stop');
      assert.deepEqual(final.usage, {
        prompt_tokens: 2,
        completion_tokens: 5 + 3,
        total_tokens: 10,
        prompt_tokens_details: { cached_tokens: 2, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 3, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      });
    });

    it('streams the deltas a test gives, cut where words would not be, even inside a surrogate pair', async () => {
      const chunks = ['a pair \ud83e', '\udd16 and a nul\u0000', ' here'];
      fake.script({ kind: 'success', chunks });
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'cut' }], stream: true });
      const deltas: string[] = [];
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
      assert.deepEqual(deltas, chunks);
    });

    it('streams through create({stream: true}) ending with a usage-only chunk', async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'raw chunks' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);

      const last = chunks.at(-1);
      assert.deepEqual(last?.choices, []);
      assert.equal(last?.usage?.total_tokens, (last?.usage?.prompt_tokens ?? 0) + (last?.usage?.completion_tokens ?? 0));
      assert.ok(chunks.slice(0, -1).every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.usage === null));
      const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
      assert.equal(text, 'Echo: raw chunks');
      assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
    });

    it('raises an APIError for a scripted mid-stream error frame', async () => {
      fake.script({ kind: 'stream-failure', afterDeltas: 1, message: 'upstream fell over' });
      const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x y z' }] });
      await assert.rejects(stream.finalChatCompletion(), (error: unknown) => {
        assert.ok(error instanceof APIError);
        assert.equal(error.message, 'upstream fell over');
        assert.equal(error.code, 'server_error');
        return true;
      });
    });
  });

  describe('errors and retries', () => {
    it('surfaces a scripted error as the SDK APIError with status, type, code, message and headers', async () => {
      fake.script({ kind: 'error', status: 429, code: 'rate_limit_exceeded', message: 'Too many requests', retryAfterSeconds: 3 });
      await assert.rejects(client.responses.create({ model: 'gpt-4.1', input: 'x' }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.RateLimitError);
        assert.equal(error.status, 429);
        assert.equal(error.type, 'requests');
        assert.equal(error.code, 'rate_limit_exceeded');
        assert.equal(error.message, '429 Too many requests');
        assert.deepEqual(error.error, { message: 'Too many requests', type: 'requests', param: null, code: 'rate_limit_exceeded' });
        assert.equal(error.headers?.get('retry-after'), '3');
        return true;
      });
      assert.deepEqual(fake.pendingSteps, []);
    });

    it('lets the SDK honour Retry-After and retry once (maxRetries: 1)', async () => {
      const retrying = new OpenAI({ apiKey: API_KEY, baseURL: fake.url, maxRetries: 1 });
      fake.script({ kind: 'error', status: 503, retryAfterSeconds: 1 });
      const response = await retrying.responses.create({ model: 'gpt-4.1', input: 'retry me' });

      assert.equal(response.output_text, 'Echo: retry me');
      assert.equal(fake.requests.length, 2);
      assert.deepEqual(fake.requests.map((request) => request.status), [503, 200]);
      // The SDK's own backoff for a first retry is at most 500 ms, so a >= 1 s gap proves it read the header.
      const gap = fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt;
      assert.ok(gap >= 950, `retried after ${gap} ms`);
    });

    it('sends retry-after-ms, which the SDK prefers', async () => {
      const retrying = new OpenAI({ apiKey: API_KEY, baseURL: fake.url, maxRetries: 1 });
      fake.script({ kind: 'error', status: 500, retryAfterMs: 20, retryAfterSeconds: 30 });
      await retrying.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
      const gap = fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt;
      assert.ok(gap < 300, `retried after ${gap} ms`);
    });

    it('rejects a wrong API key with 401 invalid_api_key without echoing the key', async () => {
      const wrong = new OpenAI({ apiKey: 'sk-wrong-key-999', baseURL: fake.url, maxRetries: 0 });
      await assert.rejects(wrong.responses.create({ model: 'gpt-4.1', input: 'x' }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError);
        assert.equal(error.status, 401);
        assert.equal(error.code, 'invalid_api_key');
        assert.ok(!error.message.includes('sk-wrong-key-999'));
        return true;
      });
      const missing = await fetch(`${fake.url}/models`);
      assert.equal(missing.status, 401);
      assert.deepEqual(((await missing.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    });

    it('rejects temperature/top_p for reasoning models on both APIs without consuming a step', async () => {
      fake.script({ kind: 'success', text: 'kept for later' });
      await assert.rejects(client.responses.create({ model: 'gpt-5-mini', input: 'x', temperature: 0.2 }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.code, 'unsupported_parameter');
        assert.equal(error.param, 'temperature');
        assert.equal(error.message, "400 Unsupported parameter: 'temperature' is not supported with this model.");
        return true;
      });
      await assert.rejects(client.chat.completions.create({ model: 'o3', messages: [{ role: 'user', content: 'x' }], top_p: 0.5 }), {
        status: 400,
        code: 'unsupported_parameter',
        param: 'top_p',
      });
      assert.equal(fake.pendingSteps.length, 1);
      const ok = await client.responses.create({ model: 'gpt-4.1', input: 'x', temperature: 0.2 });
      assert.equal(ok.output_text, 'kept for later');
    });

    it('rejects codex models on Chat Completions like OpenAI (404) but serves them on Responses', async () => {
      await assert.rejects(client.chat.completions.create({ model: 'gpt-5-codex', messages: [{ role: 'user', content: 'x' }] }), {
        status: 404,
        param: 'model',
        message: '404 This model is only supported in v1/responses and not in v1/chat/completions.',
      });
      const response = await client.responses.create({ model: 'gpt-5-codex', input: 'x' });
      assert.equal(response.output_text, 'Echo: x');
    });

    it('applies a model-matched step only to that model', async () => {
      fake.script({ kind: 'error', status: 500, model: 'gpt-4o' });
      const other = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(other.choices[0]?.message.content, 'Echo: x');
      await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }), { status: 500 });
    });

    it('lists the known models', async () => {
      const ids: string[] = [];
      for await (const model of client.models.list()) ids.push(model.id);
      assert.deepEqual(ids, [...DEFAULT_MODELS]);
      assert.equal((await client.models.retrieve('gpt-4o')).id, 'gpt-4o');
      await assert.rejects(client.models.retrieve('gpt-unknown'), { status: 404 });
    });

    it('reset() forgets queued steps and recorded requests', async () => {
      fake.script({ kind: 'error', status: 500 });
      await client.models.list();
      fake.reset();
      assert.deepEqual(fake.pendingSteps, []);
      assert.deepEqual(fake.requests, []);
      const response = await client.responses.create({ model: 'gpt-4.1', input: 'x' });
      assert.equal(response.id, 'resp_fake_1');
    });
  });

  describe('timing', () => {
    it('waits latencyMs before answering and tokenDelayMs before each delta', async () => {
      const slow = await startFakeOpenAI({ latencyMs: 60, tokenDelayMs: 20 });
      try {
        const slowClient = new OpenAI({ apiKey: 'anything', baseURL: slow.url, maxRetries: 0 });
        const started = Date.now();
        const arrivals: number[] = [];
        const stream = slowClient.responses.stream({ model: 'gpt-4.1', input: 'one two three' });
        stream.on('response.output_text.delta', () => arrivals.push(Date.now() - started));
        await stream.finalResponse();
        assert.equal(arrivals.length, 4); // "Echo: ", "one ", "two ", "three"
        assert.ok(arrivals[0]! >= 60 + 20 - 5, `first delta after ${arrivals[0]} ms`);
        assert.ok(arrivals[3]! - arrivals[0]! >= 3 * 20 - 5, `deltas spread over ${arrivals[3]! - arrivals[0]!} ms`);
      } finally {
        await slow.close();
      }
    });
  });

  describe('replies that stop short', () => {
    it('stalls after the headers until release(), then finishes the stream', async () => {
      fake.script({ kind: 'stall', api: 'responses' }, { kind: 'stall', api: 'chat', afterDeltas: 1 });
      const stream = await client.responses.create({ model: 'gpt-4.1', input: 'a b', stream: true });
      assert.equal(fake.requests[0]?.status, 200, 'the headers arrived before the stall');
      const chat = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'c d' }], stream: true });
      const types: string[] = [];
      const reading = (async () => {
        for await (const event of stream) types.push(event.type);
      })();
      const chatText: string[] = [];
      const chatReading = (async () => {
        for await (const chunk of chat) chatText.push(chunk.choices[0]?.delta?.content ?? '');
      })();
      await fake.waitFor((requests) => requests.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(types.includes('response.output_text.delta'), false, 'no delta before the release');
      fake.release();
      await Promise.all([reading, chatReading]);
      assert.equal(types.at(-1), 'response.completed');
      assert.equal(chatText.join(''), 'Echo: c d');
    });

    it('leaves a stalled stream to the client, who can only abort it', async () => {
      fake.script({ kind: 'stall', afterDeltas: 1 });
      const controller = new AbortController();
      const stream = await client.responses.create({ model: 'gpt-4.1', input: 'a b c', stream: true }, { signal: controller.signal });
      const deltas: string[] = [];
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') {
          deltas.push(event.delta);
          controller.abort();
        }
      }
      // The SDK ends an aborted stream without an error: the reader must notice on its own.
      assert.deepEqual(deltas, ['Echo: ']);
      await fake.waitFor((requests) => requests[0]?.aborted === true);
    });

    it('ends a stream cleanly but early, without the events that say the model finished', async () => {
      fake.script({ kind: 'end-early', afterDeltas: 2, api: 'responses' }, { kind: 'end-early', afterDeltas: 1, api: 'chat' });
      const types: string[] = [];
      for await (const event of await client.responses.create({ model: 'gpt-4.1', input: 'a b c d', stream: true })) types.push(event.type);
      assert.equal(types.filter((t) => t === 'response.output_text.delta').length, 2);
      assert.equal(types.some((t) => t === 'response.completed' || t === 'response.incomplete'), false);
      const reasons: unknown[] = [];
      for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'a b' }], stream: true })) {
        reasons.push(chunk.choices[0]?.finish_reason);
      }
      assert.deepEqual(reasons, [null, null], 'the opening chunk and one delta, no finish_reason');
      assert.deepEqual(fake.requests.map((r) => r.aborted), [false, false]);
    });

    it('sends a frame that is not JSON, which the SDK raises', async () => {
      fake.script({ kind: 'malformed', afterDeltas: 1 }, { kind: 'malformed', afterDeltas: 0, data: '{"said": oops}' });
      // The SDK logs the bad chunk itself; a test has no use for that noise.
      const quiet = new OpenAI({ apiKey: API_KEY, baseURL: fake.url, maxRetries: 0, logLevel: 'off' });
      const stream = await quiet.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'a b' }], stream: true });
      await assert.rejects(
        (async () => {
          for await (const _chunk of stream);
        })(),
        SyntaxError,
      );
      const second = await quiet.responses.create({ model: 'gpt-4.1', input: 'x', stream: true });
      await assert.rejects(
        (async () => {
          for await (const _event of second);
        })(),
        (error: unknown) => error instanceof SyntaxError && /oops/.test(error.message),
      );
    });

    it('reports a reply cut at the output limit: finish_reason length, response.incomplete', async () => {
      fake.script({ kind: 'success', finishReason: 'length', api: 'chat' }, { kind: 'success', finishReason: 'length', api: 'responses' });
      const reasons: unknown[] = [];
      for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true })) {
        reasons.push(chunk.choices[0]?.finish_reason);
      }
      assert.equal(reasons.at(-1), 'length');
      const final = await client.responses.stream({ model: 'gpt-4.1', input: 'x' }).finalResponse();
      assert.equal(final.status, 'incomplete');
      assert.deepEqual(final.incomplete_details, { reason: 'max_output_tokens' });
      assert.equal(final.output_text, 'Echo: x');
      fake.script({ kind: 'success', finishReason: 'content_filter' });
      const json = await client.responses.create({ model: 'gpt-4.1', input: 'y' });
      assert.deepEqual([json.status, json.incomplete_details?.reason], ['incomplete', 'content_filter']);
    });
  });

  describe('cancellation and broken connections', () => {
    it('records a hung request as aborted when the client aborts it', async () => {
      fake.script({ kind: 'hang' });
      const controller = new AbortController();
      const pending = client.responses.create({ model: 'gpt-4.1', input: 'x' }, { signal: controller.signal });
      await fake.waitFor((requests) => requests.length === 1);
      controller.abort();
      await assert.rejects(pending, APIUserAbortError);
      await fake.waitFor((requests) => requests[0]?.aborted === true);
      assert.equal(fake.requests[0]?.status, undefined);
    });

    it('lets the SDK timeout end a hung request, recorded as aborted', async () => {
      fake.script({ kind: 'hang' });
      await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { timeout: 100 }), APIConnectionTimeoutError);
      await fake.waitFor((requests) => requests[0]?.aborted === true);
    });

    it('records a stream aborted mid-way by the client', async () => {
      fake.script({ kind: 'success', text: 'many words that take a while to stream', tokenDelayMs: 30 });
      const stream = client.responses.stream({ model: 'gpt-4.1', input: 'x' });
      stream.once('response.output_text.delta', () => stream.abort());
      await assert.rejects(stream.finalResponse(), APIUserAbortError);
      await fake.waitFor((requests) => requests[0]?.aborted === true);
      assert.equal(fake.requests[0]?.status, 200);
    });

    it('breaks a stream after N deltas so the SDK raises a connection error', async () => {
      fake.script({ kind: 'disconnect', afterDeltas: 2 }, { kind: 'disconnect', afterDeltas: 1 });
      const deltas: string[] = [];
      const stream = client.responses.stream({ model: 'gpt-4.1', input: 'a b c d e' });
      stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
      await assert.rejects(stream.finalResponse(), OpenAIError);
      assert.deepEqual(deltas, ['Echo: ', 'a ']);

      const chat = client.chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'a b c' }] });
      await assert.rejects(chat.finalChatCompletion(), OpenAIError);
      assert.deepEqual(fake.requests.map((request) => request.aborted), [false, false], 'a server-side cut is not a client abort');
    });

    it('drops a non-streaming request as a connection error', async () => {
      fake.script({ kind: 'disconnect' });
      await assert.rejects(client.responses.create({ model: 'gpt-4.1', input: 'x' }), APIConnectionError);
    });

    it('close() resolves promptly with a hung request open', async () => {
      fake.script({ kind: 'hang' });
      const pending = client.responses.create({ model: 'gpt-4.1', input: 'x' });
      const outcome = pending.then(
        () => 'answered',
        (error: unknown) => (error instanceof APIConnectionError ? 'connection error' : String(error)),
      );
      await fake.waitFor((requests) => requests.length === 1);
      const started = Date.now();
      await fake.close();
      assert.ok(Date.now() - started < 500, 'close() did not wait for the hung request');
      assert.equal(await outcome, 'connection error');
    });
  });
});
