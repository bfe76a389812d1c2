import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { templateVariables, type ListPage, type PromptWithVersion, type Template } from '../../contract/index.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

describeEachDatabase('templates', (database) => {
  let app: TestApp;
  let api: ApiClient;
  beforeEach(async () => {
    app = await startTestApp(database());
    api = await app.signedIn();
  });
  afterEach(() => app.close());

  const list = async () => (await api.ok<ListPage<Template>>('GET', '/api/templates')).items;

  it('offers at least 8 built-in templates for coding models, each with variables, a one-line description and a type', async () => {
    const builtIns = (await list()).filter((t) => t.builtIn);
    assert.ok(builtIns.length >= 8, `only ${builtIns.length}`);
    for (const t of builtIns) {
      assert.match(t.id, /^builtin:[a-z0-9-]+$/);
      assert.ok(templateVariables(t.content).length > 0, `${t.id} has no {{variables}}`);
      assert.ok(t.description.length > 10 && !t.description.includes('\n'), `${t.id}: ${t.description}`);
      assert.ok(['user', 'system'].includes(t.type));
    }
    assert.ok(builtIns.some((t) => t.type === 'system'), 'a system prompt is among them');
    assert.equal(new Set(builtIns.map((t) => t.id)).size, builtIns.length);
  });

  it("saves the user's own templates from content and from a version, listed after the built-in ones", async () => {
    const mine = await api.post<Template>('/api/templates', {
      title: 'Summarise a PR',
      description: 'Short PR summary',
      content: 'Summarise {{pr}} for {{team}}',
      tags: ['git'],
    });
    assert.equal(mine.status, 201);
    const created = mine.body.data as Template;
    assert.equal(created.builtIn, false);
    assert.equal(created.type, 'user');

    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', {
      title: 'Reviewer',
      type: 'system',
      tags: ['review'],
      content: 'You review {{language}} code.',
    });
    const saved = await api.ok<Template>('POST', '/api/templates', { fromVersionId: prompt.currentVersionId });
    assert.equal(saved.title, 'Reviewer');
    assert.equal(saved.type, 'system');
    assert.equal(saved.content, 'You review {{language}} code.');
    assert.deepEqual(saved.tags, ['review']);

    const items = await list();
    const firstOwn = items.findIndex((t) => !t.builtIn);
    assert.ok(items.slice(firstOwn).every((t) => !t.builtIn), 'built-in ones come first');
    assert.deepEqual(items.slice(firstOwn).map((t) => t.id), [saved.id, created.id]);
  });

  it('refuses invalid templates with a 400 naming the field, and an unknown version', async () => {
    const cases: [unknown, string][] = [
      [{ title: 'No content' }, 'content'],
      [{ content: 'no title {{x}}' }, 'title'],
      [{ title: 'Blank', content: '   ' }, 'content'],
      [{ title: 'T', content: 'c', type: 'assistant' }, 'type'],
      [{ title: 'T', content: 'c', surprise: 1 }, 'surprise'],
      [{ fromVersionId: 'not-a-uuid' }, 'fromVersionId'],
      [{ fromVersionId: randomUUID() }, 'fromVersionId'],
    ];
    for (const [body, path] of cases) {
      const res = await api.post('/api/templates', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
      assert.ok(res.body.error?.details.some((d) => d.path === path), `${JSON.stringify(body)}: ${res.text}`);
    }
    assert.equal((await list()).filter((t) => !t.builtIn).length, 0);
  });

  it('deletes your own template; a built-in one is a 400 and stays; an unknown one is a 404', async () => {
    const mine = await api.ok<Template>('POST', '/api/templates', { title: 'Mine', content: 'Hi {{name}}' });
    assert.deepEqual(await api.ok('DELETE', `/api/templates/${mine.id}`), { deleted: true });
    assert.equal((await list()).some((t) => t.id === mine.id), false);
    assert.equal((await api.delete(`/api/templates/${mine.id}`)).status, 404);

    const builtIn = await api.delete('/api/templates/builtin:review-diff');
    assert.equal(builtIn.status, 400);
    assert.equal(builtIn.body.error?.code, 'INVALID_INPUT');
    assert.match(builtIn.body.error?.message ?? '', /built-in/);
    assert.ok((await list()).some((t) => t.id === 'builtin:review-diff'));
    assert.equal((await api.delete('/api/templates/nonsense')).status, 400);
  });

  it('creates a prompt from a template: version 1 is its content, its notes name the template', async () => {
    const template = (await list()).find((t) => t.id === 'builtin:senior-reviewer') as Template;
    const res = await api.post<PromptWithVersion>('/api/prompts', { templateId: template.id });
    assert.equal(res.status, 201);
    const prompt = res.body.data as PromptWithVersion;
    assert.equal(prompt.title, template.title);
    assert.equal(prompt.type, 'system');
    assert.deepEqual(prompt.tags, template.tags);
    assert.equal(prompt.currentVersionNumber, 1);
    assert.equal(prompt.currentVersion?.content, template.content);
    assert.match(prompt.currentVersion?.notes ?? '', /Senior reviewer/);
    assert.match(prompt.currentVersion?.notes ?? '', /builtin:senior-reviewer/);

    const mine = await api.ok<Template>('POST', '/api/templates', { title: 'Mine', content: 'Hi {{name}}' });
    const titled = await api.ok<PromptWithVersion>('POST', '/api/prompts', { templateId: mine.id, title: 'Greeting' });
    assert.equal(titled.title, 'Greeting');
    assert.equal(titled.currentVersion?.content, 'Hi {{name}}');
  });

  it('refuses a prompt from an unknown template, or with content beside the template, writing nothing', async () => {
    for (const [body, path] of [
      [{ templateId: randomUUID() }, 'templateId'],
      [{ templateId: 'builtin:no-such-thing' }, 'templateId'],
      [{ templateId: 'nonsense' }, 'templateId'],
      [{ templateId: 'builtin:review-diff', content: 'x' }, 'content'],
      [{}, 'title'],
    ] as const) {
      const res = await api.post('/api/prompts', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.error?.details.some((d) => d.path === path), res.text);
    }
    assert.equal((await api.ok<ListPage<unknown>>('GET', '/api/prompts')).items.length, 0);
  });
});
