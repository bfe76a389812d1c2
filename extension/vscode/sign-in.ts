// The sign-in dialog: service URL (prefilled from the setting; not asked for the local service),
// email, password. When the service has no account yet it creates one instead: email, then the
// password twice, with the one-time setup token (read from the local service's data folder, or
// asked for a remote service). Used by the Sign In command and when a session expires in the
// middle of an action.
import * as vscode from 'vscode';
import { asSentence, isApiError, LocalServiceUnavailableError, ServiceUnreachableError, userMessage } from '../api/errors.ts';
import { DEFAULT_SERVICE_URL } from '../catalog.ts';
import type { User } from '../../contract/index.ts';
import { configuredServiceUrl, type Connection } from './connection.ts';
import { inputStep } from './input-step.ts';

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

/** Whether the service at `serviceUrl` ('' is the local one) still waits for its first account. */
async function setupRequiredAt(connection: Connection, serviceUrl: string): Promise<boolean> {
  try {
    return (await connection.clientFor(serviceUrl).session()).setupRequired === true;
  } catch (error) {
    if (error instanceof ServiceUnreachableError) throw error;
    // A service of the first release answers without setupRequired: it has its account.
    return false;
  }
}

const createBox = () => vscode.window.createInputBox();

/**
 * Asks and signs in; true when signed in. Wrong credentials are asked again, with the service's words.
 * Connecting and signing in show their progress in the box just answered (input-step.ts says why
 * not in a notification): a sign-in raises one notification, "Signed in".
 */
export async function signInFlow(connection: Connection, reason?: string): Promise<boolean> {
  const local = connection.isLocal;
  let serviceUrl = '';
  // A service with no account yet: there is nothing to sign in to, the account is created instead.
  let setupRequired: boolean;
  try {
    if (local) {
      // No box is open here, and the first start takes seconds: this one is a notification.
      setupRequired = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local PromptRefine service…' }, () =>
        setupRequiredAt(connection, ''),
      );
    } else {
      const answer = await inputStep(
        createBox,
        {
          title: 'PromptRefine: Sign In (1/3)',
          prompt: reason ? `${reason} Service URL` : 'Service URL (the setting promptrefine.serviceUrl)',
          value: configuredServiceUrl() || DEFAULT_SERVICE_URL,
          validate: validUrl,
        },
        async (url) => ({ value: { url, setupRequired: await setupRequiredAt(connection, url) } }),
      );
      if (answer === undefined) return false;
      serviceUrl = answer.url;
      setupRequired = answer.setupRequired;
    }
  } catch (error) {
    if (error instanceof ServiceUnreachableError) return failed(connection, error, () => signInFlow(connection, reason));
    throw error;
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
    let signedIn: OrAgain<User> | undefined;
    try {
      signedIn = await inputStep<OrAgain<User>>(createBox, { title: `PromptRefine: Sign In (${step(3)})`, prompt: 'Password', password: true, problem }, async (password, canceled) => {
        const missing = passwordProblem(password);
        if (missing) return { problem: missing };
        try {
          return { value: { done: await connection.signIn(serviceUrl, email.trim(), password, canceled) } };
        } catch (error) {
          // Refused: the box opens again with the service's words under the field.
          if (isApiError(error, 'UNAUTHENTICATED') || isApiError(error, 'INVALID_INPUT')) return { value: { again: asSentence(userMessage(error)) } };
          throw error;
        }
      });
    } catch (error) {
      return failed(connection, error, () => signInFlow(connection, reason));
    }
    if (signedIn === undefined) return false;
    if ('again' in signedIn) {
      problem = signedIn.again;
      continue;
    }
    void vscode.window.showInformationMessage(`Signed in to PromptRefine as ${signedIn.done.email}.`);
    return true;
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
    const password = await inputStep(createBox, { title: title(2), prompt: `Choose a password (at least ${MIN_PASSWORD_LENGTH} characters)`, password: true, problem }, async (value) => {
      const invalid = passwordProblem(value, MIN_PASSWORD_LENGTH);
      return invalid ? { problem: invalid } : { value };
    });
    if (password === undefined) return false;
    // The account is created while the second box stays open, busy; a refusal of the password
    // itself asks for it again from the first box.
    let created: OrAgain<User> | undefined;
    try {
      created = await inputStep<OrAgain<User>>(createBox, { title: title(3), prompt: 'The same password again', password: true }, async (again, canceled) => {
        const missing = passwordProblem(again);
        if (missing) return { problem: missing };
        if (again !== password) return { value: { again: 'The two passwords differ. Choose it again.' } };
        try {
          return { value: { done: await connection.createAccount(serviceUrl, token, email.trim(), password, canceled) } };
        } catch (error) {
          // Closed while the account was created: it exists, and the user is told how to use it.
          if (canceled.aborted && error === canceled.reason) void vscode.window.showInformationMessage(`Your PromptRefine account ${email.trim()} was created. Sign in with it.`);
          if (isApiError(error, 'INVALID_INPUT')) return { value: { again: asSentence(userMessage(error)) } };
          throw error;
        }
      });
    } catch (error) {
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
    if (created === undefined) return false;
    if ('again' in created) {
      problem = created.again;
      continue;
    }
    void vscode.window.showInformationMessage(`Your PromptRefine account ${created.done.email} is ready: you are signed in.`);
    return true;
  }
}

/** What a password box led to: done, or a box to open again saying why (a refusal, passwords that differ). */
type OrAgain<T> = { done: T } | { again: string };

/** Why a password box's answer is not taken yet: empty, or shorter than `minLength`. */
function passwordProblem(password: string, minLength?: number): string | undefined {
  if (!password) return 'Enter the password';
  if (minLength && password.length < minLength) return `Use at least ${minLength} characters`;
  return undefined;
}
