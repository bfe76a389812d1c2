// Activation: builds the connection, the Prompts tree, the promptrefine: file system, the run
// panels, the variable highlighting and the status bar, and registers the commands. Every registration is owned by the
// context, so VS Code disposes all of it on deactivation.
import * as vscode from 'vscode';
import { SETTINGS } from './commands/catalog.ts';
import { registerCommands } from './commands/register.ts';
import { SCHEME } from './documents/uri.ts';
import { registerRunPanel } from './run-panel/panels.ts';
import { createActions } from './vscode/actions.ts';
import { Connection } from './vscode/connection.ts';
import { PromptFileSystem } from './vscode/prompt-fs.ts';
import { PromptTree } from './vscode/prompt-tree.ts';
import { createStatusBar } from './vscode/status-bar.ts';
import { signInFlow } from './vscode/sign-in.ts';
import { registerVariables } from './vscode/variables.ts';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const connection = new Connection(context);
  const actions = createActions(connection);
  const tree = new PromptTree(connection, actions);
  const fs = new PromptFileSystem(connection, actions);
  const runPanels = registerRunPanel({
    context,
    client: () => connection.client,
    sessionCookie: () => connection.sessionCookie(),
    signIn: () => signInFlow(connection, 'Session expired.'),
    sessionExpired: () => connection.sessionExpired(),
    onDidChangePrompts: [fs.onDidSaveVersion, connection.onDidChange],
  });
  context.subscriptions.push(
    connection,
    tree,
    fs,
    runPanels,
    vscode.workspace.registerFileSystemProvider(SCHEME, fs, { isCaseSensitive: true }),
    registerVariables(fs),
    createStatusBar(connection),
    fs.onDidSaveVersion(() => tree.refresh()),
    connection.onDidChange(() => tree.refresh()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.serviceUrl}`)) void connection.serviceUrlChanged();
    }),
  );
  registerCommands({ context, connection, actions, tree, fs, runPanels });
  // Not awaited: activation must not wait for the network; the status bar shows "connecting" meanwhile.
  void connection.restore().catch((error: unknown) => {
    void vscode.window.showErrorMessage(`PromptRefine could not restore the session: ${String(error)}`);
  });
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
