// Which prompt or version a command acts on: the tree row it was invoked on, else the prompt
// document in the active editor, else one the user picks (so every command works from the palette).
import * as vscode from 'vscode';
import type { Prompt, Version } from '../../contract/index.ts';
import { isTreeNode, type PromptNode, type VersionNode } from '../tree/model.ts';
import { documentAt } from '../vscode/prompt-fs.ts';
import type { Services } from './services.ts';

export interface VersionTarget {
  prompt: Prompt;
  version: Version;
}

function isPromptOrVersionNode(arg: unknown): arg is PromptNode | VersionNode {
  return isTreeNode(arg) && arg.kind !== 'more';
}

function activePromptDocument() {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && documentAt(uri);
}

export async function promptTarget(s: Services, arg: unknown, placeHolder: string): Promise<Prompt | undefined> {
  if (isPromptOrVersionNode(arg)) return arg.prompt;
  const doc = activePromptDocument();
  if (doc) return s.actions.run('Loading the prompt…', () => s.connection.client.getPrompt(doc.promptId));
  return pickPrompt(s, placeHolder);
}

export async function versionTarget(s: Services, arg: unknown, placeHolder: string): Promise<VersionTarget | undefined> {
  if (isPromptOrVersionNode(arg) && arg.kind === 'version') return { prompt: arg.prompt, version: arg.version };
  const doc = activePromptDocument();
  if (doc?.kind === 'version') {
    return s.actions.run('Loading the version…', async () => ({
      prompt: await s.connection.client.getPrompt(doc.promptId),
      version: await s.connection.client.getVersion(doc.promptId, doc.versionId),
    }));
  }
  const prompt = await promptTarget(s, arg, 'Which prompt?');
  if (!prompt) return undefined;
  const version = await pickVersion(s, prompt, placeHolder);
  return version && { prompt, version };
}

interface Item<T> extends vscode.QuickPickItem {
  value?: T;
}

/** Prompts matching what is typed, searched on the service (titles by similarity). */
export async function pickPrompt(s: Services, placeHolder: string): Promise<Prompt | undefined> {
  const page = await s.actions.run('Loading prompts…', () => s.connection.client.listPrompts({ limit: 200 }));
  if (!page) return undefined;
  if (page.items.length === 0) {
    void vscode.window.showInformationMessage('There are no prompts yet. Create one with "PromptRefine: New Prompt".');
    return undefined;
  }
  const items: Item<Prompt>[] = page.items.map((prompt) => ({
    label: prompt.title,
    description: [prompt.currentVersionNumber ? `v${prompt.currentVersionNumber}` : 'no version', ...prompt.tags.map((t) => `#${t}`)].join(' '),
    value: prompt,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, ignoreFocusOut: true });
  return picked?.value;
}

/** A version of `prompt`, newest first, loading older pages only when asked. */
export async function pickVersion(
  s: Services,
  prompt: Prompt,
  placeHolder: string,
  exclude?: string,
): Promise<Version | undefined> {
  const loaded: Version[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await s.actions.run('Loading versions…', () => s.connection.client.listVersions(prompt.id, { limit: 50, cursor }));
    if (!page) return undefined;
    loaded.push(...page.items);
    cursor = page.nextCursor;
    const items: Item<Version>[] = loaded
      .filter((v) => v.id !== exclude)
      .map((v) => ({
        label: `v${v.versionNumber}${v.id === prompt.currentVersionId ? ' (current)' : ''}`,
        description: v.notes ?? '',
        detail: new Date(v.createdAt).toLocaleString(),
        value: v,
      }));
    if (cursor) items.push({ label: '$(ellipsis) Load older versions…' });
    const picked = await vscode.window.showQuickPick(items, { placeHolder: `${prompt.title}: ${placeHolder}`, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.value) return picked.value;
  }
}
