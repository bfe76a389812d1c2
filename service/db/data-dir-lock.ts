// One process at a time on an embedded database folder. PGlite keeps no lock of its own, and two
// processes writing the same files would corrupt the database.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, parseLockInfo } from '../../contract/lock-file.ts';
import { isAlive } from '../../contract/lock-owner.ts';

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

// Folders this process holds: a lock file naming our own pid is stale unless it is one of these
// (in a container the service is often pid 1 after every restart).
const heldHere = new Set<string>();

const scratchName = (path: string, what: string) => `${path}.${what}.${process.pid}.${randomBytes(6).toString('hex')}`;

/**
 * Creates the lock file with its content in one step: written aside, then hard-linked into place,
 * which fails when a lock exists. Created empty and written after (open 'wx', then write), a lock
 * was briefly empty, and a second service starting at that moment took it for a stale one, removed
 * it and opened the same database: two windows starting at once did exactly that.
 */
function createLock(path: string, content: string): boolean {
  const aside = scratchName(path, 'new');
  writeFileSync(aside, content, { mode: 0o600 });
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

/** How long a takeover may be held before it is taken for abandoned: its holder died holding it. */
const ABANDONED_TAKEOVER_MS = 10_000;

/** Waits without giving up the thread (acquireDataDirLock is synchronous; the waits are a few ms). */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Removes a lock judged stale from `seen` (its content when read), if it still holds just that.
 * Only the holder of the takeover file (created as a lock is, so one process at a time) removes a
 * lock; nobody else can change a stale lock meanwhile (its owner is dead, and a new lock is created
 * only where none exists), so reading it and removing it cannot remove a live one. Moving the lock
 * aside to check it, as this once did, left a moment with no lock, in which a third process took
 * it while the lock moved aside was a live one: two services held it (seen with six contenders).
 * False when another process holds the takeover: try again shortly.
 */
function clearStaleLock(path: string, seen: string): boolean {
  const takeover = `${path}.takeover`;
  if (!createLock(takeover, JSON.stringify({ pid: process.pid }))) {
    // Held for microseconds by a live process; one that died holding it left it behind for good.
    try {
      if (Date.now() - statSync(takeover).mtimeMs > ABANDONED_TAKEOVER_MS) rmSync(takeover, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return false;
  }
  try {
    if (readLockText(path) === seen) rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(takeover, { force: true });
  }
}

function readLockText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  if (heldHere.has(path)) throw new DataDirBusyError(dataDir, process.pid);
  // Rounds: each lost race (a lock that appears or goes between two steps, another process
  // clearing a stale lock) costs one; waiting on another's takeover costs a few ms.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (createLock(path, JSON.stringify({ pid: process.pid }))) return held(path);
    const seen = readLockText(path);
    if (seen === undefined) continue; // released in between: try again
    const owner = parseLockInfo(seen)?.pid;
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new DataDirBusyError(dataDir, owner);
    // The owner died without cleaning up (a crash, SIGKILL), or the file is unreadable: stale.
    // (A lock is never empty or half-written while its owner lives: see createLock.)
    if (!clearStaleLock(path, seen)) pause(5);
  }
  throw new Error(
    `Could not lock the embedded database folder ${dataDir}: its lock file ${path} keeps changing, or another process is clearing a stale one ` +
      `(${path}.takeover, taken for abandoned after ${ABANDONED_TAKEOVER_MS / 1000} s). Try again in a few seconds.`,
  );
}

function held(path: string): DataDirLock {
  heldHere.add(path);
  let released = false;
  return {
    record(listening) {
      if (released) return;
      // Written whole and renamed over, so a reader never sees half a file.
      const next = scratchName(path, 'tmp');
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
}
