// A fake OpenAI API on 127.0.0.1 for tests, benchmarks and demos. It speaks the Responses and
// Chat Completions wire formats closely enough for the real `openai` SDK (including its strict
// stream helpers), records every request, and answers according to steps a test scripts.
//
//   const fake = await startFakeOpenAI({ apiKey: 'sk-test' });
//   const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 });
//   fake.script({ kind: 'error', status: 429, retryAfterSeconds: 1 });
//   ...
//   await fake.close();

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Model } from 'openai/resources/models';
import { chatApi } from './chat-api.ts';
import { defaultErrorFor, invalidRequest, type ErrorReply } from './errors.ts';
import { Exchange, type RecordedRequest } from './exchange.ts';
import { checkModelRules, DEFAULT_MODELS } from './model-rules.ts';
import { readJsonBody } from './request-body.ts';
import { respond, type ApiAdapter, type Timing } from './respond.ts';
import { responsesApi } from './responses-api.ts';
import { Script, type ScriptedStep } from './scenario.ts';

export type { RecordedRequest } from './exchange.ts';
export { DEFAULT_MODELS, isReasoningModel, isResponsesOnlyModel } from './model-rules.ts';
export type { ApiKind } from './model-rules.ts';
export type { Json, JsonObject } from './request-body.ts';
export type {
  DisconnectStep,
  EndEarlyStep,
  ErrorStep,
  FinishReason,
  HangStep,
  MalformedStep,
  ReplyOptions,
  ScriptedStep,
  StallStep,
  StepMatch,
  StreamFailureStep,
  SuccessStep,
  UsageOverrides,
} from './scenario.ts';

export interface FakeOpenAIOptions {
  /** Default 0: an ephemeral port, so parallel test files never collide. */
  port?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>` or gets a 401. */
  apiKey?: string;
  /** Delay before each response's headers (time to first byte). Default 0. */
  latencyMs?: number;
  /** Delay before each streamed text delta. Default 0. */
  tokenDelayMs?: number;
  /** Ids listed by `GET /v1/models`. Requests for other models are still answered. */
  models?: readonly string[];
}

export interface FakeOpenAI {
  /** Base URL including `/v1`, to pass as `baseURL` to the SDK. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. Records update in place as requests finish or abort. */
  readonly requests: readonly RecordedRequest[];
  /** Steps not yet consumed. */
  readonly pendingSteps: readonly ScriptedStep[];
  /** Queues behaviour for the next matching requests, consumed in order; an empty queue means success. */
  script(...steps: ScriptedStep[]): void;
  /** Resolves once `predicate(requests)` holds, e.g. "the hung request was aborted"; rejects after `timeoutMs` (default 2000). */
  waitFor(predicate: (requests: readonly RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Lets every reply stalled by a `stall` step so far carry on to its normal end. */
  release(): void;
  /** Forgets queued steps and recorded requests; request numbering (and so fake ids) restarts. */
  reset(): void;
  /** Stops the server, cutting open connections (hung and streaming ones included). Idempotent. */
  close(): Promise<void>;
}

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

const KNOWN_ROUTES: Record<string, ApiAdapter> = {
  'POST /v1/responses': responsesApi,
  'POST /v1/chat/completions': chatApi,
};

function authError(header: string | undefined, apiKey: string): ErrorReply | undefined {
  if (header === `Bearer ${apiKey}`) return undefined;
  const message =
    header === undefined || !header.startsWith('Bearer ')
      ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
      : // Like OpenAI, never echo the whole key back.
        `Incorrect API key provided: ${header.slice('Bearer '.length, 'Bearer '.length + 3)}***. You can find your API key at https://platform.openai.com/account/api-keys.`;
  return { status: 401, error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
}

function modelObject(id: string): Model {
  // A fixed `created` keeps listings reproducible.
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'openai' };
}

/** `GET /v1/models` and `GET /v1/models/{id}`. */
function answerModels(ex: Exchange, models: readonly string[]): void {
  const { path } = ex.record;
  if (path === '/v1/models') return ex.sendJson(200, { object: 'list', data: models.map(modelObject) });
  const id = decodeURIComponent(path.slice('/v1/models/'.length));
  if (models.includes(id)) return ex.sendJson(200, modelObject(id));
  return ex.sendError({ status: 404, error: { ...defaultErrorFor(404), message: `The model '${id}' does not exist`, param: 'model' } });
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  // Stalled replies wait on the current gate; release() opens it and puts up a fresh one.
  let openGate = (): void => undefined;
  let gate = new Promise<void>((resolve) => (openGate = resolve));
  const timing: Timing = { latencyMs: options.latencyMs ?? 0, tokenDelayMs: options.tokenDelayMs ?? 0, released: () => gate };
  const models = options.models ?? DEFAULT_MODELS;
  const script = new Script();
  const requests: RecordedRequest[] = [];
  const open = new Set<Exchange>();
  const sockets = new Set<Socket>();
  const waiters = new Set<Waiter>();
  let counter = 0;

  let closing: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    for (const waiter of [...waiters]) waiter.fail(new Error('fake-openai: server closed'));
    for (const ex of open) ex.markServerShutdown();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // server.close() alone would wait for hung and streaming requests forever.
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  const notify = (): void => {
    for (const waiter of [...waiters]) waiter.check();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ex = new Exchange(req, res, ++counter, notify);
    open.add(ex);
    ex.signal.addEventListener('abort', () => open.delete(ex), { once: true });

    const parsed = req.method === 'POST' ? await readJsonBody(req) : { ok: true as const, body: null };
    const body = parsed.ok ? parsed.body : null;
    ex.record.body = body;
    ex.record.model = typeof body?.['model'] === 'string' ? body['model'] : undefined;
    ex.record.stream = body?.['stream'] === true;
    requests.push(ex.record);
    notify();
    if (ex.gone) return;

    const path = ex.record.path;
    const api = KNOWN_ROUTES[`${req.method} ${path}`];
    const isModels = req.method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'));
    if (!api && !isModels) {
      return ex.sendError({ status: 404, error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', param: null, code: null } });
    }
    const denied = options.apiKey === undefined ? undefined : authError(ex.record.headers['authorization'], options.apiKey);
    if (denied) return ex.sendError(denied);

    if (!api) return answerModels(ex, models);

    if (!parsed.ok || body === null) {
      return ex.sendError(invalidRequest('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.', null, null));
    }
    const rejected = api.validate(body) ?? checkModelRules(api.kind, ex.record.model ?? '', body);
    if (rejected) return ex.sendError(rejected);

    const model = ex.record.model ?? '';
    const step = script.take(api.kind, model);
    ex.record.step = step;
    await respond(ex, api, body, model, step, timing);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake must not look like a network error: answer 500 and say why.
      console.error('[fake-openai] handler failed:', error);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake-openai bug: ${String(error)}`, type: 'server_error', param: null, code: null } }));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    get pendingSteps() {
      return script.pending;
    },
    script(...steps) {
      script.push(steps);
    },
    waitFor(predicate, timeoutMs = 2000) {
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          check() {
            if (!predicate(requests)) return;
            waiters.delete(waiter);
            clearTimeout(timer);
            resolve();
          },
          fail(error) {
            waiters.delete(waiter);
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => waiter.fail(new Error(`fake-openai: waitFor condition not met within ${timeoutMs}ms`)), timeoutMs);
        waiters.add(waiter);
        waiter.check();
      });
    },
    release() {
      openGate();
      gate = new Promise<void>((resolve) => (openGate = resolve));
    },
    reset() {
      script.clear();
      requests.length = 0;
      counter = 0;
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
