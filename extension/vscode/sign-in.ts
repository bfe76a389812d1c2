// The sign-in dialog: service URL (prefilled from the setting; not asked for the local service),
// email, password. When the service has no account yet it creates one instead: email, then the
// password twice, with the one-time setup token (read from the local service's data folder, or
// asked for a remote service). Used by the Sign In command and when a session expires in the
// middle of an action.
import * as vscode from 'vscode';
import { asSentence, isApiError, LocalServiceUnavailableError, ServiceUnreachableError, userMessage } from '../api/errors.ts';
import { DEFAULT_SERVICE_URL } from '../catalog.ts';
import { configuredServiceUrl, type Connection } from './connection.ts';

/** The service's own minimum (POST /api/auth/setup), checked here first so the user is told at once. */
export const MIN_PASSWORD_LENGTH = 12;

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
  const local = connection.isLocal;
  let serviceUrl = '';
  if (!local) {
    const answer = await vscode.window.showInputBox({
      title: 'PromptRefine: Sign In (1/3)',
      prompt: reason ? `${reason} Service URL` : 'Service URL (the setting promptrefine.serviceUrl)',
      value: configuredServiceUrl() || DEFAULT_SERVICE_URL,
      ignoreFocusOut: true,
      validateInput: validUrl,
    });
    if (answer === undefined) return false;
    serviceUrl = answer;
  }
  const where = local ? 'the local PromptRefine service' : serviceUrl.trim();
  // A service with no account yet: there is nothing to sign in to, the account is created instead.
  let setupRequired = false;
  try {
    setupRequired = (
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: local ? 'Starting the local PromptRefine service…' : `Connecting to ${where}…` }, () =>
        connection.clientFor(serviceUrl).session(),
      )
    ).setupRequired;
  } catch (error) {
    if (error instanceof ServiceUnreachableError) return failed(connection, error, () => signInFlow(connection, reason));
    // A service of the first release answers without setupRequired: it has its account.
  }
  if (setupRequired) return createAccountFlow(connection, serviceUrl);
  const step = (n: number) => (local ? `${n - 1}/2` : `${n}/3`);
  const email = await vscode.window.showInputBox({
    title: `PromptRefine: Sign In (${step(2)})`,
    prompt: 'Email',
    value: connection.lastEmail ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter the email the service was started with'),
  });
  if (email === undefined) return false;
  let problem: string | undefined;
  for (;;) {
    const password = await askPassword({ title: `PromptRefine: Sign In (${step(3)})`, prompt: 'Password' }, problem);
    if (password === undefined) return false;
    try {
      const user = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Signing in to ${where}…` },
        () => connection.signIn(serviceUrl, email.trim(), password),
      );
      void vscode.window.showInformationMessage(`Signed in to PromptRefine as ${user.email}.`);
      return true;
    } catch (error) {
      if (isApiError(error, 'UNAUTHENTICATED') || isApiError(error, 'INVALID_INPUT')) {
        problem = asSentence(userMessage(error));
        continue;
      }
      return failed(connection, error, () => signInFlow(connection, reason));
    }
  }
}

/** Says what went wrong and offers the way out: another try, and for the local service its log. */
async function failed(connection: Connection, error: unknown, retry: () => Promise<boolean>): Promise<boolean> {
  const actions = error instanceof ServiceUnreachableError ? ['Retry'] : [];
  if (error instanceof LocalServiceUnavailableError) actions.push('Show Log');
  const choice = await vscode.window.showErrorMessage(userMessage(error), ...actions);
  if (choice === 'Retry') return retry();
  if (choice === 'Show Log') connection.local.showLog();
  return false;
}

/**
 * The first account: email, then the password twice, created with the setup token. The local
 * service's token is read from its data folder (only this user can read it); a remote service's
 * is asked for, saying where it is.
 */
export async function createAccountFlow(connection: Connection, serviceUrl: string): Promise<boolean> {
  let token = connection.isLocal ? connection.local.setupToken() : undefined;
  if (connection.isLocal && !token) {
    return failed(
      connection,
      new Error(`The local service's setup token is missing from ${connection.local.dataDir}. Restart VS Code to start the service again, which writes a new one; its log says more.`),
      async () => false,
    );
  }
  const title = (n: number) => `PromptRefine: Create your account (${n}/3)`;
  if (!token) {
    token = await vscode.window.showInputBox({
      title: 'PromptRefine: Create your account — setup token',
      prompt:
        `${serviceUrl.trim()} has no account yet. Paste its one-time setup token: the file setup-token in the service's data folder ` +
        '(PROMPTREFINE_DATA_DIR, by default ~/.promptrefine), also printed on its console when it started.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Paste the token from the setup-token file'),
    });
    if (token === undefined) return false;
    token = token.trim();
  }
  const email = await vscode.window.showInputBox({
    title: title(1),
    prompt: 'Your email: you sign in with it',
    value: connection.lastEmail ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (/^\S+@\S+$/.test(v.trim()) ? undefined : 'Enter an email address, such as you@example.com'),
  });
  if (email === undefined) return false;
  let problem: string | undefined;
  for (;;) {
    const password = await askPassword({ title: title(2), prompt: `Choose a password (at least ${MIN_PASSWORD_LENGTH} characters)`, minLength: MIN_PASSWORD_LENGTH }, problem);
    if (password === undefined) return false;
    const again = await askPassword({ title: title(3), prompt: 'The same password again' }, undefined);
    if (again === undefined) return false;
    if (again !== password) {
      problem = 'The two passwords differ. Choose it again.';
      continue;
    }
    try {
      const user = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Creating your account…' }, () =>
        connection.createAccount(serviceUrl, token, email.trim(), password),
      );
      void vscode.window.showInformationMessage(`Your PromptRefine account ${user.email} is ready: you are signed in.`);
      return true;
    } catch (error) {
      if (isApiError(error, 'INVALID_INPUT')) {
        problem = asSentence(userMessage(error));
        continue;
      }
      if (isApiError(error, 'CONFLICT')) {
        // Someone (another window, the terminal) created it meanwhile: signing in is what is left.
        void vscode.window.showInformationMessage('The account was created meanwhile. Sign in with it.');
        return signInFlow(connection);
      }
      if (isApiError(error, 'UNAUTHENTICATED') && !connection.isLocal) {
        void vscode.window.showErrorMessage(`${userMessage(error)} Check the setup token and try again.`);
        return createAccountFlow(connection, serviceUrl);
      }
      return failed(connection, error, () => createAccountFlow(connection, serviceUrl));
    }
  }
}

/**
 * The password box. After a refused sign-in it opens with the service's words as an error under
 * the field (showInputBox can only show a message once the user types), cleared by typing.
 */
function askPassword(ask: { title: string; prompt: string; minLength?: number }, problem: string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = ask.title;
    box.prompt = ask.prompt;
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
      if (ask.minLength && box.value.length < ask.minLength) {
        box.validationMessage = { message: `Use at least ${ask.minLength} characters`, severity: vscode.InputBoxValidationSeverity.Error };
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
