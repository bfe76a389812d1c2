// A client generated from the served OpenAPI document, the way a user of the REST API would make
// one (openapi-typescript for the types, openapi-fetch for the calls), must type-check a v1 walk
// that leaves every defaulted field out and passes `wait` as a boolean, and that walk must work.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { startTestApp, TEST_RUN_SETTINGS, USER, type TestApp } from '../testing/test-app.ts';
import { describeEachDatabase } from './support/databases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// What a user writes against the generated `paths`: the v1 walk of the README, with no `type` on
// the new prompt, no `params` or `inputVariables` on the run, and `wait: true` as a boolean.
const WALK = `
import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

export interface WalkResult {
  promptType: 'user' | 'system';
  versionNumber: number;
  runStatus: string;
  runOutput: string | null;
  listed: string[];
}

export async function walk(baseUrl: string, email: string, password: string): Promise<WalkResult> {
  const client = createClient<paths>({ baseUrl });
  const signIn = await client.POST('/api/auth/signin', { body: { email, password } });
  const cookie = signIn.response.headers.get('set-cookie')?.split(';')[0];
  if (!signIn.data || !cookie) throw new Error('sign-in failed: ' + signIn.response.status);
  client.use({
    onRequest({ request }) {
      request.headers.set('cookie', cookie);
      return request;
    },
  });

  const created = await client.POST('/api/prompts', { body: { title: 'Generated client', content: 'Say hello.' } });
  if (!created.data) throw new Error('create failed: ' + JSON.stringify(created.error));
  const prompt = created.data.data;

  const added = await client.POST('/api/prompts/{id}/versions', {
    params: { path: { id: prompt.id } },
    body: { content: 'Say hello twice.' },
  });
  if (!added.data) throw new Error('new version failed: ' + JSON.stringify(added.error));

  const ran = await client.POST('/api/test-runs', {
    params: { query: { wait: true } },
    body: { promptId: prompt.id, model: 'gpt-5.4-mini' },
  });
  if (!ran.data) throw new Error('run failed: ' + JSON.stringify(ran.error));

  const runs = await client.GET('/api/test-runs', { params: { query: { promptId: prompt.id } } });
  if (!runs.data) throw new Error('list failed: ' + JSON.stringify(runs.error));

  return {
    promptType: prompt.type,
    versionNumber: added.data.data.versionNumber,
    runStatus: ran.data.data.status,
    runOutput: ran.data.data.output,
    listed: runs.data.data.items.map((run) => run.id),
  };
}
`;

/** Type-checks `file` (and what it imports) in strict mode; returns the diagnostics as text. */
function typeCheck(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describeEachDatabase('a client generated from GET /api/openapi.json', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let folder: string;

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: TEST_RUN_SETTINGS.apiKey as string });
  });
  after(() => fake.close());
  beforeEach(async () => {
    app = await startTestApp(database(), {}, { baseUrl: fake.url });
    // A project of its own, as a user's would be: the generated types, the walk, and this
    // repository's node_modules (for openapi-fetch) linked in.
    folder = mkdtempSync(join(tmpdir(), 'promptrefine-openapi-client-'));
    symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
    const document = await app.anonymous().get('/api/openapi.json');
    assert.equal(document.status, 200);
    writeFileSync(join(folder, 'api.ts'), astToString(await openapiTS(JSON.parse(document.text) as Parameters<typeof openapiTS>[0])));
  });
  afterEach(async () => {
    await app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('type-checks a v1 walk that leaves out every defaulted field, with zero diagnostics', function () {
    this.timeout(120_000); // the TypeScript compiler, on a shared machine
    writeFileSync(join(folder, 'walk.ts'), WALK);
    assert.deepEqual(typeCheck(join(folder, 'walk.ts')), []);
  });

  it('refuses, in the same check, what the service refuses: a version without content, wait as a string', function () {
    this.timeout(120_000);
    // The control: the check above is only worth something if the generated types can say no.
    // (A prompt's title is optional in the document since a prompt can come from a template.)
    const wrong = WALK.replace("body: { content: 'Say hello twice.' }", 'body: {}').replace(
      '{ wait: true }',
      "{ wait: 'true' }",
    );
    writeFileSync(join(folder, 'walk.ts'), wrong);
    const diagnostics = typeCheck(join(folder, 'walk.ts')).join('\n');
    assert.match(diagnostics, /Property 'content' is missing/);
    assert.match(diagnostics, /Type 'string' is not assignable to type 'boolean \| undefined'/);
  });

  it('runs the walk against the service', async function () {
    this.timeout(120_000);
    writeFileSync(join(folder, 'walk.ts'), WALK);
    const { walk } = (await import(pathToFileURL(join(folder, 'walk.ts')).href)) as {
      walk(baseUrl: string, email: string, password: string): Promise<{ promptType: string; versionNumber: number; runStatus: string; runOutput: string | null; listed: string[] }>;
    };
    const result = await walk(app.url, USER.email, USER.password);
    assert.equal(result.promptType, 'user');
    assert.equal(result.versionNumber, 2);
    assert.equal(result.runStatus, 'succeeded');
    assert.ok(result.runOutput, 'the finished run has output');
    assert.equal(result.listed.length, 1);
    // The run used what the service fills in for what was left out.
    const [runId] = result.listed;
    const api = await app.signedIn();
    const run = await api.ok<{ params: unknown; inputVariables: unknown; versionNumber: number }>('GET', `/api/test-runs/${runId}`);
    assert.deepEqual(run.params, {});
    assert.deepEqual(run.inputVariables, {});
    assert.equal(run.versionNumber, 2);
  });
});
