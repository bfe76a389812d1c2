// Activation: builds the connection, the one "prompts changed" event, the Prompts tree, the
// promptrefine: file system, the run panels, the variable highlighting and the status bar, and
// registers the commands. Every registration is owned by the context, so VS Code disposes all of
// it on deactivation.
import * as vscode from 'vscode';
import { SETTINGS } from './catalog.ts';
import { registerCommands } from './commands/register.ts';
import { SCHEME } from './documents/uri.ts';
import { registerRunPanel } from './run-panel/panels.ts';
import { createActions } from './vscode/actions.ts';
import { createPromptChanges } from './vscode/change-feed.ts';
import { Connection } from './vscode/connection.ts';
import { keepDiffTitles } from './vscode/diff-titles.ts';
import { openVersion, restoreVersion } from './vscode/prompt-actions.ts';
import { PromptFileSystem } from './vscode/prompt-fs.ts';
import { PromptTree } from './vscode/prompt-tree.ts';
import { createStatusBar } from './vscode/status-bar.ts';
import { signInFlow } from './vscode/sign-in.ts';
import { registerVariables } from './vscode/variables.ts';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const connection = new Connection(context);
  const { changes, disposable: changeFeed } = createPromptChanges(connection);
  const actions = createActions(connection);
  const deps = { connection, actions, changes };
  const tree = new PromptTree(connection, actions, changes);
  const fs = new PromptFileSystem(connection, actions, changes);
  const runPanels = registerRunPanel({
    context,
    prompts: connection.client,
    runs: connection.runs,
    signIn: () => signInFlow(connection, 'Session expired.'),
    sessionExpired: () => connection.sessionExpired(),
    restoreVersion: (prompt, version) => restoreVersion(deps, prompt, version),
    openVersion: (prompt, version) => openVersion(deps, prompt, version),
    onDidChangePrompts: (listener) => changes.onDidChange(listener),
  });
  context.subscriptions.push(
    connection,
    changeFeed,
    tree,
    fs,
    runPanels,
    vscode.workspace.registerFileSystemProvider(SCHEME, fs, { isCaseSensitive: true }),
    registerVariables(fs, changes),
    keepDiffTitles(connection, changes),
    createStatusBar(connection),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.serviceUrl}`)) void connection.serviceUrlChanged();
    }),
  );
  registerCommands({ context, connection, actions, tree, fs, runPanels, changes });
  // Not awaited: activation must not wait for the network; the status bar shows "connecting" meanwhile.
  void connection.restore().catch((error: unknown) => {
    void vscode.window.showErrorMessage(`PromptRefine could not restore the session: ${String(error)}`);
  });
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
