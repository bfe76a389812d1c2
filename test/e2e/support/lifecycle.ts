// Hooks every e2e suite shares: a screenshot of the workbench when a test fails, and at the end
// code-server's and the extension host's logs kept beside the screenshots, the suite's folder gone.
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workbench } from './workbench.ts';

/** An `afterEach` hook; `workbench` is read when it runs, since `before` creates it. */
export function screenshotOnFailure(workbench: () => Workbench | undefined): Mocha.AsyncFunc {
  return async function (this: Mocha.Context) {
    const test = this.currentTest;
    const current = workbench();
    if (test?.state === 'failed' && current) await current.screenshot(`failed-${test.title.replace(/\W+/g, '-')}`).catch(() => undefined);
  };
}

export async function keepLogsAndRemove(root: string | undefined, artifacts: string): Promise<void> {
  if (!root) return;
  await cp(join(root, 'code-server.log'), join(artifacts, 'code-server.log')).catch(() => undefined);
  await cp(join(root, 'user-data', 'logs'), join(artifacts, 'logs'), { recursive: true }).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
}
