// Commands for templates, export and import: New Prompt from Template…, Add Prompt… (the view's +:
// blank or from a template), Export Prompt…, Export All Prompts…, Import Prompts….
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { WorkspaceExportFormat } from '../../contract/index.ts';
import { TransferClient, type TransferProgress } from '../api/transfer.ts';
import type { CommandKey } from '../catalog.ts';
import { conflictReport, EXPORT_FORMATS, exportFileName, importSummaryMessage, templateChoices } from '../transfer/choices.ts';
import { openCurrentDocument } from '../vscode/prompt-actions.ts';
import type { Handler, Services } from './services.ts';
import { promptTarget } from './targets.ts';

type TransferCommands = 'addPrompt' | 'newPromptFromTemplate' | 'exportPrompt' | 'exportAllPrompts' | 'importPrompts';

/** A folder to suggest in save and open dialogs: the workspace's, else the home folder. */
const defaultFolder = () => vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());

/** Runs a transfer with a notification that shows the bytes and can be cancelled. */
function withTransferProgress<T>(title: string, work: (progress: TransferProgress, signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (report, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let shown = 0;
    const megabytes = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
    return work((done, total) => {
      const increment = total ? ((done - shown) / total) * 100 : undefined;
      shown = done;
      report.report({ message: total ? `${megabytes(done)} of ${megabytes(total)}` : megabytes(done), ...(increment ? { increment } : {}) });
    }, controller.signal);
  }));
}

export function transferCommands(s: Services): Pick<Record<CommandKey, Handler>, TransferCommands> {
  const transfer = () => new TransferClient(s.connection.http);

  const newPromptFromTemplate = async () => {
    const templates = await s.actions.run('Loading the templates…', () => transfer().listTemplates());
    if (!templates) return;
    const choice = await vscode.window.showQuickPick(templateChoices(templates), {
      title: 'PromptRefine: New Prompt from Template (1/2)',
      placeHolder: 'Start from which template?',
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    });
    if (!choice) return;
    const title = await vscode.window.showInputBox({
      title: 'PromptRefine: New Prompt from Template (2/2)',
      prompt: 'Title',
      value: choice.template.title,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a title'),
    });
    if (title === undefined) return;
    const created = await s.actions.run('Creating the prompt…', () => transfer().createFromTemplate(choice.template.id, title.trim()));
    if (!created) return;
    s.changes.own({ kind: 'prompt.created', promptId: created.id });
    await openCurrentDocument(s, created);
  };

  return {
    addPrompt: async () => {
      const how = await vscode.window.showQuickPick(
        [
          { label: '$(new-file) Blank prompt', description: 'the selected text, if any, becomes version 1', blank: true },
          { label: '$(library) From a template…', description: 'review a diff, write tests, a commit message…', blank: false },
        ],
        { title: 'PromptRefine: New Prompt', placeHolder: 'Start from', ignoreFocusOut: true },
      );
      if (!how) return;
      if (how.blank) await vscode.commands.executeCommand('promptrefine.newPrompt');
      else await newPromptFromTemplate();
    },

    newPromptFromTemplate,

    exportPrompt: async (arg) => {
      const prompt = await promptTarget(s, arg, 'Export which prompt?');
      if (!prompt) return;
      const format = await vscode.window.showQuickPick(EXPORT_FORMATS, { title: `PromptRefine: Export "${prompt.title}"`, placeHolder: 'Format' });
      if (!format) return;
      const target = await vscode.window.showSaveDialog({
        title: `Export "${prompt.title}" as ${format.label}`,
        defaultUri: vscode.Uri.joinPath(defaultFolder(), exportFileName(prompt.title, format.format)),
        filters: { [format.label]: [format.extension] },
      });
      if (!target) return;
      const done = await s.actions.run(`Exporting ${prompt.title}…`, () =>
        transfer()
          .download({ promptId: prompt.id, format: format.format }, target.fsPath)
          .then(() => true),
      );
      if (done) await offerToOpen(`Exported "${prompt.title}" to ${target.fsPath}.`, target);
    },

    exportAllPrompts: async () => {
      const formats: { label: string; description: string; format: WorkspaceExportFormat; extension: string }[] = [
        { label: 'JSON (promptrefine/v1)', description: 'a lossless backup that Import Prompts… reads back', format: 'json', extension: 'json' },
        { label: 'Markdown', description: 'every prompt, for reading', format: 'markdown', extension: 'md' },
      ];
      const format = await vscode.window.showQuickPick(formats, { title: 'PromptRefine: Export All Prompts', placeHolder: 'Format' });
      if (!format) return;
      const date = new Date().toISOString().slice(0, 10);
      const target = await vscode.window.showSaveDialog({
        title: `Export every prompt as ${format.label}`,
        defaultUri: vscode.Uri.joinPath(defaultFolder(), `promptrefine-${date}.${format.extension}`),
        filters: { [format.label]: [format.extension] },
      });
      if (!target) return;
      const done = await s.actions.run('Exporting every prompt…', () =>
        withTransferProgress('PromptRefine: exporting every prompt', (progress, signal) =>
          transfer()
            .download({ format: format.format }, target.fsPath, progress, signal)
            .then(() => true),
        ),
      );
      if (done) await offerToOpen(`Exported every prompt to ${target.fsPath}.`, target);
    },

    importPrompts: async () => {
      const [file] =
        (await vscode.window.showOpenDialog({
          title: 'PromptRefine: Import Prompts (a promptrefine/v1 JSON export)',
          defaultUri: defaultFolder(),
          canSelectMany: false,
          filters: { 'PromptRefine export': ['json'] },
        })) ?? [];
      if (!file) return;
      const summary = await s.actions.run('Importing…', () =>
        withTransferProgress(`PromptRefine: importing ${file.fsPath}`, (progress, signal) => transfer().importFile(file.fsPath, progress, signal)),
      );
      if (!summary) return;
      // The change feed announces what was created; this window also shows it at once.
      s.changes.everything();
      const message = importSummaryMessage(summary);
      if (summary.conflicts.length === 0) {
        void vscode.window.showInformationMessage(message);
        return;
      }
      const pick = await vscode.window.showWarningMessage(message, 'Show Conflicts');
      if (pick) {
        const document = await vscode.workspace.openTextDocument({ content: conflictReport(summary), language: 'markdown' });
        await vscode.window.showTextDocument(document, { preview: false });
      }
    },
  };
}

async function offerToOpen(message: string, file: vscode.Uri): Promise<void> {
  const pick = await vscode.window.showInformationMessage(message, 'Open');
  if (pick) await vscode.window.showTextDocument(file, { preview: false });
}

