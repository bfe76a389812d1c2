// Commands on a prompt: new, open, run, rename, edit tags, delete.
import * as vscode from 'vscode';
import type { Prompt } from '../../contract/index.ts';
import type { CommandKey } from '../catalog.ts';
import { openCurrentDocument } from '../vscode/prompt-actions.ts';
import { documentAt } from '../vscode/prompt-fs.ts';
import type { Handler, Services } from './services.ts';
import { promptTarget } from './targets.ts';

type PromptCommands = 'newPrompt' | 'openPrompt' | 'runPrompt' | 'renamePrompt' | 'editTags' | 'deletePrompt';

/** "a, b , c" → ["a", "b", "c"]; the service says what is wrong with a tag. */
function parseTags(input: string): string[] {
  return input
    .split(',')
    .map((t) => t.trim().replace(/^#/, ''))
    .filter(Boolean);
}

/** Closes the unmodified tabs of a deleted prompt; a modified one stays so no edit is lost. */
async function closeTabsOf(promptId: string): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => {
      const input = tab.input;
      const uris =
        input instanceof vscode.TabInputText ? [input.uri] : input instanceof vscode.TabInputTextDiff ? [input.original, input.modified] : [];
      return !tab.isDirty && uris.some((uri) => documentAt(uri)?.promptId === promptId);
    });
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

export function promptCommands(s: Services): Pick<Record<CommandKey, Handler>, PromptCommands> {
  return {
    newPrompt: async () => {
      const title = await vscode.window.showInputBox({
        title: 'PromptRefine: New Prompt (1/3)',
        prompt: 'Title',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Enter a title'),
      });
      if (title === undefined) return;
      const type = await vscode.window.showQuickPick(
        [
          { label: 'User prompt', description: 'the text is the user message', value: 'user' as const },
          { label: 'System prompt', description: 'the text is the instructions; each run supplies the input', value: 'system' as const },
        ],
        { title: 'PromptRefine: New Prompt (2/3)', placeHolder: 'What kind of prompt?', ignoreFocusOut: true },
      );
      if (!type) return;
      const tags = await vscode.window.showInputBox({
        title: 'PromptRefine: New Prompt (3/3)',
        prompt: 'Tags, separated by commas (optional)',
        ignoreFocusOut: true,
      });
      if (tags === undefined) return;
      // Text selected in the editor becomes version 1; otherwise version 1 starts empty.
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
      const created = await s.actions.run('Creating the prompt…', () =>
        s.connection.client.createPrompt({ title, type: type.value, tags: parseTags(tags), content: selected, notes: 'Created' }),
      );
      if (!created) return;
      s.changes.own({ kind: 'prompt.created', promptId: created.id });
      await openCurrentDocument(s, created);
    },

    openPrompt: async (arg) => {
      const prompt = await promptTarget(s, arg, 'Open which prompt?');
      if (prompt) await openCurrentDocument(s, prompt);
    },

    runPrompt: async (arg) => {
      const prompt = await promptTarget(s, arg, 'Run which prompt?');
      if (prompt) s.runPanels.open(prompt);
    },

    renamePrompt: async (arg) => {
      const prompt = await promptTarget(s, arg, 'Rename which prompt?');
      if (!prompt) return;
      const title = await vscode.window.showInputBox({ title: `Rename "${prompt.title}"`, value: prompt.title, prompt: 'New title' });
      if (title === undefined || title === prompt.title) return;
      if (await s.actions.run('Renaming…', () => s.connection.client.updatePrompt(prompt.id, { title }))) {
        s.changes.own({ kind: 'prompt.updated', promptId: prompt.id });
      }
    },

    editTags: async (arg) => {
      const prompt = await promptTarget(s, arg, 'Edit the tags of which prompt?');
      if (!prompt) return;
      const input = await vscode.window.showInputBox({
        title: `Tags of "${prompt.title}"`,
        prompt: 'Tags, separated by commas; empty removes them all',
        value: prompt.tags.join(', '),
      });
      if (input === undefined) return;
      if (await s.actions.run('Saving tags…', () => s.connection.client.updatePrompt(prompt.id, { tags: parseTags(input) }))) {
        s.changes.own({ kind: 'prompt.updated', promptId: prompt.id });
      }
    },

    deletePrompt: async (arg) => {
      const prompt = await promptTarget(s, arg, 'Delete which prompt?');
      if (!prompt) return;
      const choice = await vscode.window.showWarningMessage(
        `Delete "${prompt.title}"?`,
        {
          modal: true,
          detail: 'It leaves the Prompts list. Its versions and test runs are kept in the database, so no history is lost.',
        },
        'Delete',
      );
      if (choice !== 'Delete') return;
      const deleted = await s.actions.run('Deleting…', () => s.connection.client.deletePrompt(prompt.id).then(() => true));
      if (!deleted) return;
      await closeTabsOf(prompt.id);
      s.changes.own({ kind: 'prompt.deleted', promptId: prompt.id });
      void vscode.window.showInformationMessage(`Deleted "${prompt.title}". Its history is kept on the service.`);
    },
  };
}
