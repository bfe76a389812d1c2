// One request/response pair and its record. It centralises the two things every handler
// needs to get right: noticing that the client went away (so the record says `aborted` and
// no timer keeps running), and writing OpenAI-shaped answers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorReply } from './errors.ts';
import type { JsonObject } from './request-body.ts';
import type { ScriptedStep } from './scenario.ts';

/** Everything the fake saw of one request. Fields after `receivedAt` fill in as it is handled. */
export interface RecordedRequest {
  readonly id: number;
  readonly method: string;
  /** Path without the query string, e.g. `/v1/responses`. */
  readonly path: string;
  /** Lower-cased header names, as Node delivers them. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; null for GET, an empty body or invalid JSON. */
  readonly body: JsonObject | null;
  /** `Date.now()` when the request arrived. */
  readonly receivedAt: number;
  readonly model: string | undefined;
  /** True when the body asked for `stream: true`. */
  readonly stream: boolean;
  /** The scripted step that answered; undefined when auth or a model rule rejected it first. */
  readonly step: ScriptedStep | undefined;
  /** HTTP status sent; undefined when no response head was written (hang, early disconnect). */
  readonly status: number | undefined;
  /** True when the client closed the connection before the response was complete. */
  readonly aborted: boolean;
  /** `Date.now()` when the exchange ended (completed, aborted or cut); undefined while open. */
  readonly endedAt: number | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export class Exchange {
  readonly record: Mutable<RecordedRequest>;
  readonly #res: ServerResponse;
  readonly #controller = new AbortController();
  /** Set when the fake itself cuts the connection, so that is not mistaken for a client abort. */
  #closedByServer = false;

  constructor(req: IncomingMessage, res: ServerResponse, id: number, onChange: () => void) {
    this.#res = res;
    this.record = {
      id,
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: flattenHeaders(req),
      body: null,
      receivedAt: Date.now(),
      model: undefined,
      stream: false,
      step: undefined,
      status: undefined,
      aborted: false,
      endedAt: undefined,
    };
    // 'close' fires both after a normal finish and when the socket dies early; only the
    // latter (without our own disconnect/shutdown) means the client aborted.
    res.on('close', () => {
      if (!res.writableFinished && !this.#closedByServer) this.record.aborted = true;
      this.record.endedAt = Date.now();
      this.#controller.abort();
      onChange();
    });
  }

  /** Aborted once the connection is gone for any reason; handlers stop at the next check. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get gone(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Waits `ms`, ending early (without rejecting) if the connection goes away; clears its timer either way. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.gone) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Resolves when the connection is gone; holds no timer, so it cannot keep the process alive. */
  untilGone(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => this.signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  #writeHead(status: number, headers: Record<string, string>): void {
    this.record.status = status;
    this.#res.writeHead(status, { 'x-request-id': `req_fake_${this.record.id}`, ...headers });
  }

  sendJson(status: number, body: object, headers: Record<string, string> = {}): void {
    if (this.gone) return;
    this.#writeHead(status, { 'content-type': 'application/json', ...headers });
    this.#res.end(JSON.stringify(body));
  }

  sendError(reply: ErrorReply): void {
    this.sendJson(reply.status, { error: reply.error }, reply.headers);
  }

  startEventStream(): void {
    if (this.gone) return;
    this.#writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.#res.flushHeaders();
  }

  /** Writes and resolves once the bytes are handed to the socket, so a following cut does not drop them. */
  write(chunk: string): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => this.#res.write(chunk, () => resolve()));
  }

  end(): void {
    if (!this.gone) this.#res.end();
  }

  /** Cuts the connection like a network failure: no terminating chunk, no further bytes. */
  disconnect(): void {
    this.#closedByServer = true;
    this.#res.socket?.destroy();
  }

  /** Called by `close()` before it destroys the sockets, so shutdown is not recorded as a client abort. */
  markServerShutdown(): void {
    this.#closedByServer = true;
  }
}
