import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/raw-query.ts';
import type { ListPage, Prompt, PromptWithVersion, Version } from '../../contract/index.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

describeEachDatabase('prompts', (database) => {
  let app: TestApp;
  let api: ApiClient;
  beforeEach(async () => {
    app = await startTestApp(database());
    api = await app.signedIn();
  });
  afterEach(() => app.close());

  const create = (body: Record<string, unknown>) => api.ok<PromptWithVersion>('POST', '/api/prompts', body);

  it('creates a prompt with version 1 from its content', async () => {
    const res = await api.post<PromptWithVersion>('/api/prompts', {
      title: '  Refactor helper ',
      type: 'system',
      tags: ['refactor', 'ts', 'refactor'],
      content: 'You refactor {{language}} code.',
      notes: 'first draft',
    });
    assert.equal(res.status, 201);
    const prompt = res.body.data as PromptWithVersion;
    assert.equal(prompt.title, 'Refactor helper');
    assert.equal(prompt.type, 'system');
    assert.deepEqual(prompt.tags, ['refactor', 'ts']);
    assert.equal(prompt.currentVersionNumber, 1);
    assert.equal(prompt.currentVersion?.content, 'You refactor {{language}} code.');
    assert.equal(prompt.currentVersion?.notes, 'first draft');
    assert.equal(prompt.currentVersionId, prompt.currentVersion?.id);
    const fetched = await api.ok<PromptWithVersion>('GET', `/api/prompts/${prompt.id}`);
    assert.deepEqual(fetched, prompt);
  });

  it('creates a prompt without content: no version yet, type user by default', async () => {
    const prompt = await create({ title: 'Empty' });
    assert.equal(prompt.type, 'user');
    assert.deepEqual(prompt.tags, []);
    assert.equal(prompt.currentVersionId, null);
    assert.equal(prompt.currentVersionNumber, null);
    assert.equal(prompt.currentVersion, null);
  });

  it('lists prompts newest first in keyset pages that neither repeat nor skip', async () => {
    const titles: string[] = [];
    for (let i = 0; i < 7; i++) titles.push((await create({ title: `Prompt ${i}` })).title);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ListPage<Prompt> = await api.ok('GET', `/api/prompts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((p) => p.title));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...titles].reverse());
  });

  it('finds prompts by title text, also with a typo, and by tag', async () => {
    await create({ title: 'Generate unit tests', tags: ['testing'] });
    await create({ title: 'Explain a stack trace', tags: ['debugging', 'testing'] });
    await create({ title: 'Write a commit message', tags: ['git'] });
    const titles = async (query: string) =>
      (await api.ok<ListPage<Prompt>>('GET', `/api/prompts?${query}`)).items.map((p) => p.title).sort();
    assert.deepEqual(await titles('q=unit'), ['Generate unit tests']);
    assert.deepEqual(await titles('q=COMMIT'), ['Write a commit message']);
    assert.deepEqual(await titles('q=stak trace'), ['Explain a stack trace']);
    assert.deepEqual(await titles('tag=testing'), ['Explain a stack trace', 'Generate unit tests']);
    assert.deepEqual(await titles('tag=testing&q=unit'), ['Generate unit tests']);
    assert.deepEqual(await titles('q=100%25'), []);
  });

  it('edits title, type and tags without touching versions', async () => {
    const prompt = await create({ title: 'Old', content: 'v1' });
    const res = await api.patch<Prompt>(`/api/prompts/${prompt.id}`, { title: 'New', tags: ['x'], type: 'system' });
    assert.equal(res.status, 200);
    const patched = res.body.data as Prompt;
    assert.equal(patched.title, 'New');
    assert.deepEqual(patched.tags, ['x']);
    assert.equal(patched.type, 'system');
    assert.equal(patched.currentVersionId, prompt.currentVersionId);
    const versions = await api.ok<ListPage<Version>>('GET', `/api/prompts/${prompt.id}/versions`);
    assert.equal(versions.items.length, 1);
  });

  it('delete hides the prompt everywhere but keeps its versions and runs in the database', async () => {
    const prompt = await create({ title: 'Doomed', content: 'keep me' });
    const { db } = database().handle;
    await db.execute(sql`insert into test_runs (prompt_id, prompt_version_id, version_number, model, api)
      values (${prompt.id}, ${prompt.currentVersionId}, 1, 'gpt-5-codex', 'responses')`);
    const res = await api.delete(`/api/prompts/${prompt.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { deleted: true });
    assert.equal((await api.get(`/api/prompts/${prompt.id}`)).status, 404);
    assert.equal((await api.get(`/api/prompts/${prompt.id}/versions`)).status, 404);
    assert.equal((await api.delete(`/api/prompts/${prompt.id}`)).status, 404);
    assert.equal((await api.patch(`/api/prompts/${prompt.id}`, { title: 'x' })).status, 404);
    assert.deepEqual((await api.ok<ListPage<Prompt>>('GET', '/api/prompts')).items, []);
    const kept = await queryRows(db, sql`select
      (select count(*) from prompt_versions where prompt_id = ${prompt.id})::int as versions,
      (select count(*) from test_runs where prompt_id = ${prompt.id})::int as runs`);
    assert.deepEqual(kept[0], { versions: 1, runs: 1 });
  });

  it('answers an unknown id with 404 and a malformed one with 400', async () => {
    const missing = await api.get(`/api/prompts/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.code, 'NOT_FOUND');
    const malformed = await api.get('/api/prompts/not-a-uuid');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error?.code, 'INVALID_INPUT');
    assert.equal(malformed.body.error?.details[0]?.path, 'id');
  });

  describe('bad input gets a clear error and writes nothing', () => {
    const cases: [string, unknown, string][] = [
      ['an empty title', { title: '   ' }, 'title: must not be empty'],
      ['a missing title', {}, 'title: '],
      ['a wrong type', { title: 'x', type: 'assistant' }, 'type: '],
      ['tags that are not strings', { title: 'x', tags: [1] }, 'tags.0: '],
      ['an unknown field', { title: 'x', colour: 'red' }, 'colour: is not a known field'],
      ['a body that is not an object', ['title'], 'expected object'],
    ];
    for (const [what, body, message] of cases) {
      it(`refuses ${what}`, async () => {
        const res = await api.post('/api/prompts', body);
        assert.equal(res.status, 400);
        assert.equal(res.body.data, null);
        assert.equal(res.body.error?.code, 'INVALID_INPUT');
        assert.ok(res.body.error?.message.includes(message), res.body.error?.message);
        assert.ok(res.body.error?.details.length);
        assert.deepEqual((await api.ok<ListPage<Prompt>>('GET', '/api/prompts')).items, []);
      });
    }

    it('lists every failing field in details', async () => {
      const res = await api.post('/api/prompts', { title: '', type: 'x', extra: 1 });
      assert.deepEqual(res.body.error?.details.map((d) => d.path).sort(), ['extra', 'title', 'type']);
    });

    it('refuses malformed JSON', async () => {
      const res = await api.request('POST', '/api/prompts', { rawBody: '{"title": "x",' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
      assert.match(res.body.error?.message ?? '', /not valid JSON/);
    });

    it('refuses a body that is not sent as JSON', async () => {
      const res = await api.request('POST', '/api/prompts', { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 400);
      assert.match(res.body.error?.message ?? '', /Content-Type: application\/json/);
    });

    it('refuses a body over the limit with 413', async () => {
      const res = await api.post('/api/prompts', { title: 'big', content: 'x'.repeat(1024 * 1024 + 10) });
      assert.equal(res.status, 413);
      assert.equal(res.body.error?.code, 'PAYLOAD_TOO_LARGE');
      assert.deepEqual((await api.ok<ListPage<Prompt>>('GET', '/api/prompts')).items, []);
    });

    it('refuses bad list parameters', async () => {
      for (const query of ['limit=0', 'limit=201', 'limit=abc', 'cursor=garbage', 'sort=title']) {
        const res = await api.get(`/api/prompts?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error?.code, 'INVALID_INPUT', query);
      }
    });
  });

  it('answers an unknown /api route with a 404 envelope', async () => {
    const res = await api.get('/api/nope');
    assert.equal(res.status, 404);
    assert.deepEqual(Object.keys(res.body), ['data', 'error']);
    assert.equal(res.body.error?.code, 'NOT_FOUND');
    assert.equal((await api.request('PUT', '/api/prompts')).status, 404);
  });

  it('answers OPTIONS with the allowed methods and no body outside the envelope', async () => {
    const res = await api.request('OPTIONS', `/api/prompts/${randomUUID()}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.deepEqual(res.headers.get('allow')?.split(', ').sort(), ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']);
    assert.equal((await api.request('OPTIONS', '/api/nothing')).body.error?.code, 'NOT_FOUND');
  });
});
