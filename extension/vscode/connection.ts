// Who is signed in where. The session cookie lives in SecretStorage (never in settings), keyed to
// the service it belongs to: the service URL, or "local" for the extension's own local service
// (whose port changes from one start to the next, its sessions staying valid). One connection (`http`: the URL setting and that cookie, read on
// every call) serves both REST clients and the change feed, so a new URL or a new session reaches
// all of them at once. State changes drive the status bar, the tree's welcome text, the `when`
// clauses and the change feed.
import * as vscode from 'vscode';
import type { User } from '../../contract/index.ts';
import { PromptRefineClient, normalizeServiceUrl } from '../api/client.ts';
import { LocalServiceUnavailableError, ServiceUnreachableError } from '../api/errors.ts';
import { ServiceHttp } from '../api/http.ts';
import { BatchesClient } from '../api/batches.ts';
import { RunsClient } from '../api/runs.ts';
import { CONTEXT, SETTINGS } from '../catalog.ts';
import type { LocalServiceGlue } from './local-service-glue.ts';

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
/** The session key of the local service, whatever port it listens on. */
const LOCAL = 'local';

/** The service URL setting, normalized; '' means the extension's own local service. */
export function configuredServiceUrl(): string {
  const url = vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.serviceUrl);
  return url?.trim() ? normalizeServiceUrl(url) : '';
}

export class Connection implements vscode.Disposable {
  private stored: StoredSession | undefined;
  private current: ConnectionState = { kind: 'checking' };
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  readonly onDidChange = this.changed.event;
  readonly http = new ServiceHttp({ serviceUrl: () => this.targetUrl(), sessionCookie: () => this.sessionCookie(), ready: () => this.ready() });
  readonly client = new PromptRefineClient(this.http);
  readonly runs = new RunsClient(this.http);
  readonly batches = new BatchesClient(this.http);
  /** The Prompts view was shown (or a command ran): the local service may be started to answer. */
  private woken = false;
  private setupPending: boolean | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly local: LocalServiceGlue,
  ) {
    void vscode.commands.executeCommand('setContext', CONTEXT.local, local.enabled);
  }

  /** Whether the extension uses its own local service (no service URL is set). */
  get isLocal(): boolean {
    return this.local.enabled;
  }

  /** Which service a kept session belongs to. */
  get serviceKey(): string {
    return this.isLocal ? LOCAL : configuredServiceUrl();
  }

  /** True while the service has no account yet (Sign In then creates it); undefined until asked. */
  get setupRequired(): boolean | undefined {
    return this.setupPending;
  }

  /** Where calls go: the setting, or the local service's current address. */
  targetUrl(): string {
    if (!this.isLocal) return configuredServiceUrl();
    const state = this.local.service.current;
    return state.kind === 'running' ? state.url : 'the local PromptRefine service';
  }

  /** Before every call: a local service is started (or joined) on first use. */
  private async ready(): Promise<void> {
    if (!this.isLocal) return;
    this.woken = true;
    try {
      await this.local.service.start();
    } catch (error) {
      throw new LocalServiceUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The Prompts view opened: a local service is started now (not at activation), and the view
   * learns whether an account must be created first.
   */
  async wake(): Promise<ConnectionState> {
    this.woken = true;
    return this.check();
  }

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
    this.setupPending = undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT.setupRequired, false);
    await this.check();
  }

  async check(): Promise<ConnectionState> {
    void vscode.commands.executeCommand('setContext', CONTEXT.local, this.isLocal);
    // A local service is asked (and so started) only once the view is shown or a call needs it,
    // never at activation; it then also says whether the first account is still to be created.
    // Without a session there is nothing to ask a remote service.
    if (this.isLocal && !this.woken) return this.setState(this.sessionCookie() ? { kind: 'checking' } : { kind: 'signedOut' });
    if (!this.isLocal && !this.sessionCookie()) return this.setState({ kind: 'signedOut' });
    try {
      const { user, setupRequired } = await this.client.session();
      this.setSetupRequired(setupRequired);
      return this.setState(user ? { kind: 'signedIn', user } : { kind: 'signedOut' });
    } catch (error) {
      if (error instanceof ServiceUnreachableError) return this.setState({ kind: 'unreachable', reason: error.message });
      throw error;
    }
  }

  /**
   * A client without the kept session for `serviceUrl` ('' is the local service): sign-in and setup
   * must not send a session that belongs to another account or service.
   */
  clientFor(serviceUrl: string): PromptRefineClient {
    const url = serviceUrl.trim() ? normalizeServiceUrl(serviceUrl) : '';
    if (url) return new PromptRefineClient({ serviceUrl: url });
    return new PromptRefineClient(new ServiceHttp({ serviceUrl: () => this.targetUrl(), ready: () => this.ready() }));
  }

  /**
   * Signs in at `serviceUrl` ('' for the local service) and keeps the session; the URL becomes the
   * setting when it differs. `canceled` aborted by the time the service answers (the user closed
   * the box): the session is not kept, and this throws its reason.
   */
  async signIn(serviceUrl: string, email: string, password: string, canceled?: AbortSignal): Promise<User> {
    const { user, sessionCookie } = await this.clientFor(serviceUrl).signIn(email, password);
    canceled?.throwIfAborted();
    return this.keep(serviceUrl, user, sessionCookie);
  }

  /**
   * Creates the first account with the setup token, signed in as it, like signIn. Canceled once the
   * account exists, the account stays (nothing can undo it) but its session is not kept, and this
   * throws the signal's reason.
   */
  async createAccount(serviceUrl: string, token: string, email: string, password: string, canceled?: AbortSignal): Promise<User> {
    const { user, sessionCookie } = await this.clientFor(serviceUrl).setup(token, email, password);
    this.setSetupRequired(false);
    canceled?.throwIfAborted();
    return this.keep(serviceUrl, user, sessionCookie);
  }

  private async keep(serviceUrl: string, user: User, sessionCookie: string): Promise<User> {
    const url = serviceUrl.trim() ? normalizeServiceUrl(serviceUrl) : '';
    if (url !== configuredServiceUrl()) {
      await vscode.workspace.getConfiguration(SETTINGS.section).update(SETTINGS.serviceUrl, url, vscode.ConfigurationTarget.Global);
    }
    this.stored = { serviceUrl: url || LOCAL, cookie: sessionCookie, email: user.email };
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
    return this.stored && this.stored.serviceUrl === this.serviceKey ? this.stored.cookie : undefined;
  }

  private setSetupRequired(value: boolean): void {
    this.setupPending = value;
    void vscode.commands.executeCommand('setContext', CONTEXT.setupRequired, value);
  }

  private setState(state: ConnectionState): ConnectionState {
    this.current = state;
    // The key turning true goes first. Commands are offered while `signedIn || unreachable`; set
    // the other way round, a service going away would make both false for a moment, and the palette
    // would hide the commands for that moment.
    const keys: [string, boolean][] = [
      [CONTEXT.signedIn, state.kind === 'signedIn'],
      [CONTEXT.unreachable, state.kind === 'unreachable'],
    ];
    for (const [key, value] of keys.sort(([, a], [, b]) => Number(b) - Number(a))) void vscode.commands.executeCommand('setContext', key, value);
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
