// The run panels built from the extension's connection: its client and session, its sign-in
// dialog, and the events after which open panels load again. Kept here so activation adds one line.
import type * as vscode from 'vscode';
import type { Connection } from '../vscode/connection.ts';
import type { PromptFileSystem } from '../vscode/prompt-fs.ts';
import { signInFlow } from '../vscode/sign-in.ts';
import { registerRunPanel, type RunPanels } from './panels.ts';

export function createRunPanels(context: vscode.ExtensionContext, connection: Connection, fs: PromptFileSystem): RunPanels {
  return registerRunPanel({
    context,
    client: () => connection.client,
    sessionCookie: () => connection.sessionCookie(),
    signIn: () => signInFlow(connection, 'Session expired.'),
    sessionExpired: () => connection.sessionExpired(),
    onDidChangePrompts: [fs.onDidSaveVersion, connection.onDidChange],
  });
}
