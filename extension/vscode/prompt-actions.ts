// What a user does to a prompt's documents and versions, as plain functions: the commands call
// them with the tree row or the picked version, and the run panel calls them with the version it
// shows. No command is run by its string and no tree row is made up for the purpose.
import * as vscode from 'vscode';
import type { Prompt, PromptWithVersion, Version } from '../../contract/index.ts';
import type { PromptChanges } from '../changes/prompt-changes.ts';
import type { Actions } from './actions.ts';
import type { Connection } from './connection.ts';
import { currentUri, versionUri } from './prompt-fs.ts';

export interface PromptActionDeps {
  connection: Connection;
  actions: Actions;
  changes: PromptChanges;
}

/**
 * Checks the session before VS Code opens a promptrefine: document. VS Code shows a failed read
 * only as "Unable to open"; asking first lets an expired session be signed in again and the
 * opening carry on. Answers the prompt as it is now.
 */
export function readyToOpen(d: PromptActionDeps, promptId: string): Promise<PromptWithVersion | undefined> {
  return d.actions.run('Opening…', () => d.connection.client.getPrompt(promptId));
}

/** The editable document of the prompt's current version. */
export async function openCurrentDocument(d: PromptActionDeps, prompt: Pick<Prompt, 'id' | 'title'>): Promise<void> {
  if (await readyToOpen(d, prompt.id)) await vscode.window.showTextDocument(currentUri(prompt.id, prompt.title), { preview: false });
}

/** A version: the current one opens editable, any other read-only. */
export async function openVersion(d: PromptActionDeps, prompt: Prompt, version: Version): Promise<void> {
  const now = await readyToOpen(d, prompt.id);
  if (!now) return;
  if (now.currentVersionId === version.id) {
    await vscode.window.showTextDocument(currentUri(now.id, now.title), { preview: false });
    return;
  }
  await vscode.window.showTextDocument(versionUri(now.id, now.title, version), { preview: true });
}

/**
 * Makes `version` current again as a new version on top (history is never rewritten). The change
 * event tells the tree, open documents, diff titles and run panels.
 */
export async function restoreVersion(d: PromptActionDeps, prompt: Prompt, version: Version): Promise<Version | undefined> {
  if (prompt.currentVersionId === version.id) {
    void vscode.window.showInformationMessage(`v${version.versionNumber} is already the current version of "${prompt.title}".`);
    return undefined;
  }
  const restored = await d.actions.run(`Restoring v${version.versionNumber}…`, () => d.connection.client.restoreVersion(prompt.id, version.id));
  if (!restored) return undefined;
  d.changes.own({ kind: 'version.created', promptId: prompt.id, versionId: restored.id });
  void vscode.window.showInformationMessage(
    `Restored v${version.versionNumber} of "${prompt.title}" as the new v${restored.versionNumber}. Nothing was removed from its history.`,
  );
  return restored;
}
