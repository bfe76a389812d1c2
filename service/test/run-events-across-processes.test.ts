// Service processes on one PostgreSQL share runs through notifications, not by polling: a run
// executed by one is streamed, awaited and followed in a batch from another as it happens, and a
// run queued by one wakes an idle other at once.
import assert from 'node:assert/strict';
import pg from 'pg';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { openStream, type OpenStream } from './support/event-stream.ts';
import { startTestApp, TEST_RUN_SETTINGS, type TestApp } from '../testing/test-app.ts';
import type { RunSettings } from '../runs/run-service.ts';
import { RUN_EVENTS_CHANNEL } from '../runs/run-event-bus.ts';

describe('run events across service processes [PostgreSQL]', function () {
  this.timeout(60_000);
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let fake: FakeOpenAI;
  const handles: DatabaseHandle[] = [];
  const apps: TestApp[] = [];
  const streams: OpenStream[] = [];

  before(async () => {
    created = await createPostgresDatabase();
    fake = await startFakeOpenAI({ apiKey: TEST_RUN_SETTINGS.apiKey as string });
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    for (const app of apps.splice(0)) await app.close();
    for (const handle of handles.splice(0)) await handle.close();
    fake.reset();
  });
  after(async () => {
    await fake?.close();
    await created?.drop();
  });

  /** A process of its own: its own pool and LISTEN connection. Polling set to an hour, so only notifications can make things happen. */
  async function instance(settings: Partial<RunSettings> = {}): Promise<TestApp> {
    const handle = await openDatabase({ databaseUrl: created.url });
    handles.push(handle);
    await handle.migrate();
    const app = await startTestApp({ kind: 'postgres', handle, url: created.url, reset: async () => {} }, {}, { ...TEST_RUN_SETTINGS, baseUrl: fake.url, pollMs: 3_600_000, ...settings });
    apps.push(app);
    return app;
  }

  /** Processes A and B on the database, a signed-in client of each, and a prompt made through A. */
  async function twoProcesses(title: string, settings: Partial<RunSettings> = {}) {
    const a = await instance(settings);
    const b = await instance(settings);
    const onA = await a.signedIn();
    const onB = await b.signedIn();
    const prompt = await onA.ok<PromptWithVersion>('POST', '/api/prompts', { title, content: 'Go' });
    return { a, b, onA, onB, prompt };
  }

  it('streams a run executed by process A from process B, delta by delta, as it happens', async () => {
    const { a, b, onA, onB, prompt } = await twoProcesses('Shared');
    fake.script({ kind: 'success', text: 'one two three four five six', tokenDelayMs: 150 });
    const run = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    assert.ok(a.runs.streams.isLive(run.id), 'A executes the run');
    assert.ok(!b.runs.streams.isLive(run.id));
    const stream = await openStream(`${b.url}/api/test-runs/${run.id}/events`, onB.cookie);
    streams.push(stream);
    // The first delta reaches B while A's call is still streaming (the run is not finished yet).
    let text = '';
    let first = await stream.next();
    while (first.event !== 'delta') first = await stream.next();
    text += (first.data as { text: string }).text;
    const midway = await onB.ok<TestRun>('GET', `/api/test-runs/${run.id}`);
    assert.equal(midway.status, 'running', 'the first delta came before the run ended');
    assert.equal(b.runs.streams.stats().pollers, 0, 'B polls nothing');
    for (;;) {
      const event = await stream.next();
      if (event.event === 'delta') text += (event.data as { text: string }).text;
      if (event.event === 'done') {
        assert.equal((event.data as TestRun).status, 'succeeded');
        break;
      }
    }
    assert.equal(text, 'one two three four five six', 'every delta once, in order');
  });

  it('streams to B the text as A saves it: no NUL or half pair in a delta, a pair cut across two deltas whole', async () => {
    const { a, onA, onB, prompt, b } = await twoProcesses('Storable');
    fake.script({ kind: 'success', chunks: ['nul\u0000 ', 'pair \ud83e', '\udd16 and ', 'half \udfff end'], tokenDelayMs: 100 });
    const run = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    assert.ok(a.runs.streams.isLive(run.id) && !b.runs.streams.isLive(run.id), 'A executes the run');
    const stream = await openStream(`${b.url}/api/test-runs/${run.id}/events`, onB.cookie);
    streams.push(stream);
    const deltas: string[] = [];
    let event = await stream.next();
    for (; event.event !== 'done'; event = await stream.next()) if (event.event === 'delta') deltas.push((event.data as { text: string }).text);
    const saved = (event.data as TestRun).output;
    assert.equal(saved, 'nul\ufffd pair \ud83e\udd16 and half \ufffd end');
    for (const text of deltas) assert.doesNotMatch(text, /[\u0000\uD800-\uDFFF]/u, `delta ${JSON.stringify(text)}`);
    assert.equal(deltas.join(''), saved, 'B was shown what A saved');
  });

  it('ends B’s stream of a run A executes with the run as A saved it', async () => {
    const { a, b, onA, onB, prompt } = await twoProcesses('Awaited');
    fake.script({ kind: 'success', text: 'done on A', tokenDelayMs: 100 });
    const run = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    const stream = await openStream(`${b.url}/api/test-runs/${run.id}/events`, onB.cookie);
    streams.push(stream);
    let event = await stream.next();
    while (event.event !== 'done') event = await stream.next();
    assert.equal((event.data as TestRun).output, 'done on A');
  });

  it('wakes an idle process at once when another queues runs it cannot take', async () => {
    // A takes one run at a time; B is idle and looks for work only once an hour on its own.
    const a = await instance({ concurrency: 1 });
    const b = await instance({ concurrency: 4 });
    const onA = await a.signedIn();
    const prompt = await onA.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Many', content: 'Go' });
    fake.script({ kind: 'hang' });
    const hanging = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    assert.ok(a.runs.streams.isLive(hanging.id));
    // A is full: this one is queued, and only B can run it; it finishes only if B heard of it.
    const queued = await onA.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-5.4' });
    assert.equal(queued.status, 'succeeded');
    await onA.ok('POST', `/api/test-runs/${hanging.id}/cancel`);
  });

  it('ends a run canceled through B in the streams of both processes', async () => {
    const { a, b, onA, onB, prompt } = await twoProcesses('Canceled');
    fake.script({ kind: 'hang' });
    const run = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    const onAStream = await openStream(`${a.url}/api/test-runs/${run.id}/events`, onA.cookie);
    streams.push(onAStream);
    const onBStream = await openStream(`${b.url}/api/test-runs/${run.id}/events`, onB.cookie);
    streams.push(onBStream);
    await onB.ok('POST', `/api/test-runs/${run.id}/cancel`);
    for (const stream of [onBStream, onAStream]) {
      let event = await stream.next();
      while (event.event !== 'done') event = await stream.next();
      assert.equal((event.data as TestRun).status, 'canceled');
    }
  });
  it('announces a run’s deltas to other processes only while one of them follows it', async () => {
    const listener = new pg.Client({ connectionString: created.url });
    await listener.connect();
    const heard: { r: string; k: string; o?: number; x?: string }[] = [];
    listener.on('notification', (n) => heard.push(JSON.parse(n.payload ?? '{}')));
    await listener.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
    try {
      const { a, b, onA, onB, prompt } = await twoProcesses('Quiet');
      fake.script({ kind: 'success', text: 'nobody else listens', tokenDelayMs: 20 });
      const alone = await onA.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-5.4' });
      assert.equal(alone.output, 'nobody else listens');
      const ofRun = (id: string) => heard.filter((e) => e.r === id);
      for (let i = 0; i < 50 && ofRun(alone.id).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(ofRun(alone.id).map((e) => e.k), ['done'], 'its end only');

      fake.script({ kind: 'success', text: 'one two three four five', tokenDelayMs: 120 });
      const followed = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
      await new Promise((resolve) => setTimeout(resolve, 300)); // some text before B asks
      const stream = await openStream(`${b.url}/api/test-runs/${followed.id}/events`, onB.cookie);
      streams.push(stream);
      let text = '';
      for (;;) {
        const event = await stream.next();
        if (event.event === 'delta') text += (event.data as { text: string }).text;
        if (event.event === 'done') break;
      }
      assert.equal(text, 'one two three four five');
      const kinds = ofRun(followed.id).map((e) => e.k);
      assert.equal(kinds[0], 'follow', 'B asked');
      const deltas = ofRun(followed.id).filter((e) => e.k === 'delta');
      assert.ok(deltas.length >= 2, JSON.stringify(kinds));
      assert.equal(deltas[0]?.o, 0, 'the text so far first, from its start');
      assert.ok((deltas[0]?.x ?? '').length > 0);
    } finally {
      await listener.end();
    }
  });

  it('streams from A, as it happens, a run A’s client followed while it was queued and that B then executed', async () => {
    const { a, b, onA, onB, prompt } = await twoProcesses('Queued', { concurrency: 1 });
    fake.script({ kind: 'hang' }, { kind: 'hang' }, { kind: 'success', text: 'late but live', tokenDelayMs: 150 });
    const busyA = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    const busyB = await onB.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    assert.ok(a.runs.streams.isLive(busyA.id) && b.runs.streams.isLive(busyB.id), 'both processes are full');
    const queued = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    assert.equal(queued.status, 'queued');
    const stream = await openStream(`${a.url}/api/test-runs/${queued.id}/events`, onA.cookie);
    streams.push(stream);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the ask reaches B
    await onB.ok('POST', `/api/test-runs/${busyB.id}/cancel`); // B's place frees: B takes the queued run
    let first = await stream.next();
    while (first.event !== 'delta') first = await stream.next();
    assert.ok(b.runs.streams.isLive(queued.id), 'B executes it');
    const midway = await onA.ok<TestRun>('GET', `/api/test-runs/${queued.id}`);
    assert.equal(midway.status, 'running', 'the first delta reached A before the run ended');
    let text = (first.data as { text: string }).text;
    for (;;) {
      const event = await stream.next();
      if (event.event === 'delta') text += (event.data as { text: string }).text;
      if (event.event === 'done') break;
    }
    assert.equal(text, 'late but live');
    await onA.ok('POST', `/api/test-runs/${busyA.id}/cancel`);
  });
  it('streams to B a run A retries after its provider dropped mid-stream: the reset, then the new attempt’s text once', async () => {
    const { a, b, onA, onB, prompt } = await twoProcesses('Dropped');
    fake.script({ kind: 'disconnect', text: 'lost words that never end', afterDeltas: 2, tokenDelayMs: 100 }, { kind: 'success', text: 'the whole answer', tokenDelayMs: 100 });
    const run = await onA.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-5.4' });
    assert.ok(a.runs.streams.isLive(run.id) && !b.runs.streams.isLive(run.id));
    const stream = await openStream(`${b.url}/api/test-runs/${run.id}/events`, onB.cookie);
    streams.push(stream);
    let before = '';
    let after = '';
    let resets = 0;
    for (;;) {
      const event = await stream.next();
      if (event.event === 'reset') resets++;
      if (event.event === 'delta') {
        if (resets === 0) before += (event.data as { text: string }).text;
        else after += (event.data as { text: string }).text;
      }
      if (event.event === 'done') {
        assert.equal((event.data as TestRun).output, 'the whole answer');
        assert.equal((event.data as TestRun).attempts, 2);
        break;
      }
    }
    assert.equal(resets, 1);
    assert.ok('lost words that never end'.startsWith(before), JSON.stringify(before));
    assert.equal(after, 'the whole answer', 'the second attempt’s text, once, in order');
  });
});
