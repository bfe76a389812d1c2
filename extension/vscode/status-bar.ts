// The status-bar entry: who is signed in, or that the service cannot be reached; with the local
// service, also its own state (starting, restarting after a crash, failed). Clicking it offers
// what fits the state (Show Connection Status).
import * as vscode from 'vscode';
import type { LocalServiceState } from '../local-service/local-service.ts';
import { COMMANDS } from '../catalog.ts';
import type { Connection, ConnectionState } from './connection.ts';

interface Look {
  text: string;
  tooltip: string;
  background?: 'warning' | 'error';
}

/** How the local service's own state shows, when it says more than the connection does. */
export function localServiceLook(state: LocalServiceState, connection: ConnectionState): Look | undefined {
  switch (state.kind) {
    case 'starting':
      return {
        text: '$(sync~spin) PromptRefine: starting',
        tooltip: state.firstRun
          ? 'Starting the local PromptRefine service for the first time: it creates its database, which takes a few seconds longer.'
          : 'Starting the local PromptRefine service…',
      };
    case 'restarting':
      return {
        text: '$(sync~spin) PromptRefine: restarting',
        tooltip: `PromptRefine: ${state.reason}. Restarting it in ${Math.max(1, Math.round(state.inMs / 1000))} s (attempt ${state.attempt}). Click for its log.`,
        background: 'warning',
      };
    case 'failed':
      return { text: '$(error) PromptRefine: service failed', tooltip: `${state.message} Click to retry or to see its log.`, background: 'error' };
    case 'stopped':
      return connection.kind === 'checking'
        ? { text: '$(database) PromptRefine', tooltip: 'Your prompts are kept by a local PromptRefine service. It starts when you open the PromptRefine view.' }
        : undefined;
    case 'running':
      return undefined;
  }
}

function connectionLook(state: ConnectionState, where: string): Look {
  switch (state.kind) {
    case 'checking':
      return { text: '$(sync~spin) PromptRefine', tooltip: `Connecting to ${where}…` };
    case 'signedIn':
      return { text: `$(account) ${state.user.email}`, tooltip: `PromptRefine: signed in as ${state.user.email} at ${where}. Click for account actions.` };
    case 'signedOut':
      return { text: '$(sign-in) PromptRefine: Sign In', tooltip: `PromptRefine: not signed in to ${where}. Click to sign in.` };
    case 'unreachable':
      return { text: '$(debug-disconnect) PromptRefine: unreachable', tooltip: `${state.reason} Click to retry or change the URL.`, background: 'warning' };
  }
}

export function createStatusBar(connection: Connection): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('promptrefine.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'PromptRefine';
  item.command = COMMANDS.showStatus;
  const update = () => {
    const local = connection.isLocal ? connection.local.service.current : undefined;
    const where = connection.isLocal ? 'the local service' : connection.targetUrl();
    const look = (local && localServiceLook(local, connection.state)) ?? connectionLook(connection.state, where);
    item.text = look.text;
    item.tooltip = look.tooltip;
    item.backgroundColor = look.background ? new vscode.ThemeColor(`statusBarItem.${look.background}Background`) : undefined;
  };
  update();
  item.show();
  return vscode.Disposable.from(item, connection.onDidChange(update), connection.local.onDidChangeState(update));
}
