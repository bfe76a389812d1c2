// The `promptrefine:` file system. The current version opens as an editable document; saving it
// creates a new immutable version on top of the one it was loaded from (documents/conflict.ts
// decides what happens when the prompt moved on). Every other version is read-only. When a prompt
// changes (here or in any other window), its open, unmodified current documents load the new
// current version.
import * as vscode from 'vscode';
import type { Version } from '../../contract/index.ts';
import { isApiError, userMessage } from '../api/errors.ts';
import { SETTINGS } from '../catalog.ts';
import { changesPrompts, promptChangesIn, type PromptChangeBatch, type PromptChanges } from '../changes/prompt-changes.ts';
import { conflictMessage, saveAsNewVersion, type ConflictChoice } from '../documents/conflict.ts';
import { SCHEME, currentLocation, isFolderPath, parseDocument, versionLocation, type PromptDocument } from '../documents/uri.ts';
import type { Actions } from './actions.ts';
import type { Connection } from './connection.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const currentUri = (promptId: string, title: string) => vscode.Uri.from({ scheme: SCHEME, ...currentLocation(promptId, title) });
export const versionUri = (promptId: string, title: string, version: Pick<Version, 'id' | 'versionNumber'>) =>
  vscode.Uri.from({ scheme: SCHEME, ...versionLocation(promptId, version.id, version.versionNumber, title) });

/** The prompt document a URI names, if it is one. */
export const documentAt = (uri: vscode.Uri): PromptDocument | undefined => (uri.scheme === SCHEME ? parseDocument(uri) : undefined);

