// The run panel host's requests for the Cases tab, History's "Save as case" and replay, and
// variables filled from code: what a webview sends goes in against the real service and the fake
// OpenAI server, and the replies and pushes it would get come out.
import assert from 'node:assert/strict';
import type { PromptWithVersion, TestCase, TestRun } from '../../contract/index.ts';
import { MAX_FILE_BYTES, type CodeSource, type PickedFile } from '../run-panel/code-text.ts';
import type { PanelUi } from '../run-panel/router.ts';
import { panelHarness } from './support/panel-harness.ts';
import { startRunService, type RunService } from './support/run-service.ts';

function panel(service: RunService, promptId: string, ui: Partial<PanelUi> = {}) {
  const h = panelHarness(service, promptId, { ui });
  return {
    ...h,
    async done(runId: string): Promise<TestRun> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const push = h.posted.find((m) => m.type === 'push' && m.name === 'runDone' && (m.payload as { run: TestRun }).run.id === runId);
        if (push?.type === 'push') return (push.payload as { run: TestRun }).run;
        if (Date.now() > deadline) throw new Error(`no runDone for ${runId}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

describe('run panel host: test cases, replay and variables from code', () => {
  let service: RunService;
  let prompt: PromptWithVersion;

  before(async () => {
    service = await startRunService();
    prompt = await service.prompts.createPrompt({ title: 'Summarize', content: 'Summarize {{topic}}.' });
  });
  after(async () => service?.close());

  it('adds, lists, edits and deletes cases; a refused regex names its field and writes nothing', async () => {
    const p = panel(service, prompt.id);
    await p.router.receive({ type: 'ready' });
    assert.deepEqual((await p.ok<{ items: TestCase[] }>('listCases', {})).items, []);

    const added = await p.ok<TestCase>('createCase', { name: 'short topic', inputVariables: { topic: 'SSE' }, input: null, expectations: [{ kind: 'contains', value: 'SSE' }, { kind: 'maxOutputTokens', value: 50 }] });
    assert.equal(added.promptId, prompt.id);
    assert.deepEqual(added.expectations, [{ kind: 'contains', value: 'SSE' }, { kind: 'maxOutputTokens', value: 50 }]);

    const refused = await p.fails('updateCase', { caseId: added.id, expectations: [{ kind: 'regex', value: '(a+)+$' }] });
    assert.equal(refused.kind, 'invalid');
    assert.equal(refused.details[0]?.path, 'expectations.0.value', JSON.stringify(refused.details));
    const badNew = await p.fails('createCase', { name: 'x', inputVariables: {}, input: null, expectations: [{ kind: 'maxLatencyMs', value: -1 }] });
    assert.equal(badNew.details[0]?.path, 'expectations.0.value');

    const edited = await p.ok<TestCase>('updateCase', { caseId: added.id, name: 'short topic, strict', expectations: [{ kind: 'regex', value: '/^echo/i' }, { kind: 'jsonValid', value: false }] });
    assert.equal(edited.name, 'short topic, strict');
    assert.deepEqual(edited.inputVariables, { topic: 'SSE' }, 'fields not sent stay');
    const listed = (await p.ok<{ items: TestCase[] }>('listCases', {})).items;
    assert.deepEqual(listed.map((c) => [c.name, c.expectations.length]), [['short topic, strict', 2]]);

    assert.equal(await p.ok('deleteCase', { caseId: added.id }), null);
    assert.deepEqual((await p.ok<{ items: TestCase[] }>('listCases', {})).items, []);
    assert.equal((await p.fails('deleteCase', { caseId: added.id })).kind, 'notFound');
  });

  it('saves a past run as a case, and replays it on the current version and on a given one', async () => {
    const p = panel(service, prompt.id);
    await p.router.receive({ type: 'ready' });
    const v1 = prompt.currentVersionId as string;
    const run = await p.ok<TestRun>('startRun', { promptVersionId: null, model: 'gpt-5.4', params: { maxOutputTokens: 300 }, inputVariables: { topic: 'caching' }, input: null });
    await p.ok('watchRun', { runId: run.id });
    assert.equal((await p.done(run.id)).output, 'Echo: Summarize caching.');

    const saved = await p.ok<TestCase>('caseFromRun', { runId: run.id, name: 'caching' });
    assert.deepEqual([saved.name, saved.inputVariables, saved.input], ['caching', { topic: 'caching' }, null]);
    const unnamed = await p.ok<TestCase>('caseFromRun', { runId: run.id });
    assert.match(unnamed.name, /^From the run of .*\(gpt-5\.4\)$/, "the service names it");
    const names = (await p.ok<{ items: TestCase[] }>('listCases', {})).items.map((c) => c.name);
    assert.ok(names.includes('caching'), names.join());

    await service.prompts.createVersion(prompt.id, { content: 'Summarize {{topic}} in one line.' });
    const replay = await p.ok<TestRun>('replayRun', { runId: run.id });
    assert.notEqual(replay.id, run.id);
    assert.equal(replay.versionNumber, 2);
    assert.deepEqual([replay.model, replay.params, replay.inputVariables], ['gpt-5.4', { maxOutputTokens: 300 }, { topic: 'caching' }]);
    await p.ok('watchRun', { runId: replay.id });
    assert.equal((await p.done(replay.id)).output, 'Echo: Summarize caching in one line.');

    const onV1 = await p.ok<TestRun>('replayRun', { runId: run.id, promptVersionId: v1 });
    assert.equal(onV1.versionNumber, 1);
    assert.equal((await p.fails('replayRun', { runId: crypto.randomUUID() })).kind, 'notFound');
  });

  describe('variables from code', () => {
    const file = (label: string, bytes: Uint8Array, size = bytes.byteLength): PickedFile & { reads: number } => {
      const picked = { label, size, reads: 0, read: async () => (picked.reads++, bytes) };
      return picked;
    };
    const source = (selection: ReturnType<CodeSource['selection']>, picked: PickedFile | null = null): CodeSource => ({ selection: () => selection, pickFile: async () => picked });

    it('answers with the selection of the editor last used, and says what to do when there is none', async () => {
      const p = panel(service, prompt.id, { code: source({ text: 'function add(a, b) {\n  return a + b;\n}', label: 'src/math.ts:3–5' }) });
      await p.router.receive({ type: 'ready' });
      assert.deepEqual(await p.ok('textFromSelection', {}), { text: 'function add(a, b) {\n  return a + b;\n}', from: 'src/math.ts:3–5' });

      const none = panel(service, prompt.id, { code: source(null) });
      await none.router.receive({ type: 'ready' });
      assert.match((await none.fails('textFromSelection', {})).message, /No text editor is open/);
      const empty = panel(service, prompt.id, { code: source({ text: '', label: 'src/math.ts' }) });
      await empty.router.receive({ type: 'ready' });
      assert.match((await empty.fails('textFromSelection', {})).message, /Nothing is selected in src\/math\.ts/);
      const elsewhere = panel(service, prompt.id);
      await elsewhere.router.receive({ type: 'ready' });
      assert.match((await elsewhere.fails('textFromFile', {})).message, /not available/);
    });

    it('reads a picked workspace file; refuses one over 1 MB without reading it, and binary files', async () => {
      const small = file('src/app.ts', new TextEncoder().encode('export const x = 1;\n'));
      const p = panel(service, prompt.id, { code: source(null, small) });
      await p.router.receive({ type: 'ready' });
      assert.deepEqual(await p.ok('textFromFile', {}), { text: 'export const x = 1;\n', from: 'src/app.ts' });

      const big = file('data/dump.sql', new Uint8Array(0), MAX_FILE_BYTES + 1);
      const tooBig = panel(service, prompt.id, { code: source(null, big) });
      await tooBig.router.receive({ type: 'ready' });
      assert.match((await tooBig.fails('textFromFile', {})).message, /data\/dump\.sql is 1\.0 MB: a variable takes a file of at most 1 MB/);
      assert.equal(big.reads, 0, 'the large file was not read');

      const binary = panel(service, prompt.id, { code: source(null, file('logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]))) });
      await binary.router.receive({ type: 'ready' });
      assert.match((await binary.fails('textFromFile', {})).message, /logo\.png is not UTF-8 text/);

      const canceled = panel(service, prompt.id, { code: source(null, null) });
      await canceled.router.receive({ type: 'ready' });
      assert.equal(await canceled.ok('textFromFile', {}), null);
    });
  });
});
