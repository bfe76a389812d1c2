// Runs a user's action with progress and the recovery policy of api/recovery.ts: an expired session
// is signed in again and the action carries on; an unreachable service offers Retry and the setting.
import * as vscode from 'vscode';
import { isApiError, type ServiceUnreachableError, userMessage } from '../api/errors.ts';
import { runWithRecovery, type RecoveryUi } from '../api/recovery.ts';
import type { Connection } from './connection.ts';
import { signInFlow } from './sign-in.ts';

export function openServiceUrlSetting(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', 'promptrefine.serviceUrl');
}

export function recoveryUi(connection: Connection): RecoveryUi {
  return {
    async signInAgain() {
      connection.sessionExpired();
      const choice = await vscode.window.showWarningMessage(
        'Your PromptRefine session has expired. Sign in again to carry on.',
        'Sign In',
      );
      return choice === 'Sign In' && signInFlow(connection, 'Session expired.');
    },
    async unreachable(error: ServiceUnreachableError) {
      connection.markUnreachable(error);
      // Kept in the Output channel too: VS Code lists a notification that comes in a burst of others
      // only in its Notification Center, and the user may look here for what happened.
      connection.local.note(`an action could not reach the service: ${error.message}`);
      const choice = await vscode.window.showErrorMessage(
        `${error.message} Is it running? Start it with \`npm start\`, or change the URL in the settings.`,
        'Retry',
        'Open Settings',
      );
      if (choice === 'Open Settings') void openServiceUrlSetting();
      if (choice !== 'Retry') return 'give-up';
      await connection.check();
      return 'retry';
    },
    failed(error: unknown) {
      if (isApiError(error, 'UNAUTHENTICATED')) connection.sessionExpired();
      void vscode.window.showErrorMessage(userMessage(error));
    },
  };
}

export interface Actions {
  /** Runs `work` with a progress indicator and recovery; undefined when it failed or the user gave up. */
  run<T>(title: string, work: () => Promise<T>): Promise<T | undefined>;
  readonly ui: RecoveryUi;
}

export function createActions(connection: Connection): Actions {
  const ui = recoveryUi(connection);
  return {
    ui,
    run: (title, work) =>
      runWithRecovery(() => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, work)), ui),
  };
}
