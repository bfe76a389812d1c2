// The webview as VS Code shows it, minus VS Code: the built bundle (dist/webview.js) in a page made
// by the host's own panelHtml (same Content-Security-Policy), served from loopback to headless
// Chromium, with a fake `acquireVsCodeApi` whose messages reach a FakeHost in this process. The
// FakeHost records every message and answers requests with handlers each test sets.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml } from '../../../extension/run-panel/html.ts';
import {
  REQUESTS,
  ToHost,
  pushMessage,
  type PanelError,
  type PushName,
  type PushPayload,
  type RequestName,
  type RequestParams,
  type RequestResult,
} from '../../protocol.ts';
import { THEMES, type ThemeName } from './themes.ts';

export const REPO = resolve(import.meta.dirname, '../../..');
export const ARTIFACTS = join(REPO, '.test-artifacts', 'webview');

export async function buildBundle(): Promise<void> {
  await promisify(execFile)('node', ['esbuild.mjs'], { cwd: REPO, timeout: 120_000 });
}

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the panel page for any `?promptId=&title=` and the bundle, on 127.0.0.1. */
export async function servePanel(): Promise<PageServer> {
  const bundle = await readFile(join(REPO, 'dist', 'webview.js'));
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/dist/webview.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
      return;
    }
    const html = panelHtml({
      cspSource: origin,
      scriptUri: `${origin}/dist/webview.js`,
      promptId: url.searchParams.get('promptId') ?? '',
      title: url.searchParams.get('title') ?? '',
    });
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((done) => server.close(() => done())) };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

type Handler<N extends RequestName> = (params: RequestParams<N>) => RequestResult<N> | Promise<RequestResult<N>>;
export type Handlers = { [N in RequestName]?: Handler<N> };

/** A request the fake host fails, as the real host would. */
export class Refusal extends Error {
  constructor(readonly error: PanelError) {
    super(error.message);
  }
}

export interface Recorded {
  name: RequestName;
  params: unknown;
}

export class FakeHost {
  readonly requests: Recorded[] = [];
  readonly invalid: unknown[] = [];
  readonly consoleProblems: string[] = [];
  ready = false;
  state: unknown = undefined;
  handlers: Handlers = {};

  private constructor(readonly page: Page) {}

  /** A page showing the panel of `promptId`, with `state` as if VS Code kept it across a reload. */
  static async open(browser: Browser, server: PageServer, options: { promptId: string; title: string; theme?: ThemeName; state?: unknown; handlers: Handlers }): Promise<FakeHost> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const host = new FakeHost(page);
    host.handlers = options.handlers;
    host.state = options.state;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') host.consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => host.consoleProblems.push(error.message));
    await page.exposeBinding('__promptrefineToHost', (_source, message: unknown) => host.receive(message));
    await page.exposeBinding('__promptrefineSetState', (_source, state: unknown) => {
      host.state = state;
    });
    const theme = THEMES[options.theme ?? 'dark'];
    // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
    await page.addInitScript(`
      (() => {
        let kept = ${JSON.stringify(options.state ?? null)};
        window.acquireVsCodeApi = () => ({
          postMessage: (m) => window.__promptrefineToHost(m),
          getState: () => kept ?? undefined,
          setState: (s) => { kept = s; window.__promptrefineSetState(s); },
        });
        // VS Code sets its theme variables on <html> and a theme class on <body>.
        document.addEventListener('DOMContentLoaded', () => {
          for (const [k, v] of Object.entries(${JSON.stringify(theme.vars)})) document.documentElement.style.setProperty(k, v);
          document.body.classList.add(${JSON.stringify(theme.bodyClass)});
        });
      })();
    `);
    await page.goto(`${server.origin}/?promptId=${encodeURIComponent(options.promptId)}&title=${encodeURIComponent(options.title)}`);
    return host;
  }

  private receive(raw: unknown): void {
    const message = ToHost.safeParse(raw);
    if (!message.success) {
      this.invalid.push(raw);
      return;
    }
    if (message.data.type === 'ready') {
      this.ready = true;
      return;
    }
    const { id, name, params } = message.data;
    const parsed = REQUESTS[name].params.safeParse(params);
    if (!parsed.success) {
      this.invalid.push(raw);
      return;
    }
    this.requests.push({ name, params: parsed.data });
    const handler = this.handlers[name] as ((p: unknown) => unknown) | undefined;
    void Promise.resolve()
      .then(() => {
        if (!handler) throw new Refusal({ kind: 'other', message: `The fake host has no handler for ${name}`, details: [] });
        return handler(parsed.data);
      })
      .then(
        (result) => this.post({ type: 'reply', id, ok: true, result }),
        (error: unknown) =>
          this.post({ type: 'reply', id, ok: false, error: error instanceof Refusal ? error.error : { kind: 'other', message: String(error), details: [] } }),
      );
  }

  async push<N extends PushName>(name: N, payload: PushPayload<N>): Promise<void> {
    await this.post(pushMessage(name, payload));
  }

  private async post(message: unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined);
  }

  /** The params of every request named `name`, in order. */
  sent<N extends RequestName>(name: N): RequestParams<N>[] {
    return this.requests.filter((r) => r.name === name).map((r) => r.params as RequestParams<N>);
  }

  async waitForRequest<N extends RequestName>(name: N, count = 1, timeoutMs = 5000): Promise<RequestParams<N>> {
    const deadline = Date.now() + timeoutMs;
    while (this.sent(name).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${count}× ${name} request within ${timeoutMs} ms; got: ${this.requests.map((r) => r.name).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.sent(name)[count - 1] as RequestParams<N>;
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
