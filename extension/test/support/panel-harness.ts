// The run panel's host (PanelRouter) as a webview sees it: messages go in, replies and pushes come
// out into `posted`. What the panel asks of the editor is recorded in `ui`. Shared by the router
// suites (run-panel-router, run-panel-cases, run-panel-batches).
import assert from 'node:assert/strict';
import type { PanelError, RememberedInputs, ToWebview } from '../../../webview/protocol.ts';
import { CasesClient } from '../../api/cases.ts';
import { PanelRouter, type PanelServices, type PanelUi } from '../../run-panel/router.ts';
import type { RunService } from './run-service.ts';

export type PanelClients = Pick<RunService, 'prompts' | 'runs' | 'batches'> & Partial<Pick<RunService, 'cases'>>;

export interface PanelHarness {
  router: PanelRouter;
  posted: ToWebview[];
  /** What the panel asked the editor to do, e.g. `copy:<text>`, `restore:v2`. */
  ui: string[];
  remembered: Map<string, RememberedInputs>;
  /** Sends a request and returns its reply (which must come before the request's promise settles). */
  request(name: string, params: unknown): Promise<ToWebview>;
  /** A request that must succeed: its result. */
  ok<T = unknown>(name: string, params: unknown): Promise<T>;
  /** A request that must fail: its error. */
  fails(name: string, params: unknown): Promise<PanelError>;
  pushes(name: string): unknown[];
  /** Waits for the `count`-th push of that name (up to `timeoutMs`). */
  waitForPush(name: string, count?: number, timeoutMs?: number): Promise<unknown>;
}

export interface HarnessOptions {
  ui?: Partial<PanelUi>;
  streamOptions?: PanelServices['streamOptions'];
  batchStreamOptions?: PanelServices['batchStreamOptions'];
}

export function panelHarness(service: PanelClients, promptId: string, options: HarnessOptions = {}): PanelHarness {
  const posted: ToWebview[] = [];
  const calls: string[] = [];
  const remembered = new Map<string, RememberedInputs>();
  let nextId = 1;
  const router = new PanelRouter(
    promptId,
    {
      prompts: service.prompts,
      runs: service.runs,
      batches: service.batches,
      // Suites that do not pass cases never ask for them: a client of no service.
      cases: service.cases ?? new CasesClient({ serviceUrl: () => 'http://127.0.0.1:9' }),
      remembered: { get: (id) => remembered.get(id) ?? null, set: async (id, value) => void remembered.set(id, value) },
      ui: {
        copy: async (text) => void calls.push(`copy:${text}`),
        openDocument: async (text, language) => void calls.push(`open:${language}:${text}`),
        restoreVersion: async (_p, v) => void calls.push(`restore:v${v.versionNumber}`),
        openVersion: async (_p, v) => void calls.push(`openVersion:v${v.versionNumber}`),
        signIn: async () => true,
        openSettings: async () => void calls.push('settings'),
        ...options.ui,
      },
      streamOptions: options.streamOptions ?? { rejoinDelayMs: 20, rejoins: 2 },
      ...(options.batchStreamOptions ? { batchStreamOptions: options.batchStreamOptions } : {}),
    },
    (message) => void posted.push(message),
  );
  const h: PanelHarness = {
    router,
    posted,
    ui: calls,
    remembered,
    async request(name, params) {
      const id = nextId++;
      await router.receive({ type: 'request', id, name, params });
      const reply = posted.find((m) => m.type === 'reply' && m.id === id);
      assert.ok(reply, `a reply to ${name}`);
      return reply;
    },
    async ok<T>(name: string, params: unknown) {
      return replyOk(await h.request(name, params)) as T;
    },
    async fails(name, params) {
      return replyError(await h.request(name, params));
    },
    pushes: (name) => posted.flatMap((m) => (m.type === 'push' && m.name === name ? [m.payload] : [])),
    async waitForPush(name, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (h.pushes(name).length < count) {
        if (Date.now() > deadline) throw new Error(`no ${name} push; got ${posted.map((m) => (m.type === 'push' ? m.name : 'reply')).join(', ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return h.pushes(name)[count - 1];
    },
  };
  return h;
}

/** The result of a reply that must be a success. */
export function replyOk(reply: ToWebview): unknown {
  assert.ok(reply.type === 'reply' && reply.ok, `expected success, got ${JSON.stringify(reply)}`);
  return reply.result;
}

/** The error of a reply that must be a failure. */
export function replyError(reply: ToWebview): PanelError {
  assert.ok(reply.type === 'reply' && !reply.ok, `expected a failure, got ${JSON.stringify(reply)}`);
  return reply.error;
}
