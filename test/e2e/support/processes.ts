// Child processes the suite starts, each in its own process group so that stopping it also stops
// what it started (code-server's extension host, its file watcher). Stopped by their own ids only.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface RunningProcess {
  pid: number;
  child: ChildProcess;
  /** Everything it printed, for the failure message. */
  output(): string;
  stop(): Promise<void>;
}

export function startProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; logFile: string }): RunningProcess {
  const child = spawn(command, args, { env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const log = createWriteStream(options.logFile);
  let text = '';
  const collect = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-20_000);
    log.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit');

  return {
    pid,
    child,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      // The group may outlive its leader (a helper that ignored SIGTERM).
      signalGroup(pid, 'SIGKILL');
      log.end();
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
