import assert from 'node:assert/strict';
import { PromptRefineClient, normalizeServiceUrl, sessionCookieFrom } from '../api/client.ts';
import { ApiError, ServiceUnreachableError, UnexpectedResponseError, userMessage } from '../api/errors.ts';
import { freePort } from './support/ports.ts';
import { TEST_EMAIL, TEST_PASSWORD, startTestService, type TestService } from './support/service.ts';

describe('REST client against the real service', () => {
  let service: TestService;
  let cookie: string | undefined;
  let client: PromptRefineClient;

  before(async () => {
    service = await startTestService();
    client = new PromptRefineClient({ serviceUrl: `${service.url}/`, sessionCookie: () => cookie });
  });
  after(async () => service?.close());

  it('is refused with UNAUTHENTICATED before signing in, and tells who is signed in after', async () => {
    await assert.rejects(client.listPrompts(), (e: unknown) => e instanceof ApiError && e.code === 'UNAUTHENTICATED' && e.status === 401);
    assert.equal(await client.currentUser(), null);
    const signedIn = await client.signIn(TEST_EMAIL, TEST_PASSWORD);
    assert.equal(signedIn.user.email, TEST_EMAIL);
    assert.ok(signedIn.sessionCookie.length > 10);
    cookie = signedIn.sessionCookie;
    assert.equal((await client.currentUser())?.email, TEST_EMAIL);
  });

  it('reports a wrong password with the service message', async () => {
    const stranger = new PromptRefineClient({ serviceUrl: service.url });
    await assert.rejects(stranger.signIn(TEST_EMAIL, 'wrong'), (e: unknown) => e instanceof ApiError && e.status === 401 && e.message.length > 0);
  });

  it('creates, lists, renames, versions, restores and deletes a prompt', async () => {
    const created = await client.createPrompt({ title: 'Review diff', tags: ['review'], content: 'Review {{diff}}' });
    assert.equal(created.currentVersionNumber, 1);
    const v1 = created.currentVersion;
    assert.ok(v1);

    const v2 = await client.createVersion(created.id, { content: 'Review {{diff}} carefully', baseVersionId: v1.id, notes: 'stricter' });
    assert.equal(v2.versionNumber, 2);
    assert.equal(v2.notes, 'stricter');

    const renamed = await client.updatePrompt(created.id, { title: 'Review a diff', tags: ['review', 'go'] });
    assert.deepEqual([renamed.title, renamed.tags], ['Review a diff', ['review', 'go']]);

    const byTag = await client.listPrompts({ tag: 'go' });
    assert.deepEqual(byTag.items.map((p) => p.id), [created.id]);
    assert.deepEqual((await client.listPrompts({ tag: 'nothing-has-this' })).items, []);

    const restored = await client.restoreVersion(created.id, v1.id);
    assert.equal(restored.versionNumber, 3);
    assert.equal(restored.content, 'Review {{diff}}');
    assert.equal(restored.restoredFromVersionId, v1.id);
    assert.equal((await client.getVersion(created.id, v2.id)).content, 'Review {{diff}} carefully');

    await client.deletePrompt(created.id);
    assert.ok(!(await client.listPrompts()).items.some((p) => p.id === created.id));
    await assert.rejects(client.getPrompt(created.id), (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND');
  });

  it('answers 409 CONFLICT for a stale base version and writes nothing', async () => {
    const created = await client.createPrompt({ title: 'Conflicted', content: 'one' });
    const base = created.currentVersionId;
    assert.ok(base);
    await client.createVersion(created.id, { content: 'two', baseVersionId: base });
    await assert.rejects(
      client.createVersion(created.id, { content: 'three', baseVersionId: base }),
      (e: unknown) => e instanceof ApiError && e.code === 'CONFLICT' && e.status === 409,
    );
    assert.equal((await client.getPrompt(created.id)).currentVersionNumber, 2);
  });

  it('pages through versions newest first', async () => {
    const created = await client.createPrompt({ title: 'Paged', content: 'v1' });
    for (let n = 2; n <= 5; n++) await client.createVersion(created.id, { content: `v${n}` });
    const first = await client.listVersions(created.id, { limit: 2 });
    assert.deepEqual(first.items.map((v) => v.versionNumber), [5, 4]);
    assert.ok(first.nextCursor);
    const second = await client.listVersions(created.id, { limit: 2, cursor: first.nextCursor });
    assert.deepEqual(second.items.map((v) => v.versionNumber), [3, 2]);
  });

  it('passes validation errors on as the service words them', async () => {
    const error = await client.createPrompt({ title: '   ' }).then(
      () => assert.fail('an empty title was accepted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.equal(userMessage(error), 'title: must not be empty');
    assert.equal(error.details[0]?.path, 'title');
  });

  it('signs out: the kept cookie no longer works', async () => {
    await client.signOut();
    assert.equal(await client.currentUser(), null);
    await assert.rejects(client.listPrompts(), (e: unknown) => e instanceof ApiError && e.code === 'UNAUTHENTICATED');
  });
});

describe('REST client when the service is not there', () => {
  it('throws ServiceUnreachableError naming the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const client = new PromptRefineClient({ serviceUrl: url });
    const error = await client.currentUser().then(
      () => assert.fail('answered without a service'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ServiceUnreachableError);
    assert.equal(error.serviceUrl, url);
    assert.match(error.message, /ECONNREFUSED/);
  });

  it('tells a foreign answer from a PromptRefine one', async () => {
    const fakeFetch: typeof fetch = async () => new Response('<html>proxy login</html>', { status: 502 });
    const client = new PromptRefineClient({ serviceUrl: 'http://127.0.0.1:1', fetch: fakeFetch });
    await assert.rejects(client.listPrompts(), (e: unknown) => e instanceof UnexpectedResponseError && e.status === 502);
  });
});

describe('client helpers', () => {
  it('finds the session cookie among Set-Cookie headers', () => {
    assert.equal(sessionCookieFrom(['other=1; Path=/', 'promptrefine.sid=s%3Aabc.def; Path=/; HttpOnly']), 's%3Aabc.def');
    assert.equal(sessionCookieFrom(['other=1']), undefined);
  });

  it('normalizes the service URL', () => {
    assert.equal(normalizeServiceUrl(' http://127.0.0.1:8787// '), 'http://127.0.0.1:8787');
  });
});
