// The change feed as the extension reads it, against the real service: what another window does
// arrives as one "prompts changed" batch here; sign-out ends the feed and it does not come back.
import assert from 'node:assert/strict';
import type { ChangeEvent } from '../../contract/index.ts';
import { openChanges, parseChange } from '../api/changes.ts';
import { PromptRefineClient } from '../api/client.ts';
import { ApiError, asSentence } from '../api/errors.ts';
import { ServiceHttp } from '../api/http.ts';
import { ChangeFeed } from '../changes/feed.ts';
import { PromptChanges, type PromptChangeBatch } from '../changes/prompt-changes.ts';
import { TEST_EMAIL, TEST_PASSWORD, startTestService, type TestService } from './support/service.ts';

/** The iterator's next value, or undefined once it ended. */
async function next<T>(iterator: AsyncIterator<T>): Promise<T | undefined> {
  const result = await iterator.next();
  return result.done ? undefined : result.value;
}

describe('the change feed against the real service', () => {
  let service: TestService;
  let cookie: string | undefined;
  let http: ServiceHttp;
  /** The extension's window: one connection for the REST client and the feed. */
  let here: PromptRefineClient;
  /** Another window, signed in with a session of its own. */
  let elsewhere: PromptRefineClient;

  before(async () => {
    service = await startTestService();
    http = new ServiceHttp({ serviceUrl: () => service.url, sessionCookie: () => cookie });
    here = new PromptRefineClient(http);
    cookie = (await here.signIn(TEST_EMAIL, TEST_PASSWORD)).sessionCookie;
    let otherCookie: string | undefined;
    elsewhere = new PromptRefineClient({ serviceUrl: service.url, sessionCookie: () => otherCookie });
    otherCookie = (await elsewhere.signIn(TEST_EMAIL, TEST_PASSWORD)).sessionCookie;
  });
  after(async () => service?.close());

  it('delivers what another window does, in order, as contract-shaped changes', async () => {
    const controller = new AbortController();
    const iterator = (await openChanges(http, controller.signal))[Symbol.asyncIterator]();
    try {
      const prompt = await elsewhere.createPrompt({ title: 'Feed', content: 'v1' });
      const v2 = await elsewhere.createVersion(prompt.id, { content: 'v2' });
      await elsewhere.updatePrompt(prompt.id, { title: 'Feed, renamed' });
      const seen: ChangeEvent[] = [];
      for (let i = 0; i < 3; i++) seen.push((await next(iterator)) as ChangeEvent);
      assert.deepEqual(seen, [
        { kind: 'prompt.created', promptId: prompt.id },
        { kind: 'version.created', promptId: prompt.id, versionId: v2.id },
        { kind: 'prompt.updated', promptId: prompt.id },
      ]);
    } finally {
      controller.abort();
    }
  });

  it('reaches the one event as a batch naming the prompt, while the feed is followed', async () => {
    const changes = new PromptChanges({ delayMs: 50 });
    const batches: PromptChangeBatch[] = [];
    let connected!: () => void;
    const isConnected = new Promise<void>((resolve) => (connected = resolve));
    const feed = new ChangeFeed({
      connect: async (signal) => {
        const stream = await openChanges(http, signal);
        connected();
        return stream;
      },
      change: (c) => changes.fromFeed(c),
      reconnected: () => changes.everything(),
    });
    const heard = new Promise<void>((resolve) => changes.onDidChange((batch) => (batches.push(batch), resolve())));
    feed.start();
    try {
      await isConnected;
      const prompt = await elsewhere.createPrompt({ title: 'Seen here', content: 'x' });
      await heard;
      assert.equal(batches[0]?.everything, false);
      assert.deepEqual([...(batches[0]?.promptIds ?? [])], [prompt.id]);
    } finally {
      await feed.stop();
      changes.dispose();
    }
  });

  it('ends at sign-out, and is refused after it (so the feed stops rather than retrying)', async () => {
    const controller = new AbortController();
    const iterator = (await openChanges(http, controller.signal))[Symbol.asyncIterator]();
    const ended = next(iterator);
    await here.signOut();
    assert.equal(await ended, undefined, 'the stream ended');
    await assert.rejects(openChanges(http, controller.signal), (e: unknown) => e instanceof ApiError && e.code === 'UNAUTHENTICATED');
    controller.abort();
  });
});

describe('change feed pieces', () => {
  it('lets through only change events of the contract', () => {
    const promptId = '0b9f6f64-6a8e-4a43-9a39-7d1f0f5b8c11';
    assert.deepEqual(parseChange(JSON.stringify({ kind: 'prompt.deleted', promptId })), { kind: 'prompt.deleted', promptId });
    assert.equal(parseChange(JSON.stringify({ kind: 'prompt.exploded', promptId })), undefined);
    assert.equal(parseChange('{"kind":'), undefined);
  });

  it('words a refused sign-in as one sentence', () => {
    assert.equal(asSentence('Wrong email or password.'), 'Wrong email or password.');
    assert.equal(asSentence('Wrong email or password'), 'Wrong email or password.');
    assert.equal(asSentence(' Too many attempts! '), 'Too many attempts!');
  });
});
