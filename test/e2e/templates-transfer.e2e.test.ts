// Templates, export and import in a real VS Code (code-server): a prompt from a built-in template
// through the view's +, the prompt exported as Markdown through the save dialog, and a backup from
// another service imported through the open dialog, with its summary.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PromptRefineClient } from '../../extension/api/client.ts';
import { ServiceHttp } from '../../extension/api/http.ts';
import { TransferClient } from '../../extension/api/transfer.ts';
import { loadConfig } from '../../service/config.ts';
import { startService, type RunningService } from '../../service/server.ts';
import { E2eSuite, screenshotOnFailure } from './support/lifecycle.ts';
import type { Workbench } from './support/workbench.ts';

const EMAIL = 'transfer@example.com';
const PASSWORD = 'transfer-password';
const TITLE = 'Review my change';
const IMPORTED = 'Imported from a backup';

describe('Templates, export and import in a real VS Code (code-server)', function () {
  this.timeout(120_000);
  const e2e = new E2eSuite('e2e-transfer');
  let service: RunningService | undefined;
  let elsewhere: RunningService | undefined;
  let workbench: Workbench;
  let root: string;
  let api: PromptRefineClient;

  const serviceOn = (folder: string) =>
    startService(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        PROMPTREFINE_DATA_DIR: join(root, folder),
        PROMPTREFINE_EMAIL: EMAIL,
        PROMPTREFINE_PASSWORD: PASSWORD,
        LOG_LEVEL: 'silent',
      }),
    );

  async function signedIn(url: string): Promise<{ client: PromptRefineClient; transfer: TransferClient }> {
    let cookie: string | undefined;
    const http = new ServiceHttp({ serviceUrl: () => url, sessionCookie: () => cookie });
    const client = new PromptRefineClient(http);
    cookie = (await client.signIn(EMAIL, PASSWORD)).sessionCookie;
    return { client, transfer: new TransferClient(http) };
  }

  before(async function () {
    this.timeout(300_000);
    root = await e2e.prepare('promptrefine-e2e-transfer-');
    [service, elsewhere] = await Promise.all([serviceOn('database'), serviceOn('elsewhere')]);
    api = (await signedIn(service.url)).client;
    workbench = await e2e.open({ settings: { 'promptrefine.serviceUrl': service.url } });
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(async function () {
    this.timeout(60_000);
    await elsewhere?.close();
    await e2e.close(service);
  });

  it('makes a prompt from a built-in template with the view’s +, and opens it for editing', async () => {
    await workbench.openActivity('PromptRefine');
    await workbench.signIn(service?.url ?? '', EMAIL, PASSWORD);
    await workbench.sideBar().getByText('No prompts yet.').waitFor();

    // The view's title actions show while the pointer is over the view.
    await workbench.sideBar().hover();
    await workbench.sideBar().locator('.actions-container a[aria-label="New Prompt…"]').first().click();
    await workbench.pick('From a template…');
    const picker = workbench.quickInput().filter({ hasText: 'New Prompt from Template (1/2)' });
    // Each template shows its description and how it starts.
    await picker.getByText('Find bugs, risks and unclear code in a change before it is merged.').waitFor();
    await workbench.screenshot('01-template-pick');
    await workbench.pick('Review a diff');
    assert.equal(await workbench.inputValue('New Prompt from Template (2/2)'), 'Review a diff', 'the title comes prefilled');
    await workbench.answer('New Prompt from Template (2/2)', TITLE);

    await workbench.tab(`${TITLE} · current.prompt`).waitFor();
    assert.match(await workbench.editorText(), /Review this change to a \{\{language\}\} codebase/);
    await workbench.treeRow(TITLE).waitFor();
    const [made] = (await api.listPrompts({})).items;
    assert.equal(made?.title, TITLE);
    assert.match((await api.getPrompt(made.id)).currentVersion?.notes ?? '', /Review a diff/);
  });

  it('exports the open prompt as Markdown through the save dialog', async () => {
    const target = join(root, 'workspace', 'review-my-change.md');
    await workbench.runCommand('PromptRefine: Export Prompt…');
    await workbench.pick('Markdown');
    // code-server's save dialog is a quick input holding the path: it suggests a file named for the
    // prompt in the workspace folder, which is accepted as is.
    const input = workbench.quickInput().filter({ hasText: 'Export "' }).locator('input.input');
    await input.waitFor();
    const deadline = Date.now() + 30_000;
    while ((await input.inputValue()) !== target && Date.now() < deadline) await workbench.page.waitForTimeout(100);
    assert.equal(await input.inputValue(), target);
    await workbench.page.keyboard.press('Enter');
    await workbench.notification(`Exported "${TITLE}" to ${target}.`).waitFor();
    const markdown = readFileSync(target, 'utf8');
    assert.match(markdown, new RegExp(`^# ${TITLE}`, 'm'));
    assert.match(markdown, /Review this change to a \{\{language\}\} codebase/);
    assert.ok(!existsSync(`${target}.partial`));
  });

  it('imports a backup from another service through the open dialog and says what it created', async () => {
    const other = await signedIn(elsewhere?.url ?? '');
    const prompt = await other.client.createPrompt({ title: IMPORTED, content: 'Summarize {{thread}}.' });
    await other.client.createVersion(prompt.id, { content: 'Summarize {{thread}} in three bullets.' });
    const backup = join(root, 'workspace', 'backup.json'); // the workspace folder the dialog opens on
    await other.transfer.download({ format: 'json' }, backup);

    await workbench.runCommand('PromptRefine: Import Prompts…');
    // code-server's open dialog lists the workspace folder (JSON files only): choose the backup.
    const dialog = workbench.quickInput().filter({ hasText: 'Import Prompts' });
    await dialog.locator('.monaco-list-row', { hasText: 'backup.json' }).click();
    await workbench.page.keyboard.press('Enter');
    await workbench.notification('Imported: 1 prompt, 2 versions, 0 runs, 0 cases created').waitFor();
    await workbench.treeRow(IMPORTED).waitFor();
    await workbench.screenshot('02-imported');
    assert.equal((await api.getPrompt(prompt.id)).currentVersionNumber, 2);
  });
});
