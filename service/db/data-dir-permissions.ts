// The embedded database folder holds every prompt, run and session of the user: only the user may
// read it. The folder is 0700 and everything the service keeps in it is 0700 (folders) or 0600
// (files), made so before PGlite writes and repaired at every start.
import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../../contract/lock-file.ts';

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;
const STICKY_BIT = 0o1000;

/** What the service itself keeps in the data folder. Anything else in it is the user's and is left alone. */
export const PGDATA = 'pgdata';
export { LOCK_FILE };

export class DataDirUnsafeError extends Error {
  override name = 'DataDirUnsafeError';
}

function wanted(stats: Stats): number | undefined {
  if (stats.isDirectory()) return FOLDER_MODE;
  if (stats.isFile()) return FILE_MODE;
  // A symbolic link's own mode means nothing, and chmod would change what it points to.
  return undefined;
}

function tighten(path: string, stats: Stats): number {
  const mode = wanted(stats);
  if (mode === undefined || (stats.mode & 0o7777) === mode) return 0;
  chmodSync(path, mode);
  return 1;
}

function tightenTree(path: string): number {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let fixed = tighten(path, stats);
  if (stats.isDirectory()) for (const name of readdirSync(path)) fixed += tightenTree(join(path, name));
  return fixed;
}

/**
 * Creates the folder (0700) or checks an existing one, then sets the modes of the folder and of
 * what the service keeps in it. Returns how many entries had to be changed.
 */
export function secureDataDir(dataDir: string): number {
  mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
  const stats = lstatSync(dataDir);
  if (!stats.isDirectory()) throw new DataDirUnsafeError(`PROMPTREFINE_DATA_DIR (${dataDir}) is not a folder.`);
  // A shared folder such as /tmp must not become private to this user: that would break the machine.
  if (stats.mode & STICKY_BIT) {
    throw new DataDirUnsafeError(
      `PROMPTREFINE_DATA_DIR (${dataDir}) is a shared folder (it has the sticky bit, like /tmp). ` +
        'Point it at a folder of its own, e.g. a new subfolder, which the service makes readable by you only.',
    );
  }
  return tighten(dataDir, stats) + tightenTree(join(dataDir, PGDATA)) + tightenTree(join(dataDir, LOCK_FILE));
}

/** Runs `open` with a umask that keeps group and others out of every file and folder it creates. */
export async function withPrivateUmask<T>(open: () => Promise<T>): Promise<T> {
  // The umask is per process, so it is set only for the opening (nothing else runs in the service
  // then) and restored after, instead of changing how every later file of the process is made.
  const previous = process.umask(0o077);
  try {
    return await open();
  } finally {
    process.umask(previous);
  }
}
