// The status-bar entry: who is signed in, or that the service cannot be reached. Clicking it
// offers what fits the state (Show Connection Status).
import * as vscode from 'vscode';
import { COMMANDS } from '../catalog.ts';
import type { Connection, ConnectionState } from './connection.ts';

function render(item: vscode.StatusBarItem, state: ConnectionState, serviceUrl: string): void {
  item.backgroundColor = undefined;
  switch (state.kind) {
    case 'checking':
      item.text = '$(sync~spin) PromptRefine';
      item.tooltip = `Connecting to ${serviceUrl}…`;
      break;
    case 'signedIn':
      item.text = `$(account) ${state.user.email}`;
      item.tooltip = `PromptRefine: signed in as ${state.user.email} at ${serviceUrl}. Click for account actions.`;
      break;
    case 'signedOut':
      item.text = '$(sign-in) PromptRefine: Sign In';
      item.tooltip = `PromptRefine: not signed in to ${serviceUrl}. Click to sign in.`;
      break;
    case 'unreachable':
      item.text = '$(debug-disconnect) PromptRefine: unreachable';
      item.tooltip = `${state.reason} Click to retry or change the URL.`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      break;
  }
}

export function createStatusBar(connection: Connection): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('promptrefine.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'PromptRefine';
  item.command = COMMANDS.showStatus;
  const update = () => render(item, connection.state, connection.client.serviceUrl);
  update();
  item.show();
  return vscode.Disposable.from(item, connection.onDidChange(update));
}
