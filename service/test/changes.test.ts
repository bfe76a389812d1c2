// GET /api/changes: every prompt change reaches every open feed, from whichever process made it,
// once committed, and only then.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import type { ChangeEvent, PromptWithVersion, Version } from '../../contract/index.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import type { ListenerEvent } from '../db/notifications.ts';
import { queryRows } from '../db/raw-query.ts';
import { PROMPT_CHANGES_CHANNEL } from '../prompts/prompt-changes.ts';
import { createPrompt } from '../prompts/prompt-use-cases.ts';
import { createPostgresDatabase, describeEachDatabase } from './support/databases.ts';
import { eventually, openStream, type OpenStream } from './support/event-stream.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import type { ApiClient } from '../testing/api-client.ts';

async function nextChange(stream: OpenStream): Promise<ChangeEvent> {
  const event = await stream.next();
  assert.equal(event.event, 'change');
  return event.data as ChangeEvent;
}

describeEachDatabase('GET /api/changes', (db) => {
  let app: TestApp;
  let api: ApiClient;
  const streams: OpenStream[] = [];
  const feed = async (client: ApiClient = api) => {
    const stream = await openStream(`${app.url}/api/changes`, client.cookie);
    streams.push(stream);
    return stream;
  };

  beforeEach(async () => {
    app = await startTestApp(db(), { changeFeed: { keepAliveMs: 100 } });
    api = await app.signedIn();
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await app.close();
  });

  it('sends one event for each create, update, new version, restore and delete, in order', async () => {
    const stream = await feed();
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Watched', content: 'v1 {{x}}' });
    assert.deepEqual(await nextChange(stream), { kind: 'prompt.created', promptId: prompt.id });

    await api.ok('PATCH', `/api/prompts/${prompt.id}`, { title: 'Renamed' });
    assert.deepEqual(await nextChange(stream), { kind: 'prompt.updated', promptId: prompt.id });

    const v2 = await api.ok<Version>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'v2' });
    assert.deepEqual(await nextChange(stream), { kind: 'version.created', promptId: prompt.id, versionId: v2.id });

    const v3 = await api.ok<Version>('POST', `/api/prompts/${prompt.id}/restore`, { versionId: prompt.currentVersion?.id });
    assert.deepEqual(await nextChange(stream), { kind: 'version.created', promptId: prompt.id, versionId: v3.id });

    await api.ok('DELETE', `/api/prompts/${prompt.id}`);
    assert.deepEqual(await nextChange(stream), { kind: 'prompt.deleted', promptId: prompt.id });
  });

  it('reaches every open feed, and a second session sees the first one\'s changes', async () => {
    const other = await app.signedIn();
    const mine = await feed();
    const theirs = await feed(other);
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Shared view' });
    assert.deepEqual(await nextChange(mine), { kind: 'prompt.created', promptId: prompt.id });
    assert.deepEqual(await nextChange(theirs), { kind: 'prompt.created', promptId: prompt.id });
  });

  it('announces the prompts an import creates, and a prompt made from a template', async () => {
    const source = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Exported', content: 'Hi {{name}}' });
    const exported = await api.get(`/api/prompts/${source.id}/export?format=json`);
    assert.equal(exported.status, 200);
    await api.ok('DELETE', `/api/prompts/${source.id}`);
    // Deleted prompts stay in the database, so the import goes to a fresh id.
    const document = JSON.parse(exported.text) as { prompts: { id: string; currentVersionId: string; versions: { id: string; promptId: string }[] }[] };
    const copy = document.prompts[0]!;
    const newId = '00000000-0000-4000-8000-000000000001';
    copy.id = newId;
    for (const v of copy.versions) {
      v.promptId = newId;
      v.id = '00000000-0000-4000-8000-000000000002';
    }
    copy.currentVersionId = '00000000-0000-4000-8000-000000000002';
    const stream = await feed();
    const summary = await api.ok<{ created: { prompts: number } }>('POST', '/api/import', document);
    assert.equal(summary.created.prompts, 1);
    assert.deepEqual(await nextChange(stream), { kind: 'prompt.created', promptId: newId });

    const fromTemplate = await api.ok<PromptWithVersion>('POST', '/api/prompts', { templateId: 'builtin:review-diff' });
    assert.deepEqual(await nextChange(stream), { kind: 'prompt.created', promptId: fromTemplate.id });
  });

  it('announces nothing for a write that is rolled back or refused', async () => {
    const stream = await feed();
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Base', content: 'one' });
    assert.equal((await nextChange(stream)).kind, 'prompt.created');

    // A create that runs to its end inside a transaction that then rolls back.
    let createdInside = '';
    await assert.rejects(
      db().handle.db.transaction(async (tx) => {
        createdInside = (await createPrompt(tx, { title: 'Never committed', type: 'user', tags: [], content: 'x' })).id;
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.match(createdInside, /^[0-9a-f-]{36}$/);
    assert.equal((await api.get(`/api/prompts/${createdInside}`)).status, 404);
    // A stale baseVersionId: 409, nothing written.
    await api.ok('POST', `/api/prompts/${prompt.id}/versions`, { content: 'two' });
    const stale = await api.post(`/api/prompts/${prompt.id}/versions`, { content: 'three', baseVersionId: prompt.currentVersion?.id });
    assert.equal(stale.status, 409);
    // A PATCH of an unknown prompt: 404, nothing written.
    assert.equal((await api.patch('/api/prompts/00000000-0000-4000-8000-000000000000', { title: 'x' })).status, 404);

    await api.ok('PATCH', `/api/prompts/${prompt.id}`, { tags: ['after'] });
    // Only what was committed, in order: the rolled-back create and the refused writes never appear.
    assert.equal((await nextChange(stream)).kind, 'version.created');
    assert.deepEqual(await nextChange(stream), { kind: 'prompt.updated', promptId: prompt.id });
  });

  it('answers 401 without a session', async () => {
    const res = await app.anonymous().get('/api/changes');
    assert.equal(res.status, 401);
    assert.equal((res.body.error as { code: string }).code, 'UNAUTHENTICATED');
  });

  it('ends when its session signs out, and lets go of its subscription', async () => {
    const stream = await feed();
    await eventually(() => app.app.sessionStreams.count() === 1 && db().handle.notifications.count(PROMPT_CHANGES_CHANNEL) === 1);
    await api.ok('POST', '/api/auth/signout');
    await stream.ended;
    await assert.rejects(stream.next(), /ended/);
    await eventually(() => app.app.sessionStreams.count() === 0 && db().handle.notifications.count(PROMPT_CHANGES_CHANNEL) === 0);
    assert.equal((await api.get('/api/changes')).status, 401);
  });

  it('lets go of its subscription when the client goes away', async () => {
    const stream = await feed();
    await eventually(() => db().handle.notifications.count(PROMPT_CHANGES_CHANNEL) === 1);
    stream.close();
    await eventually(() => app.app.sessionStreams.count() === 0 && db().handle.notifications.count(PROMPT_CHANGES_CHANNEL) === 0);
  });

  it('sends keep-alive comment lines while nothing changes', async () => {
    const stream = await feed();
    await eventually(() => stream.comments.includes('keep-alive'));
  });
});

describe('GET /api/changes across service processes [PostgreSQL]', function () {
  this.timeout(120_000);
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const handles: DatabaseHandle[] = [];
  const apps: TestApp[] = [];
  const streams: OpenStream[] = [];
  const listenerEvents: ListenerEvent[] = [];

  before(async () => {
    created = await createPostgresDatabase();
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    for (const app of apps.splice(0)) await app.close();
    for (const handle of handles.splice(0)) await handle.close();
  });
  after(async () => {
    await created?.drop();
  });

  /** A service instance of its own (its own pool and LISTEN connection) on the shared database. */
  async function instance(): Promise<TestApp> {
    const handle = await openDatabase({ databaseUrl: created.url, onListenerEvent: (e) => listenerEvents.push(e) });
    handles.push(handle);
    await handle.migrate();
    const app = await startTestApp({ kind: 'postgres', handle, url: created.url, reset: async () => {} });
    apps.push(app);
    return app;
  }

  it('delivers a change made through one instance to the feed of another', async () => {
    const a = await instance();
    const b = await instance();
    const onB = await openStream(`${b.url}/api/changes`, (await b.signedIn()).cookie);
    streams.push(onB);
    const apiA = await a.signedIn();
    const prompt = await apiA.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Made on A', content: 'hello' });
    assert.deepEqual(await nextChange(onB), { kind: 'prompt.created', promptId: prompt.id });
    const v2 = await apiA.ok<Version>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'again' });
    assert.deepEqual(await nextChange(onB), { kind: 'version.created', promptId: prompt.id, versionId: v2.id });
  });

  it('ends open feeds when the LISTEN connection drops, reconnects, and delivers again', async () => {
    listenerEvents.length = 0;
    const app = await instance();
    const api = await app.signedIn();
    const first = await openStream(`${app.url}/api/changes`, api.cookie);
    streams.push(first);
    const admin = handles[0] as DatabaseHandle;
    // What a server restart or a network cut does to the one connection that LISTENs.
    const killed = await queryRows<{ pid: number }>(
      admin.db,
      sql`select pg_terminate_backend(pid) as ok, pid from pg_stat_activity where datname = current_database() and query like 'LISTEN%'`,
    );
    assert.equal(killed.length, 1, 'one LISTEN connection for the process');
    // The feed ends: changes made while it was down could not be announced, so the client reloads.
    await first.ended;
    assert.ok(listenerEvents.some((e) => e.state === 'lost'), JSON.stringify(listenerEvents));
    assert.ok(!JSON.stringify(listenerEvents.map((e) => ('error' in e ? e.error.message : ''))).includes(created.url));

    const second = await openStream(`${app.url}/api/changes`, api.cookie);
    streams.push(second);
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'After the drop' });
    assert.deepEqual(await nextChange(second), { kind: 'prompt.created', promptId: prompt.id });
  });
});
