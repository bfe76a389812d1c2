// The sign-in dialog: service URL (prefilled from the setting), email, password. Used by the
// Sign In command and when a session expires in the middle of an action.
import * as vscode from 'vscode';
import { asSentence, isApiError, ServiceUnreachableError, userMessage } from '../api/errors.ts';
import { configuredServiceUrl, type Connection } from './connection.ts';

function validUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'Use an http:// or https:// URL';
  } catch {
    return 'Enter the URL the service prints when it starts, such as http://127.0.0.1:8787';
  }
}

/** Asks and signs in; true when signed in. Wrong credentials are asked again, with the service's words. */
export async function signInFlow(connection: Connection, reason?: string): Promise<boolean> {
  const serviceUrl = await vscode.window.showInputBox({
    title: 'PromptRefine: Sign In (1/3)',
    prompt: reason ? `${reason} Service URL` : 'Service URL (the setting promptrefine.serviceUrl)',
    value: configuredServiceUrl(),
    ignoreFocusOut: true,
    validateInput: validUrl,
  });
  if (serviceUrl === undefined) return false;
  const email = await vscode.window.showInputBox({
    title: 'PromptRefine: Sign In (2/3)',
    prompt: 'Email',
    value: connection.lastEmail ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter the email the service was started with'),
  });
  if (email === undefined) return false;
  let problem: string | undefined;
  for (;;) {
    const password = await askPassword(problem);
    if (password === undefined) return false;
    try {
      const user = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Signing in to ${serviceUrl.trim()}…` },
        () => connection.signIn(serviceUrl, email.trim(), password),
      );
      void vscode.window.showInformationMessage(`Signed in to PromptRefine as ${user.email}.`);
      return true;
    } catch (error) {
      if (isApiError(error, 'UNAUTHENTICATED') || isApiError(error, 'INVALID_INPUT')) {
        problem = asSentence(userMessage(error));
        continue;
      }
      const retry = error instanceof ServiceUnreachableError ? 'Retry' : undefined;
      const choice = await vscode.window.showErrorMessage(userMessage(error), ...(retry ? [retry] : []));
      if (choice === retry && retry) return signInFlow(connection, reason);
      return false;
    }
  }
}

/**
 * The password box. After a refused sign-in it opens with the service's words as an error under
 * the field (showInputBox can only show a message once the user types), cleared by typing.
 */
function askPassword(problem: string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = 'PromptRefine: Sign In (3/3)';
    box.prompt = 'Password';
    box.password = true;
    box.ignoreFocusOut = true;
    box.validationMessage = problem ? { message: problem, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
    let answer: string | undefined;
    box.onDidChangeValue(() => {
      box.validationMessage = undefined;
    });
    box.onDidAccept(() => {
      if (!box.value) {
        box.validationMessage = { message: 'Enter the password', severity: vscode.InputBoxValidationSeverity.Error };
        return;
      }
      answer = box.value;
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(answer);
    });
    box.show();
  });
}
