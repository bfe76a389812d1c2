// One process at a time on an embedded database folder. PGlite keeps no lock of its own, and two
// processes writing the same files would corrupt the database.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from './data-dir-permissions.ts';

export interface DataDirLock {
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
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldHere.delete(path);
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) throw new DataDirBusyError(dataDir, owner);
      // The owner died without cleaning up (a crash, SIGKILL): the lock is stale.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}`);
}
