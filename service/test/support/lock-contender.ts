// A process that tries once to lock an embedded database folder (service/test/data-dir-lock.test.ts).
// Usage: lock-contender.ts <dataDir> <startAtEpochMs>. It waits until the given moment so that
// every contender tries at once, prints "held" or "busy <pid>", and keeps a held lock until killed.
import { acquireDataDirLock, DataDirBusyError } from '../../db/data-dir-lock.ts';

const [dataDir, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // Spin rather than sleep: a timer wakes the contenders milliseconds apart, which hides races.
}
try {
  acquireDataDirLock(dataDir as string);
  process.stdout.write('held\n');
  setInterval(() => undefined, 60_000);
} catch (error) {
  process.stdout.write(error instanceof DataDirBusyError ? `busy ${error.pid}\n` : `error ${(error as Error).message}\n`);
  process.exit(0);
}
