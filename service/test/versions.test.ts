import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/raw-query.ts';
import type { ListPage, PromptWithVersion, Version } from '../../contract/index.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

describeEachDatabase('versions', (database) => {
  let app: TestApp;
  let api: ApiClient;
  let prompt: PromptWithVersion;
  beforeEach(async () => {
    app = await startTestApp(database());
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Reviewer', content: 'v1 content' });
  });
  afterEach(() => app.close());

  const versionsPath = () => `/api/prompts/${prompt.id}/versions`;
  const addVersion = (body: Record<string, unknown>) => api.post<Version>(versionsPath(), body);
  const current = () => api.ok<PromptWithVersion>('GET', `/api/prompts/${prompt.id}`);

  it('adds a version that becomes current', async () => {
    const res = await addVersion({ content: 'v2 content', notes: 'tighter', baseVersionId: prompt.currentVersionId });
    assert.equal(res.status, 201);
    const v2 = res.body.data as Version;
    assert.equal(v2.versionNumber, 2);
    assert.equal(v2.content, 'v2 content');
    assert.equal(v2.notes, 'tighter');
    assert.equal(v2.restoredFromVersionId, null);
    const now = await current();
    assert.equal(now.currentVersionId, v2.id);
    assert.equal(now.currentVersionNumber, 2);
    assert.deepEqual(await api.ok('GET', `${versionsPath()}/${v2.id}`), v2);
  });

  it('refuses a stale baseVersionId with 409 and writes nothing', async () => {
    const v1 = prompt.currentVersionId;
    await api.ok('POST', versionsPath(), { content: 'v2 from elsewhere', baseVersionId: v1 });
    const res = await addVersion({ content: 'my edit of v1', baseVersionId: v1 });
    assert.equal(res.status, 409);
    assert.equal(res.body.error?.code, 'CONFLICT');
    assert.match(res.body.error?.message ?? '', /no longer the current version.*version 2/);
    const list = await api.ok<ListPage<Version>>('GET', versionsPath());
    assert.deepEqual(
      list.items.map((v) => v.content),
      ['v2 from elsewhere', 'v1 content'],
    );
  });

  it('numbers 50 concurrent posts 2..51 without gaps, each content stored once', async () => {
    const contents = Array.from({ length: 50 }, (_, i) => `parallel ${i}`);
    const answers = await Promise.all(contents.map((content) => addVersion({ content })));
    assert.deepEqual(
      answers.map((a) => a.status),
      contents.map(() => 201),
    );
    const numbers = answers.map((a) => (a.body.data as Version).versionNumber).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 50 }, (_, i) => i + 2));
    const rows = await queryRows<{ n: number }>(
      database().handle.db,
      sql`select content, count(*)::int as n from prompt_versions where prompt_id = ${prompt.id} group by content`,
    );
    assert.equal(rows.length, 51);
    assert.ok(rows.every((r) => r.n === 1));
    assert.equal((await current()).currentVersionNumber, 51);
  });

  it('pages versions newest first', async () => {
    for (let i = 2; i <= 5; i++) await api.ok('POST', versionsPath(), { content: `v${i}` });
    const first = await api.ok<ListPage<Version>>('GET', `${versionsPath()}?limit=2`);
    assert.deepEqual(first.items.map((v) => v.versionNumber), [5, 4]);
    const second = await api.ok<ListPage<Version>>('GET', `${versionsPath()}?limit=2&cursor=${first.nextCursor}`);
    assert.deepEqual(second.items.map((v) => v.versionNumber), [3, 2]);
    const last = await api.ok<ListPage<Version>>('GET', `${versionsPath()}?limit=2&cursor=${second.nextCursor}`);
    assert.deepEqual(last.items.map((v) => v.versionNumber), [1]);
    assert.equal(last.nextCursor, null);
  });

  it('restores an old version as a new current version, rewriting nothing', async () => {
    const v1 = prompt.currentVersion as Version;
    await api.ok('POST', versionsPath(), { content: 'v2 content' });
    const res = await api.post<Version>(`/api/prompts/${prompt.id}/restore`, { versionId: v1.id });
    assert.equal(res.status, 201);
    const v3 = res.body.data as Version;
    assert.equal(v3.versionNumber, 3);
    assert.equal(v3.content, 'v1 content');
    assert.equal(v3.restoredFromVersionId, v1.id);
    assert.equal((await current()).currentVersionId, v3.id);
    const list = await api.ok<ListPage<Version>>('GET', versionsPath());
    assert.deepEqual(list.items.map((v) => [v.versionNumber, v.content]), [
      [3, 'v1 content'],
      [2, 'v2 content'],
      [1, 'v1 content'],
    ]);
    assert.deepEqual(list.items[2], v1);
  });

  it("refuses to restore another prompt's version or an unknown one", async () => {
    const other = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Other', content: 'other' });
    for (const versionId of [other.currentVersionId, randomUUID()]) {
      const res = await api.post(`/api/prompts/${prompt.id}/restore`, { versionId });
      assert.equal(res.status, 404);
      assert.equal(res.body.error?.code, 'NOT_FOUND');
    }
    assert.equal((await api.get(`${versionsPath()}/${other.currentVersionId}`)).status, 404);
    assert.equal((await current()).currentVersionNumber, 1);
  });

  it('refuses versions on an unknown or deleted prompt', async () => {
    await api.ok('DELETE', `/api/prompts/${prompt.id}`);
    assert.equal((await addVersion({ content: 'x' })).status, 404);
    assert.equal((await api.post(`/api/prompts/${prompt.id}/restore`, { versionId: prompt.currentVersionId })).status, 404);
    assert.equal((await api.post(`/api/prompts/${randomUUID()}/versions`, { content: 'x' })).status, 404);
  });

  it('validates version bodies', async () => {
    for (const body of [{}, { content: 5 }, { content: 'x', baseVersionId: 'nope' }, { content: 'x', author: 'me' }]) {
      const res = await addVersion(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
    }
    assert.equal((await current()).currentVersionNumber, 1);
  });
});
