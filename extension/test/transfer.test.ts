// Templates, export and import as the extension's commands do them, against the real service: a
// prompt from a template, a download into a file, that file imported into another service, and
// what the notifications and the quick pick say.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportSummary, Template } from '../../contract/index.ts';
import { PromptRefineClient } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { ServiceHttp } from '../api/http.ts';
import { TransferClient } from '../api/transfer.ts';
import { exportFileName, firstLines, importSummaryMessage, templateChoices } from '../transfer/choices.ts';
import { TEST_EMAIL, TEST_PASSWORD, startTestService, type TestService } from './support/service.ts';

async function signedIn(service: TestService): Promise<{ client: PromptRefineClient; transfer: TransferClient }> {
  let cookie: string | undefined;
  const http = new ServiceHttp({ serviceUrl: () => service.url, sessionCookie: () => cookie });
  const client = new PromptRefineClient(http);
  cookie = (await client.signIn(TEST_EMAIL, TEST_PASSWORD)).sessionCookie;
  return { client, transfer: new TransferClient(http) };
}

describe('templates, export and import from the extension, against the real service', function () {
  this.timeout(300_000);
  let source: TestService;
  let target: TestService;
  let folder: string;

  before(async () => {
    [source, target] = await Promise.all([startTestService(), startTestService()]);
    folder = mkdtempSync(join(tmpdir(), 'promptrefine-transfer-'));
  });
  after(async () => {
    await Promise.all([source?.close(), target?.close()]);
    rmSync(folder, { recursive: true, force: true });
  });

  it('lists the built-in templates first and makes a prompt whose version 1 is the template', async () => {
    const { client, transfer } = await signedIn(source);
    const templates = await transfer.listTemplates();
    assert.ok(templates.length >= 8);
    assert.ok(templates[0]?.builtIn);
    const review = templates.find((t) => t.id === 'builtin:review-diff') as Template;
    const created = await transfer.createFromTemplate(review.id, 'Review my diff');
    assert.equal(created.title, 'Review my diff');
    assert.equal(created.currentVersion?.content, review.content);
    assert.match(created.currentVersion?.notes ?? '', /Review a diff/);
    assert.equal((await client.getPrompt(created.id)).currentVersionNumber, 1);
  });

  it('downloads a prompt, imports it into another service, and a second import creates nothing', async () => {
    const { client } = await signedIn(source);
    const prompt = await client.createPrompt({ title: 'Exported', content: 'Explain {{topic}}.' });
    await client.createVersion(prompt.id, { content: 'Explain {{topic}} briefly.' });
    const { transfer } = await signedIn(source);
    const file = join(folder, 'exported.json');
    let seen = 0;
    await transfer.download({ promptId: prompt.id, format: 'json' }, file, (done) => (seen = done));
    assert.ok(seen > 0, 'progress was reported');
    assert.deepEqual(readdirSync(folder).filter((f) => f.endsWith('.partial')), []);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { format: string; prompts: { versions: unknown[] }[] };
    assert.equal(document.format, 'promptrefine/v1');
    assert.equal(document.prompts[0]?.versions.length, 2);

    const other = await signedIn(target);
    const first = await other.transfer.importFile(file);
    assert.deepEqual(first.created, { prompts: 1, versions: 2, testRuns: 0, cases: 0 });
    const again = await other.transfer.importFile(file);
    assert.deepEqual(again.created, { prompts: 0, versions: 0, testRuns: 0, cases: 0 });
    assert.equal(again.skipped.prompts, 1);
    assert.equal((await other.client.getPrompt(prompt.id)).currentVersionNumber, 2);
  });

  it('exports to the same file twice at once (a double click) without a failure or a mixed file', async () => {
    const { client, transfer } = await signedIn(source);
    const prompt = await client.createPrompt({ title: 'Clicked twice', content: 'Twice {{x}}.' });
    const file = join(folder, 'twice.json');
    await Promise.all([
      transfer.download({ promptId: prompt.id, format: 'json' }, file),
      transfer.download({ promptId: prompt.id, format: 'json' }, file),
    ]);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { prompts: { id: string }[] };
    assert.equal(document.prompts[0]?.id, prompt.id);
    assert.deepEqual(readdirSync(folder).filter((f) => f.endsWith('.partial')), [], 'no partial file is left');
  });

  it('leaves no file when the export is refused, and reports an invalid import with its path', async () => {
    const { transfer } = await signedIn(source);
    const file = join(folder, 'missing.md');
    await assert.rejects(
      transfer.download({ promptId: '00000000-0000-4000-8000-00000000dead', format: 'markdown' }, file),
      (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND',
    );
    assert.ok(!existsSync(file));
    assert.deepEqual(readdirSync(folder).filter((f) => f.endsWith('.partial')), []);
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'promptrefine/v1', exportedAt: new Date().toISOString(), prompts: [{ id: 'nope' }] }));
    await assert.rejects(transfer.importFile(bad), (e: unknown) => e instanceof ApiError && e.code === 'INVALID_INPUT' && /prompts\.0/.test(e.message));
  });

  it('says what it shows: template choices, file names and the import summary', () => {
    const [choice] = templateChoices([
      { id: 'builtin:x', title: 'Explain', type: 'system', description: 'Explains code.', content: '\nYou explain code.\n\nTo {{reader}}.\nMore.', tags: [], builtIn: true, createdAt: '2026-11-28T00:00:00.000Z' },
    ]);
    assert.equal(choice?.detail, 'You explain code. ⏎ To {{reader}}.');
    assert.match(choice?.description ?? '', /^system prompt · Explains code\.$/);
    assert.equal(firstLines('a'.repeat(200)).length, 140);
    assert.equal(exportFileName('Review: my diff (v2)!', 'markdown'), 'review-my-diff-v2.md');
    assert.equal(exportFileName('Écrire des tests', 'typescript'), 'ecrire-des-tests.prompt.ts');
    assert.equal(exportFileName('???', 'json'), 'prompt.json');
    assert.equal(exportFileName('Any', 'promptfoo'), 'promptfooconfig.yaml');
    const zero = { prompts: 0, versions: 0, testRuns: 0, cases: 0 };
    const summary: ImportSummary = {
      created: { prompts: 1, versions: 2, testRuns: 0, cases: 0 },
      skipped: zero,
      conflicts: [{ kind: 'version', id: '00000000-0000-4000-8000-000000000001', message: 'other content' }],
    };
    assert.equal(
      importSummaryMessage(summary),
      'Imported: 1 prompt, 2 versions, 0 runs, 0 cases created; 0 prompts, 0 versions, 0 runs, 0 cases already there (skipped); 1 conflict: existing records with other content were left as they were.',
    );
  });
});
