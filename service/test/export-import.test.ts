import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { ExportDocument, TestCase, TestRun, Version, type ExportDocument as Doc, type ImportSummary, type ListPage, type Prompt } from '../../contract/index.ts';
import { queryRows } from '../db/raw-query.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { seedRun, seedWorkspace, type Workspace } from './support/export-fixtures.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const withoutExportedAt = (text: string) => ({ ...(JSON.parse(text) as Doc), exportedAt: '' });

describeEachDatabase('export and import', (database) => {
  let app: TestApp;
  let api: ApiClient;
  let ws: Workspace;
  beforeEach(async () => {
    ws = await seedWorkspace(database().handle.db);
    app = await startTestApp(database());
    api = await app.signedIn();
  });
  afterEach(() => app.close());

  const download = async (path: string) => {
    const res = await api.get(path);
    assert.equal(res.status, 200, res.text);
    return res;
  };
  const importDoc = (body: unknown) => api.post<ImportSummary>('/api/import', body);
  /** An empty database with only the user, as after a fresh install. */
  async function emptyDatabase(): Promise<void> {
    await app.close();
    await database().reset();
    app = await startTestApp(database());
    api = await app.signedIn();
  }

  it('exports one prompt as a promptrefine/v1 file with every field, in a stable key order, as a download', async () => {
    const res = await download(`/api/prompts/${ws.reviewId}/export?format=json`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="review-a-diff-carefully.promptrefine.json"');
    const doc = ExportDocument.parse(JSON.parse(res.text));
    // Indented exactly like JSON.stringify(…, null, 2): the streamed writer makes no formatting of its own.
    assert.equal(res.text, `${JSON.stringify(JSON.parse(res.text), null, 2)}\n`);
    assert.equal(doc.format, 'promptrefine/v1');
    assert.equal(doc.prompts.length, 1);
    const [prompt] = doc.prompts;
    assert.deepEqual(Object.keys(prompt as object), ['id', 'title', 'type', 'tags', 'createdAt', 'updatedAt', 'currentVersionId', 'versions', 'testRuns', 'cases']);
    assert.deepEqual(prompt?.versions.map((v) => v.versionNumber), [1, 2, 3]);
    assert.deepEqual(Object.keys(prompt?.versions[0] as object), Object.keys(Version.shape));
    assert.equal(prompt?.versions[2]?.restoredFromVersionId, ws.reviewVersionIds[0]);
    assert.equal(prompt?.currentVersionId, ws.reviewVersionIds[2]);
    assert.deepEqual(prompt?.cases.map((c) => c.id), [ws.caseIds[0]], 'the live case; the deleted one is not exported');
    assert.deepEqual(Object.keys(prompt?.cases[0] as object), Object.keys(TestCase.shape));
    assert.deepEqual(prompt?.cases[0]?.expectations, [
      { kind: 'regex', value: '/looks? (fine|good)/i' },
      { kind: 'maxCostUsd', value: 0.01 },
      { kind: 'notContains', value: 'TODO' },
    ]);
    assert.deepEqual(Object.keys(prompt?.cases[0]?.inputVariables ?? {}), ['a.b', 'diff', 'language', 'x-y']);
    const [first, second] = prompt?.testRuns ?? [];
    assert.deepEqual(Object.keys(first as object), Object.keys(TestRun.shape));
    assert.deepEqual(first?.usage, { inputTokens: 120, cachedInputTokens: 0, outputTokens: 30, reasoningTokens: 10, totalTokens: 150 });
    assert.deepEqual(Object.keys(first?.params ?? {}), ['maxOutputTokens', 'reasoningEffort']);
    assert.equal(first?.costUsd, 0.000123);
    assert.equal(first?.latencyMs, 840);
    assert.deepEqual(second?.error, { code: 'rate_limit_exceeded', message: 'Slow down <please> & retry', status: 429 });
    assert.deepEqual(Object.keys(second?.inputVariables ?? {}), ['a.b', 'diff', 'language', 'x-y']);
    assert.equal(second?.attempts, 4);
  });

  it('exports every live prompt, oldest first, streamed; deleted prompts are left out', async () => {
    const res = await download('/api/export?format=json');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="promptrefine-export-\d{4}-\d{2}-\d{2}\.json"$/);
    const doc = ExportDocument.parse(JSON.parse(res.text));
    assert.deepEqual(doc.prompts.map((p) => p.id), [ws.reviewId, ws.systemId]);
    assert.equal(res.text, `${JSON.stringify(JSON.parse(res.text), null, 2)}\n`);
  });

  it('exports Markdown for reading, the same bytes for the same data', async () => {
    const one = await download(`/api/prompts/${ws.reviewId}/export?format=markdown`);
    assert.match(one.headers.get('content-type') ?? '', /^text\/markdown/);
    assert.match(one.headers.get('content-disposition') ?? '', /filename="review-a-diff-carefully\.md"/);
    const md = one.text;
    assert.ok(md.startsWith('# Review a diff \\| carefully\n'), md.slice(0, 80));
    assert.match(md, /- Type: user\n- Tags: `review`, `git`\n- Current version: 3\n/);
    for (const n of [1, 2, 3]) assert.match(md, new RegExp(`^### Version ${n} — \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC$`, 'm'));
    assert.match(md, /Notes: first draft/);
    assert.match(md, /Restored from version 1\./);
    // The content holds a ``` fence, so its own fence is longer.
    assert.ok(md.includes('````text\nReview this {{language}} diff:\n\n```diff\n{{diff}}\n```\n````\n'));
    assert.match(md, /\| Date \| Version \| Model \| Status \| Tokens \| Cost \| Latency \|/);
    assert.match(md, /\| 2026-11-20 10:00:00 UTC \| 1 \| gpt-5\.4-mini \| succeeded \| 150 \| \$0\.000123 \| 840 ms \|/);
    assert.match(md, /\| 2026-11-21 10:00:00 UTC \| 2 \| gpt-4\.1 \| failed \| — \| — \| — \|/);
    assert.match(md, /<details>\n<summary>2026-11-20 10:00:00 UTC · version 1 · gpt-5\.4-mini · succeeded<\/summary>/);
    assert.match(md, /Error: rate\\_limit\\_exceeded: Slow down \\<please\\> & retry/);
    assert.equal((await download(`/api/prompts/${ws.reviewId}/export?format=markdown`)).text, md);

    const all = await download('/api/export?format=markdown');
    assert.ok(all.text.startsWith('# PromptRefine prompts\n\n## Review a diff'));
    assert.ok(all.text.includes('## Senior reviewer'));
    assert.ok(!all.text.includes('Gone'));
    assert.equal((await download('/api/export?format=markdown')).text, all.text);
  });

  it('round-trips losslessly: export, import into an empty database, export again', async () => {
    const before = (await download('/api/export?format=json')).text;
    const mdBefore = (await download('/api/export?format=markdown')).text;
    await emptyDatabase();
    const res = await importDoc(JSON.parse(before));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.data, {
      created: { prompts: 2, versions: 4, testRuns: 3, cases: 2 },
      skipped: { prompts: 0, versions: 0, testRuns: 0, cases: 0 },
      conflicts: [],
    });
    const after = (await download('/api/export?format=json')).text;
    assert.deepEqual(withoutExportedAt(after), withoutExportedAt(before));
    assert.equal(after.replace(/"exportedAt": "[^"]+"/, ''), before.replace(/"exportedAt": "[^"]+"/, ''));
    assert.equal((await download('/api/export?format=markdown')).text, mdBefore);
    // The imported prompt is an ordinary prompt again: listed, versioned on from its last number.
    const listed = await api.ok<ListPage<Prompt>>('GET', '/api/prompts');
    assert.deepEqual(listed.items.map((p) => p.id).sort(), [ws.reviewId, ws.systemId].sort());
    const v4 = await api.ok<{ versionNumber: number }>('POST', `/api/prompts/${ws.reviewId}/versions`, { content: 'next' });
    assert.equal(v4.versionNumber, 4);
  });

  it('creates nothing when the same document is imported twice', async () => {
    const doc = JSON.parse((await download('/api/export?format=json')).text) as Doc;
    await emptyDatabase();
    assert.equal((await importDoc(doc)).status, 200);
    const second = await importDoc(doc);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body.data, {
      created: { prompts: 0, versions: 0, testRuns: 0, cases: 0 },
      skipped: { prompts: 2, versions: 4, testRuns: 3, cases: 2 },
      conflicts: [],
    });
    assert.deepEqual(await queryRows(database().handle.db, sql`select count(*)::int as n from test_runs`), [{ n: 3 }]);
  });

  it('imports the same document twice at once without a duplicate or an error: one creates, the other skips', async () => {
    const doc = JSON.parse((await download('/api/export?format=json')).text) as Doc;
    await emptyDatabase();
    const [a, b] = await Promise.all([importDoc(doc), importDoc(doc)]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    const created = [a, b].map((r) => r.body.data?.created.testRuns).sort();
    assert.deepEqual(created, [0, 3]);
    assert.deepEqual(await queryRows(database().handle.db, sql`select count(*)::int as n from prompts`), [{ n: 2 }]);
  });

  it('reports an id that exists with other content as a conflict and never overwrites it', async () => {
    const doc = JSON.parse((await download('/api/export?format=json')).text) as Doc;
    await api.ok('PATCH', `/api/prompts/${ws.reviewId}`, { title: 'Renamed since' });
    const run = doc.prompts[1]?.testRuns[0] as Doc['prompts'][0]['testRuns'][0];
    run.output = 'edited in the file';
    const testCase = doc.prompts[1]?.cases[0] as Doc['prompts'][0]['cases'][0];
    testCase.expectations = [{ kind: 'contains', value: 'edited' }];
    const res = await importDoc(doc);
    assert.equal(res.status, 200, res.text);
    const summary = res.body.data as ImportSummary;
    assert.deepEqual(summary.conflicts.map((c) => [c.kind, c.id]), [
      ['prompt', ws.reviewId],
      ['testRun', run.id],
      ['case', testCase.id],
    ]);
    assert.match(summary.conflicts[0]?.message ?? '', /title/);
    assert.match(summary.conflicts[1]?.message ?? '', /output/);
    assert.match(summary.conflicts[2]?.message ?? '', /expectations/);
    assert.equal((await api.ok<{ items: { expectations: unknown[] }[] }>('GET', `/api/prompts/${ws.systemId}/cases`)).items[0]?.expectations.length, 5);
    assert.deepEqual(summary.created, { prompts: 0, versions: 0, testRuns: 0, cases: 0 });
    assert.equal((await api.ok<Prompt>('GET', `/api/prompts/${ws.reviewId}`)).title, 'Renamed since');
    const kept = await api.ok<{ output: string }>('GET', `/api/test-runs/${run.id}`);
    assert.equal(kept.output, 'Fine.');
  });

  it('refuses an invalid document with a 400 naming the first bad path, and writes nothing', async () => {
    const good = JSON.parse((await download('/api/export?format=json')).text) as Doc;
    await emptyDatabase();
    const broken = (edit: (doc: Doc) => void) => {
      const copy = structuredClone(good);
      edit(copy);
      return copy;
    };
    const cases: [unknown, string][] = [
      [{ ...good, format: 'something/v2' }, 'format'],
      [broken((d) => ((d.prompts[1] as { versions: unknown[] }).versions[0] = { ...d.prompts[1]?.versions[0], content: 42 })), 'prompts.1.versions.0.content'],
      [broken((d) => ((d.prompts[0] as { testRuns: { status: string }[] }).testRuns[1] as { status: string }).status = 'exploded'), 'prompts.0.testRuns.1.status'],
      [broken((d) => ((d.prompts[1] as { versions: { promptId: string }[] }).versions[0] as { promptId: string }).promptId = ws.reviewId), 'prompts.1.versions.0.promptId'],
      [broken((d) => ((d.prompts[1] as { currentVersionId: string }).currentVersionId = ws.reviewVersionIds[0] as string)), 'prompts.1.currentVersionId'],
      [broken((d) => ((d.prompts[0] as { testRuns: { versionNumber: number }[] }).testRuns[0] as { versionNumber: number }).versionNumber = 9), 'prompts.0.testRuns.0.versionNumber'],
      [broken((d) => ((d.prompts[0] as { title: string }).title = 'nul\u0000here')), 'prompts.0.title'],
      [broken((d) => (d.prompts[1] as { id: string }).id = ws.reviewId), 'prompts.1.id'],
      [broken((d) => ((d.prompts[0] as { cases: { expectations: unknown[] }[] }).cases[0] as { expectations: unknown[] }).expectations[0] = { kind: 'regex', value: '(a+)+$' }), 'prompts.0.cases.0.expectations.0.value'],
      [broken((d) => ((d.prompts[1] as { cases: { promptId: string }[] }).cases[0] as { promptId: string }).promptId = ws.reviewId), 'prompts.1.cases.0.promptId'],
      [[1, 2], ''],
    ];
    for (const [body, path] of cases) {
      const res = await importDoc(body);
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
      assert.equal(res.body.error?.details[0]?.path, path, res.text);
      const message = res.body.error?.message ?? '';
      assert.ok(path ? message.startsWith(`${path}: `) : message.includes('promptrefine/v1'), message);
    }
    const malformed = await api.request('POST', '/api/import', { rawBody: '{"format": "promptrefine/v1", "prompts": [' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error?.message ?? '', /not valid JSON/);
    const counts = await queryRows<{ p: number; v: number; r: number }>(
      database().handle.db,
      sql`select (select count(*) from prompts)::int as p, (select count(*) from prompt_versions)::int as v, (select count(*) from test_runs)::int as r`,
    );
    assert.deepEqual(counts, [{ p: 0, v: 0, r: 0 }]);
  });

  it('keeps version numbers and timestamps, and imported versions stay immutable', async () => {
    const doc = JSON.parse((await download(`/api/prompts/${ws.reviewId}/export`)).text) as Doc;
    await emptyDatabase();
    await importDoc(doc);
    const versions = await api.ok<ListPage<{ id: string; versionNumber: number; createdAt: string }>>('GET', `/api/prompts/${ws.reviewId}/versions`);
    assert.deepEqual(
      versions.items.map((v) => [v.id, v.versionNumber, v.createdAt]),
      [...(doc.prompts[0]?.versions ?? [])].reverse().map((v) => [v.id, v.versionNumber, v.createdAt]),
    );
    const { db } = database().handle;
    await assert.rejects(() => db.execute(sql`update prompt_versions set content = 'changed' where id = ${ws.reviewVersionIds[0]}`), (e: Error) =>
      /immutable/.test(`${e.message} ${String((e as { cause?: Error }).cause?.message)}`),
    );
  });

  it('imports a run that was still queued as failed (INTERRUPTED), so it is never sent to the model', async () => {
    const { db } = database().handle;
    // Stop the queue first, so this service does not take the run before the test exports it.
    await app.runs.queue.stop();
    const versionId = (await api.ok<Prompt>('GET', `/api/prompts/${ws.systemId}`)).currentVersionId as string;
    const queued = await seedRun(db, { promptId: ws.systemId, promptVersionId: versionId, versionNumber: 1, status: 'queued', attempts: 0, input: 'hi' });
    const doc = JSON.parse((await download(`/api/prompts/${ws.systemId}/export`)).text) as Doc;
    assert.equal(doc.prompts[0]?.testRuns.find((r) => r.id === queued)?.status, 'queued');
    await emptyDatabase();
    await importDoc(doc);
    const run = await api.ok<{ status: string; error: { code: string } }>('GET', `/api/test-runs/${queued}`);
    assert.equal(run.status, 'failed');
    assert.equal(run.error.code, 'INTERRUPTED');
    assert.equal((await importDoc(doc)).body.data?.created.testRuns, 0, 'the second import matches the settled run');
  });

  it('takes documents over the 1 MiB JSON limit, up to its own limit (413 beyond it)', async () => {
    const doc = JSON.parse((await download('/api/export?format=json')).text) as Doc;
    (doc.prompts[0]?.testRuns[0] as { output: string }).output = 'x'.repeat(3 * 1024 * 1024);
    await emptyDatabase();
    const res = await importDoc(doc);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.body.data?.created.testRuns, 3);
    await app.close();
    app = await startTestApp(database(), { importLimitBytes: 1024 * 1024 });
    api = await app.signedIn();
    const tooBig = await importDoc(doc);
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error?.code, 'PAYLOAD_TOO_LARGE');
    assert.match(tooBig.body.error?.message ?? '', /PROMPTREFINE_IMPORT_LIMIT/);
  });

  it('answers 404 for an unknown or deleted prompt, 400 for a bad format or a versionId with json', async () => {
    assert.equal((await api.get(`/api/prompts/${ws.deletedId}/export`)).status, 404);
    assert.equal((await api.get('/api/prompts/00000000-0000-4000-8000-000000000000/export')).status, 404);
    const bad = await api.get(`/api/prompts/${ws.reviewId}/export?format=pdf`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.details[0]?.path, 'format');
    assert.equal((await api.get(`/api/export?format=typescript`)).status, 400);
    const json = await api.get(`/api/prompts/${ws.reviewId}/export?format=json&versionId=${ws.reviewVersionIds[0]}`);
    assert.equal(json.status, 400);
    assert.equal(json.body.error?.details[0]?.path, 'versionId');
    const otherVersion = await api.get(`/api/prompts/${ws.systemId}/export?format=typescript&versionId=${ws.reviewVersionIds[0]}`);
    assert.equal(otherVersion.status, 404);
    assert.equal((await app.anonymous().get('/api/export')).status, 401);
    assert.equal((await app.anonymous().post('/api/import', {})).status, 401);
  });

  it('shows the routes and the promptrefine/v1 schema in the OpenAPI document', async () => {
    const document = JSON.parse((await app.anonymous().get('/api/openapi.json')).text) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content: Record<string, unknown> }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    for (const [path, method] of [
      ['/api/templates', 'get'],
      ['/api/templates', 'post'],
      ['/api/templates/{id}', 'delete'],
      ['/api/prompts/{id}/export', 'get'],
      ['/api/export', 'get'],
      ['/api/import', 'post'],
    ] as const) assert.ok(document.paths[path]?.[method], `${method} ${path}`);
    const exportContent = document.paths['/api/prompts/{id}/export']?.get?.responses['200']?.content ?? {};
    assert.deepEqual(Object.keys(exportContent).sort(), ['application/json; charset=utf-8', 'application/yaml; charset=utf-8', 'text/markdown; charset=utf-8', 'text/typescript; charset=utf-8']);
    assert.ok(JSON.stringify(document.paths['/api/import']?.post?.requestBody).includes('ExportDocument'));
    assert.deepEqual(Object.keys(document.components.schemas.ExportDocument?.properties ?? {}), ['format', 'exportedAt', 'prompts']);
    assert.deepEqual(Object.keys(document.components.schemas.ExportedPrompt?.properties ?? {}), ['id', 'title', 'type', 'tags', 'createdAt', 'updatedAt', 'currentVersionId', 'versions', 'testRuns', 'cases']);
    assert.ok(document.components.schemas.ImportSummary && document.components.schemas.Template);
  });
});
