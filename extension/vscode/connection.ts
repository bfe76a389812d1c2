// Who is signed in where. The session cookie lives in SecretStorage (never in settings), keyed to
// the service URL it belongs to. One connection (`http`: the URL setting and that cookie, read on
// every call) serves both REST clients and the change feed, so a new URL or a new session reaches
// all of them at once. State changes drive the status bar, the tree's welcome text, the `when`
// clauses and the change feed.
import * as vscode from 'vscode';
import type { User } from '../../contract/index.ts';
import { PromptRefineClient, normalizeServiceUrl } from '../api/client.ts';
import { ServiceUnreachableError } from '../api/errors.ts';
import { ServiceHttp } from '../api/http.ts';
import { RunsClient } from '../api/runs.ts';
import { CONTEXT, DEFAULT_SERVICE_URL, SETTINGS } from '../catalog.ts';

export type ConnectionState =
  | { kind: 'checking' }
  | { kind: 'signedOut' }
  | { kind: 'signedIn'; user: User }
  | { kind: 'unreachable'; reason: string };

interface StoredSession {
  serviceUrl: string;
  cookie: string;
  email: string;
}

const SECRET_KEY = 'promptrefine.session';
const LAST_EMAIL_KEY = 'promptrefine.lastEmail';

export function configuredServiceUrl(): string {
  const url = vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.serviceUrl);
  return normalizeServiceUrl(url?.trim() ? url : DEFAULT_SERVICE_URL);
}

export class Connection implements vscode.Disposable {
  private stored: StoredSession | undefined;
  private current: ConnectionState = { kind: 'checking' };
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  readonly onDidChange = this.changed.event;
  readonly http = new ServiceHttp({ serviceUrl: configuredServiceUrl, sessionCookie: () => this.sessionCookie() });
  readonly client = new PromptRefineClient(this.http);
  readonly runs = new RunsClient(this.http);

  constructor(private readonly context: vscode.ExtensionContext) {}

  get state(): ConnectionState {
    return this.current;
  }

  get lastEmail(): string | undefined {
    return this.context.globalState.get<string>(LAST_EMAIL_KEY);
  }

  /** Loads the kept session and asks the service whose it is. */
  async restore(): Promise<void> {
    const raw = await this.context.secrets.get(SECRET_KEY);
    this.stored = parseStored(raw);
    await this.check();
  }

  /** The settings changed: the clients follow the new URL, and the old session does not belong to it. */
  async serviceUrlChanged(): Promise<void> {
    await this.check();
  }

  async check(): Promise<ConnectionState> {
    if (!this.sessionCookie()) return this.setState({ kind: 'signedOut' });
    try {
      const user = await this.client.currentUser();
      return this.setState(user ? { kind: 'signedIn', user } : { kind: 'signedOut' });
    } catch (error) {
      if (error instanceof ServiceUnreachableError) return this.setState({ kind: 'unreachable', reason: error.message });
      throw error;
    }
  }

  /** Signs in at `serviceUrl` and keeps the session; the URL becomes the setting when it differs. */
  async signIn(serviceUrl: string, email: string, password: string): Promise<User> {
    const url = normalizeServiceUrl(serviceUrl);
    const client = new PromptRefineClient({ serviceUrl: url });
    const { user, sessionCookie } = await client.signIn(email, password);
    if (url !== configuredServiceUrl()) {
      await vscode.workspace.getConfiguration(SETTINGS.section).update(SETTINGS.serviceUrl, url, vscode.ConfigurationTarget.Global);
    }
    this.stored = { serviceUrl: url, cookie: sessionCookie, email: user.email };
    await this.context.secrets.store(SECRET_KEY, JSON.stringify(this.stored));
    await this.context.globalState.update(LAST_EMAIL_KEY, user.email);
    this.setState({ kind: 'signedIn', user });
    return user;
  }

  /** Ends the session on the service when it can be reached, and forgets it here in any case. */
  async signOut(): Promise<void> {
    try {
      if (this.sessionCookie()) await this.client.signOut();
    } finally {
      this.stored = undefined;
      await this.context.secrets.delete(SECRET_KEY);
      this.setState({ kind: 'signedOut' });
    }
  }

  /** The service refused the kept session (expired or signed out elsewhere). */
  sessionExpired(): void {
    this.setState({ kind: 'signedOut' });
  }

  markUnreachable(error: ServiceUnreachableError): void {
    this.setState({ kind: 'unreachable', reason: error.message });
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The kept session's cookie for the configured service; the run panel's streams send it too. */
  sessionCookie(): string | undefined {
    return this.stored && this.stored.serviceUrl === configuredServiceUrl() ? this.stored.cookie : undefined;
  }

  private setState(state: ConnectionState): ConnectionState {
    this.current = state;
    void vscode.commands.executeCommand('setContext', CONTEXT.signedIn, state.kind === 'signedIn');
    void vscode.commands.executeCommand('setContext', CONTEXT.unreachable, state.kind === 'unreachable');
    this.changed.fire(state);
    return state;
  }
}

function parseStored(raw: string | undefined): StoredSession | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      value &&
      typeof value === 'object' &&
      'serviceUrl' in value &&
      'cookie' in value &&
      'email' in value &&
      typeof value.serviceUrl === 'string' &&
      typeof value.cookie === 'string' &&
      typeof value.email === 'string'
    ) {
      return { serviceUrl: value.serviceUrl, cookie: value.cookie, email: value.email };
    }
  } catch {
    // A damaged secret is the same as none: the user signs in again.
  }
  return undefined;
}
