// Thin glue between VS Code and the extension's own local service (local-service/local-service.ts):
// where it lives (the extension's global storage), what it runs with (VS Code's Node, the key from
// secret storage, the base URL and idle settings), its log in an Output channel, and its state as
// an event. Nothing starts it here: the connection does, on first use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LocalService, type LocalServiceState } from '../local-service/local-service.ts';
import { LogFollower } from '../local-service/log-follower.ts';
import { idleExitSeconds, localServiceEnv } from '../local-service/settings.ts';
import { API_KEY_SECRET, SETTINGS } from '../catalog.ts';

const SETUP_TOKEN_FILE = 'setup-token';

export class LocalServiceGlue implements vscode.Disposable {
  private current: LocalService;
  readonly dataDir: string;
  private readonly output = vscode.window.createOutputChannel('PromptRefine Service');
  private readonly changed = new vscode.EventEmitter<LocalServiceState>();
  readonly onDidChangeState = this.changed.event;
  private readonly follower: LogFollower;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.dataDir = join(context.globalStorageUri.fsPath, 'service');
    this.current = this.create();
    this.follower = new LogFollower(this.current.logFile, (text) => this.output.append(text));
  }

  /** The local service this window uses (a new one after a switch back from a remote service). */
  get service(): LocalService {
    return this.current;
  }

  private create(): LocalService {
    const { context } = this;
    const settings = () => vscode.workspace.getConfiguration(SETTINGS.section);
    return new LocalService({
      entry: context.asAbsolutePath(join('dist', 'service', 'main.mjs')),
      dataDir: this.dataDir,
      nodePath: process.execPath,
      env: async () => localServiceEnv(await context.secrets.get(API_KEY_SECRET), settings().get<string>(SETTINGS.openaiBaseUrl)),
      // Read at each start, so a changed setting applies at the restart it causes.
      get idleExitSeconds() {
        return idleExitSeconds(settings().get<number>(SETTINGS.localIdleMinutes));
      },
      onState: (state) => {
        this.output.appendLine(`[${new Date().toISOString()}] ${describe(state)}`);
        if (state.kind !== 'stopped') this.follower.start();
        this.changed.fire(state);
      },
    });
  }

  /**
   * The service URL setting changed. Set: this window stops calling the local service (it stops by
   * itself once no window does). Cleared again: a fresh LocalService starts or joins it on first use.
   */
  serviceUrlChanged(): void {
    this.current.dispose();
    if (this.enabled) this.current = this.create();
    this.changed.fire(this.current.current);
  }

  /** Whether the extension uses its local service: no service URL is set. */
  get enabled(): boolean {
    return !vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.serviceUrl)?.trim();
  }

  /** The one-time token for the first account, which the local service wrote into its data folder. */
  setupToken(): string | undefined {
    try {
      return readFileSync(join(this.dataDir, SETUP_TOKEN_FILE), 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Restarts the running service (a new key or setting); nothing happens when none has been started. */
  async restartIfStarted(why: string): Promise<void> {
    if (!this.enabled || this.service.current.kind === 'stopped') return;
    this.output.appendLine(`[${new Date().toISOString()}] restarting: ${why}`);
    await this.service.restart();
  }

  /** A line of the extension's own in the Output channel (timestamped like the state changes). */
  note(line: string): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${line}`);
  }

  showLog(): void {
    this.follower.start();
    this.output.show(true);
  }

  dispose(): void {
    this.follower.stop();
    this.current.dispose();
    this.output.dispose();
    this.changed.dispose();
  }
}

function describe(state: LocalServiceState): string {
  switch (state.kind) {
    case 'stopped':
      return 'local service stopped';
    case 'starting':
      return state.firstRun ? 'starting the local service for the first time (creating its database)' : 'starting the local service';
    case 'running':
      return `local service running at ${state.url} (process ${state.pid}${state.startedHere ? ', started by this window' : ', shared with another window'})`;
    case 'restarting':
      return `${state.reason}; restarting in ${Math.round(state.inMs / 1000)} s (attempt ${state.attempt})`;
    case 'failed':
      return `local service failed: ${state.message}`;
  }
}
