// What waits on a run lets go when nobody is waiting any more: `?wait=true` requests and event
// streams whose clients went away release their subscription and their poll, and event streams
// end when the session that opened them signs out.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import type { RunStreamStats } from '../runs/run-streams.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { readEvents } from '../testing/sse.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';

const KEY = TEST_RUN_SETTINGS.apiKey as string;

describeEachDatabase('run watchers', (database) => {
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
    app = await startTestApp(database(), {}, { baseUrl: fake.url, timeoutMs: 60_000 });
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Watched', content: 'Take your time' });
  });
  afterEach(() => app.close());

  /** Polls the counts until `done` holds, a bounded number of times. */
  async function statsReach(done: (stats: RunStreamStats) => boolean): Promise<RunStreamStats> {
    let now = app.runs.streams.stats();
    for (let i = 0; i < 200 && !done(now); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      now = app.runs.streams.stats();
    }
    return now;
  }
  async function statsBecome(expected: RunStreamStats, what: string): Promise<void> {
    assert.deepEqual(await statsReach((now) => JSON.stringify(now) === JSON.stringify(expected)), expected, what);
  }

  /** A run whose model call hangs until the test ends. */
  async function hangingRun(): Promise<TestRun> {
    fake.script({ kind: 'hang' });
    const run = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    await fake.waitFor((requests) => requests.length === 1);
    return run;
  }

  it('releases the subscriptions of 100 ?wait=true requests abandoned by their clients, which poll nothing', async () => {
    fake.script({ kind: 'hang' });
    const baseline = app.runs.streams.stats();
    const body = JSON.stringify({ promptId: prompt.id, model: 'gpt-5.4' });
    const headers = { cookie: api.cookie as string, 'content-type': 'application/json', 'idempotency-key': 'one-run-many-waiters' };
    const clients = Array.from({ length: 100 }, () => new AbortController());
    const requests = clients.map((client) =>
      fetch(`${app.url}/api/test-runs?wait=true`, { method: 'POST', headers, body, signal: client.signal }).then(
        () => 'answered',
        () => 'aborted',
      ),
    );
    // One run (the same key), executing here, with 100 waiters on it, and not one of them polls the
    // database: a run's end is announced (in this process, and to others on PostgreSQL).
    assert.equal(baseline.pollers, 0);
    await statsBecome({ channels: 1, listeners: baseline.listeners + 100, pollers: 0 }, 'every request waiting');
    for (const client of clients) client.abort();
    assert.deepEqual(new Set(await Promise.all(requests)), new Set(['aborted']));
    await statsBecome({ channels: 1, listeners: baseline.listeners, pollers: baseline.pollers }, 'all released while the run goes on');
    assert.equal(fake.requests.length, 1);
  });

  it('releases event streams whose clients went away, even before the stream began', async () => {
    const run = await hangingRun();
    const baseline = app.runs.streams.stats();
    const clients = Array.from({ length: 30 }, () => new AbortController());
    const streams = clients.map(async (client, index) => {
      // Every third client leaves at once, while the service is still looking the run up.
      if (index % 3 === 0) queueMicrotask(() => client.abort());
      try {
        for await (const _event of readEvents(`${app.url}/api/test-runs/${run.id}/events`, api.cookie, client.signal));
      } catch {
        // aborted
      }
    });
    // The 20 that stayed are open (an early leaver may or may not have got that far).
    const open = await statsReach((now) => now.listeners >= baseline.listeners + 20 && now.pollers >= baseline.pollers + 20);
    assert.ok(open.listeners >= baseline.listeners + 20, JSON.stringify(open));
    for (const client of clients) client.abort();
    await Promise.all(streams);
    await statsBecome(baseline, 'every stream released');
    assert.equal(app.app.sessionStreams.count(), 0, 'and unregistered from its session');
  });

  it("ends a run's event stream when its session signs out, leaving other sessions' streams open", async () => {
    const run = await hangingRun();
    const other = await app.signedIn();
    const cookie = api.cookie as string;
    const ended: string[] = [];
    const follow = (client: ApiClient, name: string) =>
      (async () => {
        for await (const _event of readEvents(`${app.url}/api/test-runs/${run.id}/events`, client.cookie));
        ended.push(name);
      })();
    const mine = follow(api, 'mine');
    const theirs = follow(other, 'theirs').catch(() => undefined);
    for (let i = 0; i < 200 && app.app.sessionStreams.count() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(app.app.sessionStreams.count(), 2);

    const signedOut = await api.post('/api/auth/signout');
    assert.equal(signedOut.status, 200);
    await mine; // the stream ends: the client sees its end
    assert.deepEqual(ended, ['mine']);
    assert.equal(app.app.sessionStreams.count(), 1, 'the other session keeps its stream');

    const again = await fetch(`${app.url}/api/test-runs/${run.id}/events`, { headers: { cookie } });
    assert.equal(again.status, 401);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    await other.post(`/api/test-runs/${run.id}/cancel`);
    await theirs;
  });

  it('does not buffer every delta for a client that stops reading, and catches it up when it reads again', async function () {
    this.timeout(120_000); // 2 MiB through the fake, the service and the database
    // 2 MiB in 4 KiB deltas: more than the socket buffers of a reader that stopped hold.
    const piece = (i: number) => `${String(i).padStart(6, '0')}${'x'.repeat(4090)} `;
    const text = Array.from({ length: 512 }, (_, i) => piece(i)).join('');
    fake.script({ kind: 'stall', text, afterDeltas: 0 });
    const run = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    await fake.waitFor((requests) => requests.length === 1);
    const { hostname: host, port } = new URL(app.url);
    const socket = net.connect(Number(port), host);
    socket.pause(); // a client that does not read
    socket.write(`GET /api/test-runs/${run.id}/events HTTP/1.1\r\nHost: ${host}:${port}\r\nCookie: ${api.cookie}\r\n\r\n`);
    const opened = await statsReach((now) => now.listeners === 1);
    assert.equal(opened.listeners, 1);
    fake.release();
    let finished = await api.ok<TestRun>('GET', `/api/test-runs/${run.id}`);
    for (let i = 0; i < 300 && finished.status !== 'succeeded'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      finished = await api.ok<TestRun>('GET', `/api/test-runs/${run.id}`);
    }
    assert.equal(finished.status, 'succeeded');

    // Now it reads: the text arrives whole, in far fewer events than the 512 deltas.
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.resume();
    await closed;
    const body = Buffer.concat(chunks).toString('utf8');
    const events = body.split('\n\n').filter((block) => block.includes('event: '));
    const deltas = events.filter((block) => block.includes('event: delta'));
    const received = deltas.map((block) => (JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { text: string }).text).join('');
    assert.equal(received.length, text.length);
    assert.ok(received === text, 'the text arrives whole and in order');
    assert.ok(events.at(-1)?.includes('event: done'));
    assert.ok(deltas.length < 512 / 2, `${deltas.length} delta events`);
  });
});