export class PromptFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** The version each prompt's current document was loaded from: the base of its next save. */
  private readonly bases = new Map<string, Version | null>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connection: Connection,
    private readonly actions: Actions,
    private readonly changes: PromptChanges,
  ) {
    this.subscription = changes.onDidChange((batch) => this.reloadOpenDocuments(batch));
  }

  /** Which version the current document of a prompt is based on, as last loaded (for the variables status entry). */
  baseOf(promptId: string): Version | null | undefined {
    return this.bases.get(promptId);
  }

  /**
   * Open current documents of the changed prompts load the current version again. One with unsaved
   * edits keeps them (its save meets the service's conflict check); one holding the version this
   * window just saved has nothing to load.
   */
  private reloadOpenDocuments(batch: PromptChangeBatch): void {
    // Signed out there is nothing to load (an attempt would only fail); signing in reloads them all.
    if (this.connection.state.kind !== 'signedIn') return;
    const events: vscode.FileChangeEvent[] = [];
    for (const document of vscode.workspace.textDocuments) {
      const doc = documentAt(document.uri);
      if (doc?.kind !== 'current' || document.isDirty || !changesPrompts(batch, doc.promptId)) continue;
      const base = this.bases.get(doc.promptId);
      const ofThisPrompt = promptChangesIn(batch, doc.promptId);
      const holdsIt = !batch.everything && base && ofThisPrompt.every((c) => c.kind === 'version.created' && c.versionId === base.id);
      if (holdsIt) continue;
      this.bases.delete(doc.promptId);
      events.push({ type: vscode.FileChangeType.Changed, uri: document.uri });
    }
    if (events.length > 0) this.changed.fire(events);
  }

  watch(): vscode.Disposable {
    // Changes made elsewhere arrive through the change event (reloadOpenDocuments), not per file.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (isFolderPath(uri.path)) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const doc = this.documentOf(uri);
    if (doc.kind === 'version') {
      const version = await this.call(uri, () => this.connection.client.getVersion(doc.promptId, doc.versionId));
      return { ...fileStat(version.createdAt, version.content), permissions: vscode.FilePermission.Readonly };
    }
    // While a base is known its time is the file's time, so VS Code's own "file is newer" check never
    // pre-empts the service's 409, which knows better; a change of the prompt or a save moves the base on.
    const known = this.bases.get(doc.promptId);
    if (known !== undefined) return fileStat(known?.createdAt ?? '1970-01-01T00:00:00.000Z', known?.content ?? '');
    const prompt = await this.call(uri, () => this.connection.client.getPrompt(doc.promptId));
    return fileStat(prompt.currentVersion?.createdAt ?? prompt.createdAt, prompt.currentVersion?.content ?? '');
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const doc = this.documentOf(uri);
    if (doc.kind === 'version') {
      const version = await this.call(uri, () => this.connection.client.getVersion(doc.promptId, doc.versionId));
      return encoder.encode(version.content);
    }
    const prompt = await this.call(uri, () => this.connection.client.getPrompt(doc.promptId));
    this.bases.set(doc.promptId, prompt.currentVersion);
    return encoder.encode(prompt.currentVersion?.content ?? '');
  }

  async writeFile(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
    const doc = this.documentOf(uri);
    if (doc.kind === 'version') throw vscode.FileSystemError.NoPermissions('Old versions are read-only. Restore one to make it current.');
    const base = this.bases.get(doc.promptId) ?? null;
    const notes = await askForNotes(doc.title);
    if (notes === undefined) throw vscode.FileSystemError.Unavailable('Not saved: no notes were given (Escape cancels the save).');

    const outcome = await this.actions.run(`Saving a new version of ${doc.title}…`, () =>
      saveAsNewVersion(
        this.connection.client,
        { promptId: doc.promptId, content: decoder.decode(bytes), baseVersionId: base?.id ?? null, baseContent: base?.content, notes },
        (latest) => askOnConflict(conflictMessage(doc.title, base?.versionNumber ?? null, latest)),
      ),
    );
    if (!outcome) throw vscode.FileSystemError.Unavailable('Not saved. Your edits are still in the editor.');
    if (outcome.kind === 'unchanged') return;
    if (outcome.kind === 'saved') {
      this.bases.set(doc.promptId, outcome.version);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      this.changes.own({ kind: 'version.created', promptId: doc.promptId, versionId: outcome.version.id });
      void vscode.window.setStatusBarMessage(`PromptRefine: saved ${doc.title} as v${outcome.version.versionNumber}`, 5000);
      return;
    }
    const latest = outcome.latest.currentVersion;
    if (outcome.kind === 'compare' && latest) {
      await vscode.commands.executeCommand(
        'vscode.diff',
        versionUri(doc.promptId, doc.title, latest),
        uri,
        `${doc.title}: v${latest.versionNumber} (newer, saved elsewhere) ↔ your edit`,
      );
    }
    throw vscode.FileSystemError.Unavailable(
      `Not saved: "${doc.title}" has a newer version. Your edits are still in the editor; save again to choose.`,
    );
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Prompts are created with "PromptRefine: New Prompt".');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete prompts from the Prompts view; versions are never deleted.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Rename prompts with "PromptRefine: Rename Prompt".');
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private documentOf(uri: vscode.Uri): PromptDocument {
    const doc = parseDocument(uri);
    if (!doc) throw vscode.FileSystemError.FileNotFound(uri);
    return doc;
  }

  /** Service errors as the file-system errors VS Code knows how to show. */
  private async call<T>(uri: vscode.Uri, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isApiError(error, 'NOT_FOUND')) throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable(userMessage(error));
    }
  }
}

function fileStat(createdAt: string, content: string): vscode.FileStat {
  const time = Date.parse(createdAt);
  return { type: vscode.FileType.File, ctime: time, mtime: time, size: encoder.encode(content).byteLength };
}

/** '' when notes are not asked for; undefined when the user cancelled. */
async function askForNotes(title: string): Promise<string | undefined> {
  const ask = vscode.workspace.getConfiguration(SETTINGS.section).get<boolean>(SETTINGS.askForNotesOnSave) ?? false;
  if (!ask) return '';
  const notes = await vscode.window.showInputBox({
    title: `New version of ${title}`,
    prompt: 'Notes for this version (optional): what changed and why. Escape cancels the save.',
    ignoreFocusOut: true,
  });
  return notes?.trim();
}

async function askOnConflict(message: string): Promise<ConflictChoice> {
  const compare = 'Compare';
  const onTop = 'Save as New Version on Top';
  const choice = await vscode.window.showWarningMessage(message, { modal: true }, compare, onTop);
  if (choice === compare) return 'compare';
  return choice === onTop ? 'saveOnTop' : 'cancel';
}
