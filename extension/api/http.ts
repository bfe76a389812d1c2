// The HTTP both REST clients share (client.ts: sign-in and prompts; runs.ts: the run panel): the
// URL, the session cookie, a timeout, the `{ data, error }` envelope checked with zod, and the three
// ways a call fails (errors.ts). It does not import `vscode`, so both clients are tested in plain mocha.
import { z } from 'zod';
import { ApiErrorBody, SESSION_COOKIE } from '../../contract/index.ts';
import { ApiError, ServiceUnreachableError, UnexpectedResponseError } from './errors.ts';

export { SESSION_COOKIE };

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const DEFAULT_TIMEOUT_MS = 20_000;

export interface HttpOptions {
  /** The service's URL without a trailing slash, read on every call. */
  serviceUrl: () => string;
  /** The session cookie's value, read on every call so a sign-in elsewhere is picked up. */
  sessionCookie?: () => string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /**
   * Awaited before every call: the extension's own local service is started here on first use
   * (so nothing starts it at activation). It throws a ServiceUnreachableError saying what to do
   * when the service cannot be started.
   */
  ready?: () => Promise<void>;
}

export interface SendOptions {
  body?: unknown;
  /** Added to `Accept: application/json`, and winning over it. */
  headers?: Record<string, string>;
  /** Instead of the timeout: an event stream stays open as long as the run, so only this ends it. */
  signal?: AbortSignal;
  /** A body sent as is, streamed (an import file), instead of `body` as JSON. */
  upload?: { stream: ReadableStream<Uint8Array>; contentType: string; length: number };
}

const DataEnvelope = z.object({ data: z.unknown(), error: z.null() });
const ErrorEnvelope = z.object({ error: ApiErrorBody });

export class ServiceHttp {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly sessionCookie: () => string | undefined;

  constructor(private readonly options: HttpOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sessionCookie = options.sessionCookie ?? (() => undefined);
  }

  get serviceUrl(): string {
    return this.options.serviceUrl();
  }

  /** The call's `data`, checked against `schema`. */
  async request<T extends z.ZodType>(method: Method, path: string, schema: T, options: SendOptions = {}): Promise<z.output<T>> {
    return (await this.call(method, path, schema, options)).data;
  }

  /** The call's `data`, checked against `schema`, with the response (for its headers). */
  async call<T extends z.ZodType>(method: Method, path: string, schema: T, options: SendOptions = {}): Promise<{ data: z.output<T>; response: Response }> {
    const response = await this.send(method, path, options);
    if (!response.ok) return this.fail(response);
    const envelope = DataEnvelope.safeParse(await this.json(response));
    if (!envelope.success) throw new UnexpectedResponseError(this.serviceUrl, response.status, 'no data envelope');
    const success = schema.safeParse(envelope.data.data);
    if (!success.success) {
      const issue = success.error.issues[0];
      throw new UnexpectedResponseError(
        this.serviceUrl,
        response.status,
        issue ? `data.${issue.path.join('.')}: ${issue.message}` : 'the data does not match the contract',
      );
    }
    return { data: success.data, response };
  }

  /** The raw response, whatever its status; no answer at all is a ServiceUnreachableError. */
  async send(method: Method, path: string, options: SendOptions = {}): Promise<Response> {
    const { body, signal, upload } = options;
    if (this.options.ready) {
      try {
        await this.options.ready();
      } catch (error) {
        throw error instanceof ServiceUnreachableError ? error : new ServiceUnreachableError(this.serviceUrl, networkReason(error));
      }
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (upload) {
      headers['Content-Type'] = upload.contentType;
      headers['Content-Length'] = String(upload.length);
    }
    const cookie = this.sessionCookie();
    if (cookie) headers.Cookie = `${SESSION_COOKIE}=${cookie}`;
    try {
      return await this.fetchImpl(`${this.serviceUrl}${path}`, {
        method,
        headers,
        body: upload ? upload.stream : body === undefined ? undefined : JSON.stringify(body),
        // Node's fetch streams a request body only when told it may answer before the body ends.
        ...(upload ? { duplex: 'half' } : {}),
        signal: signal ?? AbortSignal.timeout(this.timeoutMs),
      } as RequestInit);
    } catch (error) {
      throw new ServiceUnreachableError(this.serviceUrl, networkReason(error));
    }
  }

  /** Throws what a response that is not ok means: its error envelope as an ApiError, or that it has none. */
  async fail(response: Response): Promise<never> {
    const failure = ErrorEnvelope.safeParse(await this.json(response));
    if (!failure.success) throw new UnexpectedResponseError(this.serviceUrl, response.status, 'no error envelope');
    const { code, message, details } = failure.data.error;
    throw new ApiError(code, response.status, message, details);
  }

  private async json(response: Response): Promise<unknown> {
    try {
      return await response.json();
    } catch {
      throw new UnexpectedResponseError(this.serviceUrl, response.status, 'the body is not JSON');
    }
  }
}

/** `?a=1&b=2` of the params that have a value (none of undefined, null and ''), or '' when none has. */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A short reason for a failed fetch, from the cause Node's fetch wraps (ECONNREFUSED, a timeout...). */
export function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
