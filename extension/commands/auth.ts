// Sign In, Sign Out and the status-bar menu.
import * as vscode from 'vscode';
import { userMessage } from '../api/errors.ts';
import { openServiceUrlSetting } from '../vscode/actions.ts';
import { signInFlow } from '../vscode/sign-in.ts';
import { COMMANDS, type CommandKey } from '../catalog.ts';
import type { Handler, Services } from './services.ts';

export function authCommands(s: Services): Pick<Record<CommandKey, Handler>, 'signIn' | 'signOut' | 'showStatus'> {
  return {
    signIn: async () => {
      // The connection's new state reloads what shows prompts (vscode/change-feed.ts).
      await signInFlow(s.connection);
    },

    signOut: async () => {
      try {
        await s.connection.signOut();
        void vscode.window.showInformationMessage('Signed out of PromptRefine.');
      } catch (error) {
        // The session is forgotten here even when the service could not be told.
        void vscode.window.showWarningMessage(`Signed out here; the service was not told: ${userMessage(error)}`);
      }
    },

    showStatus: async () => {
      const local = s.connection.isLocal ? s.connection.local.service.current : undefined;
      // A failed local service is not started again by merely looking: Retry does that.
      const state = local?.kind === 'failed' ? s.connection.state : await s.connection.wake().catch(() => s.connection.state);
      const url = s.connection.isLocal ? 'the local service' : s.connection.targetUrl();
      const items: (vscode.QuickPickItem & { run: () => unknown })[] = [];
      const localTrouble = local?.kind === 'failed' || local?.kind === 'restarting';
      if (local) {
        if (local.kind === 'failed' || local.kind === 'restarting') {
          const detail = local.kind === 'failed' ? local.message : local.reason;
          items.push({ label: '$(refresh) Retry', detail, run: () => s.connection.wake() });
        }
        items.push({ label: '$(output) Show Local Service Log', run: () => s.connection.local.showLog() });
        items.push({ label: '$(key) Set OpenAI API Key…', run: () => vscode.commands.executeCommand(COMMANDS.setApiKey) });
      }
      if (state.kind === 'signedIn') {
        items.push({ label: '$(sign-out) Sign Out', run: () => vscode.commands.executeCommand(COMMANDS.signOut) });
        items.push({ label: '$(refresh) Refresh Prompts', run: () => vscode.commands.executeCommand(COMMANDS.refresh) });
      } else if (state.kind === 'unreachable') {
        if (!localTrouble) items.push({ label: '$(refresh) Retry', run: () => vscode.commands.executeCommand(COMMANDS.showStatus) });
      } else {
        items.push({ label: '$(sign-in) Sign In', run: () => vscode.commands.executeCommand(COMMANDS.signIn) });
      }
      items.push({ label: '$(gear) Open Settings (service URL)', run: openServiceUrlSetting });
      const title =
        local?.kind === 'failed'
          ? `The local service failed: ${local.message}`
          : state.kind === 'signedIn'
            ? `Signed in as ${state.user.email} at ${url}`
            : state.kind === 'unreachable'
              ? `Cannot reach ${url}`
              : `Not signed in to ${url}`;
      const picked = await vscode.window.showQuickPick(items, { title: `PromptRefine: ${title}` });
      await picked?.run();
    },
  };
}
