// The extension's own service: with no service URL set, every VS Code window uses one PromptRefine
// service running from the .vsix's bundle with VS Code's Node, its data in the extension's global
// storage. The first window starts it; the others find it through the data folder's lock file and
// check it is really ours (an HMAC of a fresh challenge under the key in that private file) before
// sending it anything. Windows call it now and then, and it stops by itself once none has for its
// idle time, so the last window closing stops it. A crash is restarted with backoff.
// Nothing here imports vscode: the extension's glue (vscode/local-service-glue.ts) feeds it settings
// and shows its state, and tests drive it against the real bundle.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, lockPath, readLock } from './lock-file.ts';

export type LocalServiceState =
  | { kind: 'stopped' }
  | { kind: 'starting'; firstRun: boolean }
  | { kind: 'running'; url: string; pid: number; startedHere: boolean }
  | { kind: 'restarting'; reason: string; attempt: number; inMs: number }
  | { kind: 'failed'; message: string };

export interface LocalServiceOptions {
  /** dist/service/main.mjs in the installed extension. */
  entry: string;
  /** The extension's global storage folder for the service (0700, created if missing). */
  dataDir: string;
  /** VS Code's own Node: process.execPath, run with ELECTRON_RUN_AS_NODE=1. */
  nodePath: string;
  /** Extra environment for a service this window starts: the OpenAI key and base URL. */
  env: () => Promise<Record<string, string | undefined>>;
  /** The service stops after this long with no window calling it. */
  idleExitSeconds: number;
  /** How often this window calls the service (well under the idle time). */
  keepAliveMs?: number;
  /** How long a start may take before it is reported as failed (the first run creates the database). */
  startTimeoutMs?: number;
  /** Restart delays after a crash: base, doubling, capped. */
  backoff?: { baseMs: number; maxMs: number };
  onState?: (state: LocalServiceState) => void;
}

/** A start that failed; the message says what happened and what to do next. */
export class LocalServiceError extends Error {
  override name = 'LocalServiceError';
}

const LOG_FILE = 'service.log';
const LOG_LIMIT_BYTES = 5 * 1024 * 1024;

