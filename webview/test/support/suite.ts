// Hooks every webview test file uses: the bundle built once per test run, one Chromium and one page
// server per file, and every page closed after its test.
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, FakeHost, buildBundle, launchChromium, servePanel, type Handlers, type PageServer } from './harness.ts';
import type { ThemeName } from './themes.ts';
import { PROMPT_ID } from './fixtures.ts';

let built: Promise<void> | undefined;

export interface Suite {
  open(handlers: Handlers, options?: { theme?: ThemeName; state?: unknown; promptId?: string; title?: string }): Promise<FakeHost>;
}

export function useWebview(): Suite {
  let browser: Browser | undefined;
  let server: PageServer | undefined;
  const pages: FakeHost[] = [];

  before(async function () {
    this.timeout(120_000);
    built ??= buildBundle();
    await built;
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    server = await servePanel();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close().catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    async open(handlers, options = {}) {
      if (!browser || !server) throw new Error('the suite has not started');
      const host = await FakeHost.open(browser, server, {
        promptId: options.promptId ?? PROMPT_ID,
        title: options.title ?? 'Review a diff',
        theme: options.theme,
        state: options.state,
        handlers,
      });
      pages.push(host);
      return host;
    },
  };
}
