// The run machinery's pure parts: failure classification, backoff, usage, cost, the model table.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APIConnectionError, APIError } from 'openai';
import { backoffMs, classifyFailure, redactSecrets } from '../runs/call-failure.ts';
import { BUILT_IN_MODELS, createModelCatalog } from '../runs/model-catalog.ts';
import { MalformedStream, StreamCutOff, StreamFailure } from '../runs/model-call.ts';
import { costOf, usageFromChat, usageFromResponses } from '../runs/usage-cost.ts';
import { Remembered, REMEMBERED, REMEMBERED_CHARS } from '../runs/run-statements.ts';

const apiError = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error: body }, undefined, new Headers(headers));

describe('run logic', () => {
  describe('prompts remembered for runs', () => {
    it('forgets the least recently used beyond a count, and beyond a total size of content', () => {
      const byCount = new Remembered<number>();
      for (let i = 0; i < REMEMBERED + 10; i++) {
        byCount.set(`p${i}`, i);
        if (i === REMEMBERED) assert.equal(byCount.get('p1'), 1, 'read, so kept'); // p0 goes, then p2 to p10
      }
      assert.equal(byCount.get('p0'), undefined);
      assert.equal(byCount.get('p1'), 1);
      assert.equal(byCount.get('p10'), undefined);
      assert.equal(byCount.get('p11'), 11);
      assert.equal(byCount.get(`p${REMEMBERED + 9}`), REMEMBERED + 9);

      const bySize = new Remembered<string>((text) => text.length);
      const big = 'x'.repeat(200_000); // the largest content a version may have
      const fit = REMEMBERED_CHARS / big.length;
      for (let i = 0; i < fit + 3; i++) bySize.set(`v${i}`, big);
      assert.equal(bySize.get('v2'), undefined, 'the oldest went to keep the total size');
      assert.equal(bySize.get('v3'), big);
      bySize.delete('v3');
      bySize.set('small', 'y');
      assert.equal(bySize.get('v4'), big, 'deleting one made room: nothing else went');
    });
  });

  describe('failure classification', () => {
    it('retries rate limits, 5xx and connection errors; not 4xx or exhausted quota', () => {
      const retry = (e: unknown) => classifyFailure(e, undefined, undefined, 1000).retryable;
      assert.equal(retry(apiError(429, { code: 'rate_limit_exceeded', message: 'slow down' })), true);
      assert.equal(retry(apiError(500, { message: 'oops' })), true);
      assert.equal(retry(apiError(503, { message: 'overloaded' })), true);
      assert.equal(retry(new APIConnectionError({ message: 'Connection error.' })), true);
      assert.equal(retry(new StreamFailure('server_error', 'failed mid-stream')), true);
      for (const status of [400, 401, 403, 404]) assert.equal(retry(apiError(status, { message: 'no' })), false, String(status));
      assert.equal(retry(apiError(429, { code: 'insufficient_quota', type: 'insufficient_quota', message: 'pay up' })), false);
    });

    it("keeps the provider's status, code and message, and reads Retry-After", () => {
      const failure = classifyFailure(apiError(429, { code: 'rate_limit_exceeded', message: 'Rate limit reached' }, { 'retry-after': '7' }), undefined, undefined, 1000);
      assert.deepEqual(failure.error, { code: 'rate_limit_exceeded', message: 'Rate limit reached', status: 429 });
      assert.equal(failure.retryAfterMs, 7000);
      const ms = classifyFailure(apiError(429, { message: 'x' }, { 'retry-after-ms': '250', 'retry-after': '9' }), undefined, undefined, 1000);
      assert.equal(ms.retryAfterMs, 250);
    });

    it('names our own aborts: cancel is final, a timeout is retried', () => {
      assert.deepEqual(classifyFailure(new Error('aborted'), 'canceled', undefined, 1000).error.code, 'CANCELED');
      assert.equal(classifyFailure(new Error('aborted'), 'canceled', undefined, 1000).retryable, false);
      const timeout = classifyFailure(new Error('aborted'), 'timeout', undefined, 30_000);
      assert.equal(timeout.error.code, 'TIMEOUT');
      assert.match(timeout.error.message, /30 s/);
      assert.equal(timeout.retryable, true);
    });

    it('scrubs the API key and anything shaped like a key from messages', () => {
      const key = 'sk-proj-abcdefghijklmnop';
      assert.equal(redactSecrets(`bad key ${key}!`, key), 'bad key [redacted]!');
      assert.equal(redactSecrets('Incorrect API key provided: sk-abc***********wxyz.', undefined), 'Incorrect API key provided: [redacted key].');
      const failure = classifyFailure(apiError(401, { message: `Incorrect API key provided: ${key}` }), undefined, key, 1000);
      assert.ok(!failure.error.message.includes(key));
    });

    it('scrubs every piece of the key of 8 or more characters, in any case, and keeps shorter ones', () => {
      const key = 'Zq7xK2mNp9LwR4tYv8BsD3';
      const pieces = [key.slice(0, 8), key.slice(5, 14), key.slice(10).toLowerCase(), key.slice(3, 11).toUpperCase(), key];
      const text = `provider said: ${pieces.join(' / ')} and ${key.slice(0, 7)}.`;
      const clean = redactSecrets(text, key);
      for (let start = 0; start + 8 <= key.length; start++) {
        assert.ok(!clean.toLowerCase().includes(key.slice(start, start + 8).toLowerCase()), `fragment at ${start} left in: ${clean}`);
      }
      assert.equal(clean, `provider said: [redacted] / [redacted] / [redacted] / [redacted] / [redacted] and ${key.slice(0, 7)}.`);
      assert.equal(redactSecrets(`${key.slice(0, 12)}${key.slice(6, 20)}`, key), '[redacted]', 'overlapping pieces become one');
      assert.equal(redactSecrets('nothing of it here', key), 'nothing of it here');
    });

    it('names a stream cut short and a malformed stream, both retried, and a shutdown, not retried', () => {
      const cut = classifyFailure(new StreamCutOff('The connection to the model provider was lost before the model finished (terminated).'), undefined, undefined, 1000);
      assert.deepEqual([cut.error.code, cut.retryable], ['CONNECTION_LOST', true]);
      const malformed = classifyFailure(new MalformedStream('not JSON'), undefined, undefined, 1000);
      assert.deepEqual([malformed.error.code, malformed.retryable], ['MALFORMED_STREAM', true]);
      const stopped = classifyFailure(new Error('aborted'), 'shutdown', undefined, 1000);
      assert.deepEqual([stopped.error.code, stopped.retryable], ['INTERRUPTED', false]);
    });
  });

  describe('backoff', () => {
    it('grows exponentially with jitter, stays under the cap, and honours a longer Retry-After', () => {
      const policy = { baseMs: 100, maxMs: 1000 };
      assert.equal(backoffMs(1, policy, undefined, () => 0), 50);
      assert.equal(backoffMs(1, policy, undefined, () => 1), 100);
      assert.equal(backoffMs(3, policy, undefined, () => 1), 400);
      assert.equal(backoffMs(10, policy, undefined, () => 1), 1000);
      assert.equal(backoffMs(1, policy, 5000, () => 1), 5000);
      assert.equal(backoffMs(3, policy, 10, () => 1), 400);
    });
  });

  describe('usage and cost', () => {
    it('normalizes both APIs into one shape', () => {
      const responses = usageFromResponses({
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 40 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 10 },
        total_tokens: 130,
      });
      const chat = usageFromChat({
        prompt_tokens: 100,
        prompt_tokens_details: { cached_tokens: 40 },
        completion_tokens: 30,
        completion_tokens_details: { reasoning_tokens: 10 },
        total_tokens: 130,
      });
      assert.deepEqual(responses, { inputTokens: 100, cachedInputTokens: 40, outputTokens: 30, reasoningTokens: 10, totalTokens: 130 });
      assert.deepEqual(chat, responses);
      assert.deepEqual(usageFromChat({ prompt_tokens: 5, completion_tokens: 7 }), { inputTokens: 5, cachedInputTokens: 0, outputTokens: 7, reasoningTokens: 0, totalTokens: 12 });
    });

    it('prices cached input at its own rate and reasoning as output', () => {
      const model = { id: 'm', api: 'responses' as const, inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8, priceSource: null, priceDate: null };
      const usage = { inputTokens: 1_000_000, cachedInputTokens: 200_000, outputTokens: 500_000, reasoningTokens: 100_000, totalTokens: 1_500_000 };
      assert.equal(costOf(usage, model), 0.8 * 2 + 0.2 * 0.5 + 0.5 * 8);
      assert.equal(costOf(usage, undefined), null);
      assert.equal(costOf(null, model), null);
      assert.equal(costOf(usage, { ...model, inputPerMTok: null }), null);
    });
  });

  describe('model table', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'promptrefine-models-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('ships priced OpenAI coding models, all on the Responses API', () => {
      const catalog = createModelCatalog({ defaultApi: 'responses' });
      assert.ok(catalog.list().length >= 5);
      assert.ok(catalog.list().every((m) => m.inputPerMTok !== null && m.priceSource && m.priceDate));
      assert.ok(catalog.find('gpt-5.3-codex'));
    });

    it('extends or replaces the table from a file, without a rebuild', () => {
      const file = join(dir, 'models.json');
      writeFileSync(file, JSON.stringify({ models: [{ id: 'qwen2.5-coder', api: 'chat' }, { id: 'gpt-5.4', api: 'responses', inputPerMTok: 1, cachedInputPerMTok: 0.1, outputPerMTok: 2 }] }));
      const extended = createModelCatalog({ file, defaultApi: 'chat' });
      assert.equal(extended.list().length, BUILT_IN_MODELS.length + 1);
      assert.equal(extended.find('gpt-5.4')?.inputPerMTok, 1);
      assert.equal(extended.find('qwen2.5-coder')?.inputPerMTok, null);
      writeFileSync(file, JSON.stringify({ mode: 'replace', models: [{ id: 'only-one', api: 'chat' }] }));
      assert.deepEqual(createModelCatalog({ file, defaultApi: 'chat' }).list().map((m) => m.id), ['only-one']);
    });

    it('refuses a broken models file with a message naming the problem', () => {
      const file = join(dir, 'models.json');
      writeFileSync(file, JSON.stringify({ models: [{ id: 'x', api: 'completions' }] }));
      assert.throws(() => createModelCatalog({ file, defaultApi: 'chat' }), /models.0.api/);
      writeFileSync(file, '{ not json');
      assert.throws(() => createModelCatalog({ file, defaultApi: 'chat' }), /cannot be read as JSON/);
    });

    it('routes unknown models to the default API, and codex models to Responses', () => {
      const catalog = createModelCatalog({ defaultApi: 'chat' });
      assert.equal(catalog.apiFor('llama3'), 'chat');
      assert.equal(catalog.apiFor('my-codex-finetune'), 'responses');
      assert.equal(catalog.apiFor('gpt-5.4'), 'responses');
    });
  });
});
