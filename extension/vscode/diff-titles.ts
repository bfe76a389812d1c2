// Keeps the titles of open "v<N> ↔ current (v<M>)" diffs true: VS Code cannot rename an open tab,
// so a diff whose current version moved on is opened again with the right title beside it, and
// the old one closed (in that order: closing first could close its group, and the new diff would
// land in another). The new diff's left side says which current version it is compared against
// (`against=` in the query, ignored by the file system), or VS Code would only show the old tab. A
// visible diff is redone when the change arrives; one in a background tab when it is next shown,
// so no tab jumps to the front by itself. A diff with unsaved edits is left alone.
import * as vscode from 'vscode';
import type { PromptWithVersion } from '../../contract/index.ts';
import { changesPrompts, type PromptChanges } from '../changes/prompt-changes.ts';
import { currentDiffTitle } from '../documents/diff-title.ts';
import type { PromptDocument } from '../documents/uri.ts';
import type { Connection } from './connection.ts';
import { documentAt } from './prompt-fs.ts';

interface CurrentDiff {
  tab: vscode.Tab;
  input: vscode.TabInputTextDiff;
  version: Extract<PromptDocument, { kind: 'version' }>;
  promptId: string;
}

function currentDiffOf(tab: vscode.Tab): CurrentDiff | undefined {
  const input = tab.input;
  if (!(input instanceof vscode.TabInputTextDiff)) return undefined;
  const version = documentAt(input.original);
  const current = documentAt(input.modified);
  if (version?.kind !== 'version' || current?.kind !== 'current' || version.promptId !== current.promptId) return undefined;
  return { tab, input, version, promptId: current.promptId };
}

const openCurrentDiffs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).flatMap((tab) => currentDiffOf(tab) ?? []);

export function keepDiffTitles(connection: Connection, changes: PromptChanges): vscode.Disposable {
  /** Each prompt as last loaded, for diffs redone when shown. */
  const known = new Map<string, PromptWithVersion>();

  async function retitle(diff: CurrentDiff): Promise<void> {
    const prompt = known.get(diff.promptId);
    if (!prompt || diff.tab.isDirty) return;
    const title = currentDiffTitle(prompt.title, diff.version.versionNumber, prompt.currentVersionNumber);
    if (diff.tab.label === title) return;
    const { original, modified } = diff.input;
    const query = new URLSearchParams(original.query);
    query.set('against', String(prompt.currentVersionNumber ?? 0));
    const options: vscode.TextDocumentShowOptions = { viewColumn: diff.tab.group.viewColumn, preview: diff.tab.isPreview, preserveFocus: true };
    await vscode.commands.executeCommand('vscode.diff', original.with({ query: query.toString() }), modified, title, options);
    await vscode.window.tabGroups.close(diff.tab, true);
  }

  const subscriptions = [
    changes.onDidChange((batch) => {
      void (async () => {
        const diffs = openCurrentDiffs().filter((diff) => changesPrompts(batch, diff.promptId));
        for (const promptId of new Set(diffs.map((diff) => diff.promptId))) {
          const prompt = await connection.client.getPrompt(promptId).catch(() => undefined);
          if (prompt) known.set(promptId, prompt);
          else known.delete(promptId);
        }
        for (const diff of diffs) if (diff.tab.isActive) await retitle(diff);
      })().catch((error: unknown) => console.warn('PromptRefine: could not update a diff title', error));
    }),
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      for (const tab of event.changed) {
        const diff = tab.isActive ? currentDiffOf(tab) : undefined;
        if (diff) void retitle(diff).catch((error: unknown) => console.warn('PromptRefine: could not update a diff title', error));
      }
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}
