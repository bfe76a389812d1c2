// The REST calls of the run panel: test runs, their event streams, models and usage. Like the
// prompts client it does not import `vscode`, reads the session cookie on every call, and fails
// with the same three errors (api/errors.ts), so it is tested against the real service.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ApiErrorBody,
  CreateTestRunBody,
  ModelList,
  TestRun,
  TestRunList,
  UsageReport,
  type ListPage,
  type ModelInfo,
  type TestRunEvent,
  type UsageQuery,
} from '../../contract/index.ts';
import { SESSION_COOKIE } from './client.ts';
import { ApiError, ServiceUnreachableError, UnexpectedResponseError } from './errors.ts';
import { SseParser } from '../run-panel/sse.ts';

export interface RunsClientOptions {
  /** Read on every call: the URL setting may change while a panel is open. */
  serviceUrl: () => string;
  sessionCookie: () => string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface RunQuery {
  promptId?: string;
  promptVersionId?: string | null;
  status?: string | null;
  model?: string | null;
  q?: string | null;
  limit?: number;
  cursor?: string | null;
}

/** What a caller may send: the contract's body before its defaults apply. */
export type NewRun = z.input<typeof CreateTestRunBody>;

const DEFAULT_TIMEOUT_MS = 20_000;

const DeltaData = z.object({ text: z.string() });
const ResetData = z.object({ attempt: z.number().int(), reason: z.string() });

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export class RunsClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: RunsClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Queues a run; the idempotency key makes a repeated send (a flaky network) one run. */
  createRun(body: NewRun, idempotencyKey: string = randomUUID()): Promise<TestRun> {
    return this.request('POST', '/api/test-runs', TestRun, body, { 'Idempotency-Key': idempotencyKey });
  }

  getRun(runId: string): Promise<TestRun> {
    return this.request('GET', `/api/test-runs/${encodeURIComponent(runId)}`, TestRun);
  }

  cancelRun(runId: string): Promise<TestRun> {
    return this.request('POST', `/api/test-runs/${encodeURIComponent(runId)}/cancel`, TestRun);
  }

  listRuns(q: RunQuery): Promise<ListPage<TestRun>> {
    const { promptId, promptVersionId, status, model, limit, cursor } = q;
    return this.request('GET', `/api/test-runs${query({ promptId, promptVersionId, status, model, q: q.q, limit, cursor })}`, TestRunList);
  }

  listModels(): Promise<ModelInfo[]> {
    return this.request('GET', '/api/models', ModelList);
  }

  usage(q: Partial<UsageQuery>): Promise<UsageReport> {
    return this.request('GET', `/api/usage${query({ groupBy: q.groupBy, promptId: q.promptId, from: q.from, to: q.to })}`, UsageReport);
  }

  /**
   * The run's server-sent events, validated, until `done` or the stream ends. Ends early without
   * `done` when the connection drops; the caller decides whether to join again.
   */
  async *events(runId: string, signal: AbortSignal): AsyncGenerator<TestRunEvent> {
    const response = await this.send('GET', `/api/test-runs/${encodeURIComponent(runId)}/events`, undefined, { Accept: 'text/event-stream' }, signal);
    if (!response.ok) await this.fail(response);
    if (!response.body) throw new UnexpectedResponseError(this.url(), response.status, 'the event stream has no body');
    const parser = new SseParser();
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        for (const raw of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
          const event = parseEvent(raw.event, raw.data);
          if (event) yield event;
          if (event?.event === 'done') return;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      throw new ServiceUnreachableError(this.url(), networkReason(error));
    }
  }

  private url(): string {
    return this.options.serviceUrl();
  }

  private async send(method: string, path: string, body: unknown, extra: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const cookie = this.options.sessionCookie();
    if (cookie) headers.Cookie = `${SESSION_COOKIE}=${cookie}`;
    try {
      return await this.fetchImpl(`${this.url()}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // An event stream stays open as long as the run; only the caller's signal ends it.
        signal: signal ?? AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceUnreachableError(this.url(), networkReason(error));
    }
  }

  private async fail(response: Response): Promise<never> {
    const json: unknown = await response.json().catch(() => undefined);
    const failure = z.object({ error: ApiErrorBody }).safeParse(json);
    if (!failure.success) throw new UnexpectedResponseError(this.url(), response.status, 'no error envelope');
    const { code, message, details } = failure.data.error;
    throw new ApiError(code, response.status, message, details);
  }

  private async request<T extends z.ZodType>(method: string, path: string, schema: T, body?: unknown, headers: Record<string, string> = {}): Promise<z.output<T>> {
    const response = await this.send(method, path, body, headers);
    if (!response.ok) return this.fail(response);
    const json: unknown = await response.json().catch(() => undefined);
    const envelope = z.object({ data: z.unknown(), error: z.null() }).safeParse(json);
    if (!envelope.success) throw new UnexpectedResponseError(this.url(), response.status, 'no data envelope');
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new UnexpectedResponseError(this.url(), response.status, issue ? `data.${issue.path.join('.')}: ${issue.message}` : 'the data does not match the contract');
    }
    return data.data;
  }
}

/** One SSE event as the contract's TestRunEvent, or undefined for anything else (ignored). */
export function parseEvent(event: string, data: string): TestRunEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (event === 'delta') {
    const parsed = DeltaData.safeParse(json);
    return parsed.success ? { event, data: parsed.data } : undefined;
  }
  if (event === 'reset') {
    const parsed = ResetData.safeParse(json);
    return parsed.success ? { event, data: parsed.data } : undefined;
  }
  if (event === 'done') {
    const parsed = TestRun.safeParse(json);
    return parsed.success ? { event, data: parsed.data } : undefined;
  }
  return undefined;
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
