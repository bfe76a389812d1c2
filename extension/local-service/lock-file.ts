// Reads the local service's lock file in its data folder (format: contract/lock-file.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, parseLockInfo, type LockInfo } from '../../contract/lock-file.ts';

export { isAlive } from '../../contract/lock-owner.ts';

export const lockPath = (dataDir: string) => join(dataDir, LOCK_FILE);

/** The lock's content; undefined when there is no lock file or it cannot be read as one. */
export function readLock(dataDir: string): LockInfo | undefined {
  try {
    return parseLockInfo(readFileSync(lockPath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
}
