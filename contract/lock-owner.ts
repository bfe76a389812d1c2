// Node only (excluded from the webview's build): whether the process a lock file names still runs.
// The service (service/db/data-dir-lock.ts) and the extension (extension/local-service) both ask.

/** Whether a lock's owner still runs: a lock naming a dead process is stale. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
