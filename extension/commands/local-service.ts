// The OpenAI key and the local service's log. The key lives only in VS Code's secret storage; the
// local service gets it in its environment when it starts, so keeping or clearing it restarts the
// service. A remote service has its own key where it runs, which these commands cannot change.
import * as vscode from 'vscode';
import { apiKeyProblem } from '../local-service/settings.ts';
import { API_KEY_SECRET, type CommandKey } from '../catalog.ts';
import type { Handler, Services } from './services.ts';

export function localServiceCommands(s: Services): Pick<Record<CommandKey, Handler>, 'setApiKey' | 'clearApiKey' | 'showServiceLog'> {
  const { connection, context } = s;
  const restart = async (done: string) => {
    if (!connection.isLocal) {
      void vscode.window.showInformationMessage(
        `${done} It is used by the local service; the service at ${connection.targetUrl()} uses the OPENAI_API_KEY where it runs.`,
      );
      return;
    }
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${done} Restarting the local service…` }, () =>
        connection.local.restartIfStarted('the OpenAI API key changed'),
      );
      void vscode.window.showInformationMessage(`${done} The local service uses it from now on.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`${done} The local service did not restart: ${error instanceof Error ? error.message : String(error)}`, 'Show Log').then(
        (choice) => choice && connection.local.showLog(),
      );
    }
  };
  return {
    setApiKey: async () => {
      const key = await vscode.window.showInputBox({
        title: 'PromptRefine: Set OpenAI API Key',
        prompt: 'Your OpenAI API key (or the key of the OpenAI-compatible API set in promptrefine.openaiBaseUrl). Kept in VS Code’s secret storage, never in settings or a file.',
        placeHolder: 'sk-…',
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => apiKeyProblem(value),
      });
      if (key === undefined) return;
      await context.secrets.store(API_KEY_SECRET, key.trim());
      await restart('OpenAI API key saved.');
    },
    clearApiKey: async () => {
      if (!(await context.secrets.get(API_KEY_SECRET))) {
        void vscode.window.showInformationMessage('No OpenAI API key is kept by PromptRefine.');
        return;
      }
      await context.secrets.delete(API_KEY_SECRET);
      await restart('OpenAI API key removed.');
    },
    showServiceLog: () => {
      connection.local.showLog();
    },
  };
}