/** HMAC-SHA256 of the challenge under the service's key: the same as the service's healthProof. */
const proofOf = (key: string, challenge: string) => createHmac('sha256', key).update(challenge).digest('base64url');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LocalService {
  private state: LocalServiceState = { kind: 'stopped' };
  private child: ChildProcess | undefined;
  private starting: Promise<string> | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private disposed = false;
  private failures = 0;

  constructor(private readonly options: LocalServiceOptions) {}

  get current(): LocalServiceState {
    return this.state;
  }

  get logFile(): string {
    return join(this.options.dataDir, LOG_FILE);
  }

  /** The URL of the running service, starting it when none runs. Concurrent calls share one start. */
  start(): Promise<string> {
    if (this.state.kind === 'running') return Promise.resolve(this.state.url);
    this.starting ??= this.findOrStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Stops the running service (whichever window started it) and starts it again, e.g. with a new key. */
  async restart(): Promise<string> {
    await this.stopRunning();
    return this.start();
  }

  /** This window is going: it stops calling the service, which stops once no window calls it. */
  dispose(): void {
    this.disposed = true;
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.child?.removeAllListeners('exit');
  }

  private setState(state: LocalServiceState): void {
    this.state = state;
    this.options.onState?.(state);
  }

  private async findOrStart(): Promise<string> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 60_000);
    for (let round = 0; ; round++) {
      const found = await this.findRunning(deadline);
      if (found) return this.running(found.url, found.pid, false);
      if (round > 0 && Date.now() > deadline) throw this.fail(new LocalServiceError(`The local PromptRefine service did not start in time. Its log: ${this.logFile}`));
      try {
        return await this.spawnService(deadline);
      } catch (error) {
        // Another window started it at the same moment and holds the folder: use that one.
        if (error instanceof BusyError) continue;
        throw this.fail(error instanceof LocalServiceError ? error : new LocalServiceError(String(error)));
      }
    }
  }

  private fail(error: LocalServiceError): LocalServiceError {
    this.setState({ kind: 'failed', message: error.message });
    return error;
  }

  /** The service the lock file names, once it proves itself; undefined when none holds the folder. */
  private async findRunning(deadline: number): Promise<{ url: string; pid: number } | undefined> {
    for (;;) {
      const lock = readLock(this.options.dataDir);
      if (!lock || !isAlive(lock.pid)) return undefined; // no lock, or a stale one the service will clear
      if (lock.port && lock.key) {
        const url = `http://127.0.0.1:${lock.port}`;
        if (await this.proves(url, lock.key)) return { url, pid: lock.pid };
      }
      // Alive but not (yet) answering as ours: a service still starting, or another program.
      if (Date.now() > deadline) {
        throw this.fail(
          new LocalServiceError(
            `The data folder's lock names process ${lock.pid}, which does not answer as a PromptRefine service. ` +
              `If no PromptRefine service is running, delete ${lockPath(this.options.dataDir)} and try again.`,
          ),
        );
      }
      await sleep(200);
    }
  }

  /** Asks the service at `url` to prove it knows the key from the lock file. */
  private async proves(url: string, key: string): Promise<boolean> {
    const challenge = randomBytes(24).toString('base64url');
    try {
      const response = await fetch(`${url}/api/health?challenge=${challenge}`, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) return false;
      const body = (await response.json()) as { data?: { proof?: string } };
      return body.data?.proof === proofOf(key, challenge);
    } catch {
      return false;
    }
  }

  private async spawnService(deadline: number): Promise<string> {
    const { dataDir } = this.options;
    const firstRun = !existsFolder(join(dataDir, 'pgdata'));
    this.setState({ kind: 'starting', firstRun });
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new LocalServiceError(`The local service's data folder ${dataDir} cannot be created: ${(error as Error).message}`);
    }
    const { fd: log, offset } = openLog(this.logFile);
    const extra = await this.options.env();
    const env: Record<string, string | undefined> = {
      ...process.env,
      // Settings of a service the user runs in a terminal must not leak into this one.
      DATABASE_URL: undefined,
      PROMPTREFINE_EMAIL: undefined,
      PROMPTREFINE_PASSWORD: undefined,
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
      ...extra,
      ELECTRON_RUN_AS_NODE: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      PROMPTREFINE_DATA_DIR: dataDir,
      PROMPTREFINE_IDLE_EXIT_SECONDS: String(this.options.idleExitSeconds),
      LOG_LEVEL: 'info',
    };
    // Detached, so it outlives the window that started it and serves the others.
    const child = spawn(this.options.nodePath, [this.options.entry], { env, detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref();
    this.child = child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (;;) {
      const lock = readLock(dataDir);
      if (lock && lock.pid === child.pid && lock.port && lock.key && (await this.proves(`http://127.0.0.1:${lock.port}`, lock.key))) {
        return this.running(`http://127.0.0.1:${lock.port}`, child.pid as number, true);
      }
      const code = await Promise.race([exited, sleep(100).then(() => 'waiting' as const)]);
      if (code !== 'waiting') {
        const why = startFailure(this.logFile, offset);
        if (/in use by process/.test(why)) throw new BusyError(why);
        throw new LocalServiceError(`The local PromptRefine service could not start: ${why} (log: ${this.logFile})`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new LocalServiceError(`The local PromptRefine service did not answer in time. Its log: ${this.logFile}`);
      }
    }
  }

  private running(url: string, pid: number, startedHere: boolean): string {
    this.failures = 0;
    this.setState({ kind: 'running', url, pid, startedHere });
    this.watch(pid, startedHere);
    return url;
  }

  /** Calls the service now and then (it stays up while a window does) and restarts it when it died. */
  private watch(pid: number, startedHere: boolean): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    if (this.disposed) return;
    const check = async () => {
      if (this.state.kind !== 'running' || this.state.pid !== pid) return;
      const alive = isAlive(pid) && (await this.proves(this.state.url, readLock(this.options.dataDir)?.key ?? ''));
      if (!alive && this.state.kind === 'running' && this.state.pid === pid) void this.recover('the local service stopped answering');
    };
    this.keepAlive = setInterval(() => void check(), this.options.keepAliveMs ?? 15_000);
    this.keepAlive.unref();
    if (startedHere) this.child?.once('exit', (code, signal) => void this.recover(`the local service exited (${signal ?? `code ${code}`})`));
  }

  private async recover(reason: string): Promise<void> {
    if (this.disposed || this.state.kind !== 'running') return;
    if (this.keepAlive) clearInterval(this.keepAlive);
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 1_000, maxMs: 30_000 };
    for (;;) {
      this.failures += 1;
      const inMs = Math.min(maxMs, baseMs * 2 ** (this.failures - 1));
      this.setState({ kind: 'restarting', reason, attempt: this.failures, inMs });
      await sleep(inMs);
      if (this.disposed) return;
      try {
        await this.start();
        return;
      } catch (error) {
        reason = (error as Error).message;
      }
    }
  }

  private async stopRunning(): Promise<void> {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.child?.removeAllListeners('exit');
    const lock = readLock(this.options.dataDir);
    this.setState({ kind: 'stopped' });
    if (!lock || !isAlive(lock.pid)) return;
    // Only a process that proves it is this folder's service is stopped: a lock naming a reused pid
    // must never get another program of the user killed.
    if (!lock.port || !lock.key || !(await this.proves(`http://127.0.0.1:${lock.port}`, lock.key))) return;
    process.kill(lock.pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (isAlive(lock.pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(lock.pid)) process.kill(lock.pid, 'SIGKILL');
  }
}

class BusyError extends Error {}

function existsFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The service's log file, private to the user, cut back when it grew large; and where this start's lines begin. */
function openLog(path: string): { fd: number; offset: number } {
  let offset = 0;
  try {
    offset = statSync(path).size;
    if (offset > LOG_LIMIT_BYTES) {
      truncateSync(path, 0);
      offset = 0;
    }
  } catch {
    // no log yet
  }
  return { fd: openSync(path, 'a', 0o600), offset };
}

/** The service's own words for why it stopped: its "could not start" line, else the log's end. */
function startFailure(logFile: string, offset: number): string {
  let text = '';
  try {
    text = readFileSync(logFile).subarray(offset).toString('utf8');
  } catch {
    return 'it exited before writing a log';
  }
  const lines = text.trim().split('\n');
  const said = lines.reverse().find((line) => line.startsWith('PromptRefine could not start: '));
  return said ? said.slice('PromptRefine could not start: '.length) : (lines[0] ?? 'it exited');
}
