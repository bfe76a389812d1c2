// The single-version formats: a TypeScript module that renders exactly as the service does
// (compiled with tsc --strict and run), and a promptfoo config that parses and says what it should.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import type { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

// Everything the renderer has to get right: spaces inside braces, `.` and `-` in names, a name used
// twice, something that only looks like a variable, and values holding replacement patterns.
const CONTENT = 'Hi {{ name }}! Check {{a.b}} and {{x-y}}.\n`code` \\ "quotes" {{name}} again, {not a var} {{ not valid! }}, ${no} interpolation';
const VALUES = { name: 'Ada $& $1', 'a.b': 'dots\nand lines', 'x-y': '{{name}}' };

/** Compiles `files` with tsc --strict; returns its diagnostics, and writes the JavaScript into `dir`. */
function compileStrict(dir: string, entry: string): string[] {
  const program = ts.createProgram([join(dir, entry)], {
    strict: true,
    noEmitOnError: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    outDir: join(dir, 'out'),
    skipLibCheck: true,
    types: [],
  });
  const emitted = program.emit();
  return ts
    .getPreEmitDiagnostics(program)
    .concat(emitted.diagnostics)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describeEachDatabase('export formats', (database) => {
  let fake: FakeOpenAI;
  let app: TestApp;
  let api: ApiClient;
  let dir: string;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    app = await startTestApp(database(), {}, { baseUrl: fake.url });
    api = await app.signedIn();
    dir = mkdtempSync(join(tmpdir(), 'promptrefine-ts-'));
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports a version as a TypeScript function that compiles with --strict and renders exactly what the service sends', async () => {
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Odd names: a.b & x-y', content: CONTENT });
    const run = await api.ok<TestRun>('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-5.4-mini', inputVariables: VALUES });
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const sent = fake.requests.at(-1)?.body?.input;
    assert.equal(typeof sent, 'string');

    const res = await api.get(`/api/prompts/${prompt.id}/export?format=typescript`);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^text\/typescript/);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="odd-names-a-b-x-y.v1.ts"');
    const source = res.text;
    assert.ok(source.includes(`// Odd names: a.b & x-y\n// PromptRefine prompt ${prompt.id}, version 1 (${prompt.currentVersionId}).`), source.slice(0, 300));

    writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
    writeFileSync(join(dir, 'prompt.ts'), source);
    writeFileSync(
      join(dir, 'use.ts'),
      `import { renderOddNamesABXY, oddNamesABXYPrompt } from './prompt.js';\n` +
        `export const rendered: string = renderOddNamesABXY(${JSON.stringify(VALUES)});\n` +
        `export const versionNumber: 1 = oddNamesABXYPrompt.versionNumber;\n`,
    );
    assert.deepEqual(compileStrict(dir, 'use.ts'), []);
    mkdirSync(join(dir, 'out'), { recursive: true });
    writeFileSync(join(dir, 'out', 'package.json'), '{"type": "module"}');
    const used = (await import(pathToFileURL(join(dir, 'out', 'use.js')).href)) as { rendered: string };
    assert.equal(used.rendered, sent);

    // The variables are typed: leaving one out does not compile.
    writeFileSync(join(dir, 'missing.ts'), `import { renderOddNamesABXY } from './prompt.js';\nrenderOddNamesABXY({ name: 'x', 'a.b': 'y' });\n`);
    const errors = compileStrict(dir, 'missing.ts');
    assert.ok(errors.some((e) => e.includes('x-y') && e.includes('missing')), errors.join('\n'));
  });

  it('exports a chosen version, and a prompt without variables as a function without arguments', async () => {
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: '42', type: 'system', content: 'Be brief.' });
    await api.ok('POST', `/api/prompts/${prompt.id}/versions`, { content: 'Be brief, {{who}}.' });
    const v1 = await api.get(`/api/prompts/${prompt.id}/export?format=typescript&versionId=${prompt.currentVersionId}`);
    assert.match(v1.text, /export function renderPrompt42\(\): string \{\n {2}return "Be brief\.";\n\}/);
    assert.match(v1.text, /system prompt/);
    const current = await api.get(`/api/prompts/${prompt.id}/export?format=typescript`);
    assert.match(current.text, /version 2/);
    assert.match(current.text, /readonly "who": string;/);
    const empty = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Empty' });
    const none = await api.get(`/api/prompts/${empty.id}/export?format=typescript`);
    assert.equal(none.status, 400);
    assert.equal(none.body.error?.details[0]?.path, 'versionId');
  });

  it('exports a promptfoo config: the version as prompt, its model as provider, recent runs as tests', async () => {
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Review', content: 'Review {{ a.b }} in {{x-y}} {% not a tag %} {{lang}}' });
    await api.ok('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-4.1', params: { temperature: 0.3, maxOutputTokens: 300 }, inputVariables: { 'a.b': 'one', 'x-y': 'two', lang: 'Go' } });
    await api.ok('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-4.1', params: { temperature: 0.3 }, inputVariables: { 'a.b': 'three', 'x-y': 'four', lang: 'C' } });
    // The same variables again: one test, not two.
    await api.ok('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-4.1', params: { temperature: 0.3 }, inputVariables: { 'a.b': 'three', 'x-y': 'four', lang: 'C' } });
    const res = await api.get(`/api/prompts/${prompt.id}/export?format=promptfoo`);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/yaml/);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="promptfooconfig.yaml"');
    const config = parseYaml(res.text) as {
      description: string;
      prompts: { label: string; raw: string }[];
      providers: { id: string; config?: Record<string, unknown> }[];
      tests: { description: string; vars: Record<string, string> }[];
    };
    assert.equal(config.description, 'Review (version 1)');
    // gpt-4.1 is called through the API the catalog says, with the parameters of its latest run.
    const api41 = (await api.ok<{ id: string; api: string }[]>('GET', '/api/models')).find((m) => m.id === 'gpt-4.1')?.api ?? 'chat';
    assert.deepEqual(config.providers, [{ id: `openai:${api41}:gpt-4.1`, config: { temperature: 0.3 } }]);
    assert.equal(config.prompts[0]?.raw, 'Review {{ a_b }} in {{ x_y }}{% raw %} {% not a tag %} {% endraw %}{{ lang }}');
    assert.deepEqual(
      config.tests.map((t) => t.vars),
      [
        { a_b: 'three', x_y: 'four', lang: 'C' },
        { a_b: 'one', x_y: 'two', lang: 'Go' },
      ],
    );
    assert.match(res.text, /a\.b → a_b, x-y → x_y/);
  });

  it('exports a system prompt for promptfoo as a chat whose user message is the run input', async () => {
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Sys', type: 'system', content: 'You review "{{lang}}" code.\nBe kind.' });
    await api.ok('POST', '/api/test-runs?wait=true', { promptId: prompt.id, model: 'gpt-5.4-mini', inputVariables: { lang: 'Go' }, input: 'func main() {}' });
    const config = parseYaml((await api.get(`/api/prompts/${prompt.id}/export?format=promptfoo`)).text) as {
      prompts: { raw: string }[];
      providers: { id: string }[];
      tests: { vars: Record<string, string> }[];
    };
    assert.equal(config.providers[0]?.id, 'openai:responses:gpt-5.4-mini');
    assert.equal(
      config.prompts[0]?.raw,
      '[{"role": "system", "content": {{ ("You review \\"" ~ lang ~ "\\" code.\\nBe kind.") | dump }}}, {"role": "user", "content": {{ input | dump }}}]',
    );
    assert.deepEqual(config.tests[0]?.vars, { lang: 'Go', input: 'func main() {}' });
  });
});
