// The API key never leaves the service, not even in pieces: a provider (or a proxy in front of it)
// that echoes fragments of the key, in any case, in an error, a failure inside the stream or a
// frame that is not JSON, has every fragment of 8 or more characters scrubbed from the stored run,
// every answer and every log line.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI, type ScriptedStep } from '../../tools/fake-openai/server.ts';
import { testRuns } from '../db/schema.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const KEY = 'sk-proj-Q8vRt2LmZx9WkP4nBy7HsJ3dXc';
const FRAGMENTS = [KEY.slice(3, 15).toUpperCase(), KEY.slice(10, 18).toLowerCase(), KEY.slice(20), KEY.slice(8, 26), KEY.toLowerCase()];
const ECHO = `key fragments: ${FRAGMENTS.join(' | ')} (end)`;

/** Every 8-character window of the key, lower-cased: none may appear anywhere. */
const WINDOWS = Array.from({ length: KEY.length - 7 }, (_, i) => KEY.slice(i, i + 8).toLowerCase());
function assertNoFragment(text: string, where: string): void {
  const lower = text.toLowerCase();
  const found = WINDOWS.find((window) => lower.includes(window));
  assert.equal(found, undefined, `${where} holds a fragment of the key: ${text.slice(0, 400)}`);
}

describeEachDatabase('API key fragments', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let api: ApiClient;
  let prompt: PromptWithVersion;
  let logLines: string[];
  const consoleMethods = ['error', 'warn', 'info', 'log', 'debug'] as const;
  const originalConsole = consoleMethods.map((name) => console[name]);

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
  });
  after(() => fake?.close());
  beforeEach(async () => {
    fake.reset();
    logLines = [];
    // Whatever writes to the console directly (the SDK's default logger does) is a log line too.
    for (const name of consoleMethods) console[name] = (...args: unknown[]) => logLines.push(args.map(String).join(' '));
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    app = await startTestApp(database(), { logger: pino({ level: 'trace' }, sink) }, { apiKey: KEY, baseUrl: fake.url, maxAttempts: 1 });
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Leaky provider', content: 'Hello' });
  });
  afterEach(async () => {
    consoleMethods.forEach((name, i) => (console[name] = originalConsole[i] as (typeof console)[typeof name]));
    await app.close();
  });

  const cases: [string, ScriptedStep, string][] = [
    ['an HTTP error', { kind: 'error', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${ECHO}` }, 'gpt-5.4'],
    ['a failure inside a Responses stream', { kind: 'stream-failure', message: ECHO }, 'gpt-5.4'],
    ['an error frame inside a Chat Completions stream', { kind: 'stream-failure', message: ECHO }, 'local-model'],
    // JSON.parse quotes the start of what it could not read, and the SDK logs the whole frame.
    ['a frame that is not JSON', { kind: 'malformed', afterDeltas: 0, data: `${KEY.slice(8, 26)} ${ECHO}` }, 'local-model'],
  ];
  for (const [what, step, model] of cases) {
    it(`scrubs every 8-character fragment of the key echoed in ${what}`, async () => {
      fake.script(step);
      const res = await api.post<TestRun>('/api/test-runs?wait=true', { promptId: prompt.id, model });
      assert.equal(res.status, 200, res.text);
      const done = res.body.data as TestRun;
      assert.equal(done.status, 'failed');
      assert.match(done.error?.message ?? '', /\[redacted/, 'the message still says something was there');
      assertNoFragment(res.text, 'the answer');
      assertNoFragment((await api.get(`/api/test-runs/${done.id}`)).text, 'GET of the run');
      assertNoFragment((await api.get('/api/test-runs')).text, 'the run list');
      const rows = await database().handle.db.select().from(testRuns);
      assertNoFragment(JSON.stringify(rows), 'the stored run');
      assert.ok(logLines.length > 0);
      for (const line of logLines) assertNoFragment(line, 'a log line');
    });
  }
});
