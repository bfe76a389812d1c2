// What every e2e suite does around its own steps: before them, the extension packaged from the
// working tree and opened in code-server in headless Chromium; after each failed one, a screenshot
// of the workbench; at the end, every process stopped whatever the outcome, code-server's and the
// extension host's logs kept beside the screenshots, and the suite's folder gone.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import { startCodeServer, type CodeServer } from './code-server.ts';
import { findPrerequisites, type Prerequisites } from './prerequisites.ts';
import { openWindow, openWorkbench, type Workbench } from './workbench.ts';

const run = promisify(execFile);

export const REPO = resolve(import.meta.dirname, '../../..');

/** One suite's folder, code-server and browser: `prepare` and `open` in `before`, `close` in `after`. */
export class E2eSuite {
  /** Where the screenshots and the kept logs go. */
  readonly artifacts: string;
  private tools: Prerequisites | undefined;
  private root: string | undefined;
  private codeServer: CodeServer | undefined;
  private browser: Browser | BrowserContext | undefined;
  /** The port of the first code-server, reused by a workbench opened again with keepBrowserProfile. */
  private port: number | undefined;

  /** `name`: the suite's folder under .test-artifacts. */
  constructor(name: string) {
    this.artifacts = join(REPO, '.test-artifacts', name);
  }

  /**
   * Finds code-server and Chromium (failing loudly without them), packages the extension as
   * dist/promptrefine.vsix, and answers a fresh folder named `prefix…` for the suite.
   */
  async prepare(prefix: string): Promise<string> {
    this.tools = findPrerequisites();
    await run('npm', ['run', 'package'], { cwd: REPO, timeout: 180_000 });
    this.root = await mkdtemp(join(tmpdir(), prefix));
    return this.root;
  }

  /**
   * code-server with the packaged extension in the suite's folder, its workbench open in Chromium.
   * `keepBrowserProfile`: the browser's storage lives in the suite's folder and a workbench opened
   * again after `closeWorkbench` uses the same port (so the same origin): it has the same secret
   * storage (sessions, keys), as a desktop VS Code started again would.
   */
  async open(options: { settings: Record<string, unknown>; files?: Record<string, string>; keepBrowserProfile?: boolean }): Promise<Workbench> {
    if (!this.tools || !this.root) throw new Error('open() before prepare()');
    const port = options.keepBrowserProfile ? this.port : undefined;
    this.codeServer = await startCodeServer({ ...options, port, binary: this.tools.codeServer, vsix: join(REPO, 'dist', 'promptrefine.vsix'), root: this.root });
    this.port = this.codeServer.port;
    const profile = options.keepBrowserProfile ? join(this.root, 'browser-profile') : undefined;
    const opened = await openWorkbench(this.tools.chromium, this.codeServer.url, this.artifacts, profile);
    this.browser = opened.browser;
    return opened.workbench;
  }

  /** A second workbench window on the same code-server, in the same browser. */
  async openAnotherWindow(): Promise<Workbench> {
    if (!this.browser || !this.codeServer) throw new Error('openAnotherWindow() before open()');
    return openWindow(this.browser, this.codeServer.url, this.artifacts);
  }

  /** Closes the browser and stops code-server, keeping the suite's folder for `open` again. */
  async closeWorkbench(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    this.browser = undefined;
    await this.codeServer?.process.stop();
    this.codeServer = undefined;
  }

  /** Stops the browser, code-server and then the suite's `service`, keeps the logs and removes the folder. */
  async close(service: { close(): Promise<void> } | undefined): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.codeServer?.process.stop();
    await service?.close();
    await keepLogsAndRemove(this.root, this.artifacts);
  }
}

/** An `afterEach` hook; `workbench` is read when it runs, since `before` creates it. */
export function screenshotOnFailure(workbench: () => Workbench | undefined): Mocha.AsyncFunc {
  return async function (this: Mocha.Context) {
    const test = this.currentTest;
    const current = workbench();
    if (test?.state === 'failed' && current) await current.screenshot(`failed-${test.title.replace(/\W+/g, '-')}`).catch(() => undefined);
  };
}

async function keepLogsAndRemove(root: string | undefined, artifacts: string): Promise<void> {
  if (!root) return;
  await cp(join(root, 'code-server.log'), join(artifacts, 'code-server.log')).catch(() => undefined);
  await cp(join(root, 'user-data', 'logs'), join(artifacts, 'logs'), { recursive: true }).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
}
