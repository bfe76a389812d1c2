// One process at a time on an embedded database folder. PGlite keeps no lock of its own, and two
// processes writing the same files would corrupt the database.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, parseLockInfo } from '../../contract/lock-file.ts';

export interface DataDirLock {
  /**
   * Adds where this process listens and the key it proves itself with (GET /api/health?challenge=),
   * so a VS Code window can find the running service and tell it from an impostor on that port.
   */
  record(listening: { port: number; key: string }): void;
  release(): void;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} (probably a running PromptRefine service). ` +
        'Stop that process first, or point this one at another PROMPTREFINE_DATA_DIR.',
    );
    this.name = 'DataDirBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Folders this process holds: a lock file naming our own pid is stale unless it is one of these
// (in a container the service is often pid 1 after every restart).
const heldHere = new Set<string>();

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  if (heldHere.has(path)) throw new DataDirBusyError(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid }));
      closeSync(fd);
      heldHere.add(path);
      let released = false;
      return {
        record(listening) {
          if (released) return;
          // Written whole and renamed over, so a reader never sees half a file.
          const next = `${path}.${process.pid}.tmp`;
          writeFileSync(next, JSON.stringify({ pid: process.pid, ...listening }), { mode: 0o600 });
          renameSync(next, path);
        },
        release() {
          if (released) return;
          released = true;
          heldHere.delete(path);
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = parseLockInfo(readFileSync(path, 'utf8'))?.pid;
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new DataDirBusyError(dataDir, owner);
      // The owner died without cleaning up (a crash, SIGKILL), or the file is unreadable: stale.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}`);
}
