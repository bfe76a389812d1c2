// The REST calls of the run panel: test runs, their event streams, models and usage. Like the
// prompts client it goes through api/http.ts: it does not import `vscode`, reads the session cookie
// on every call, and fails with the same three errors (api/errors.ts), so it is tested against the
// real service.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CreateTestRunBody,
  ModelList,
  RunDeltaData,
  RunResetData,
  TestRun,
  TestRunList,
  UsageReport,
  type ListPage,
  type ModelInfo,
  type TestRunEvent,
  type UsageQuery,
} from '../../contract/index.ts';
import { ServiceHttp, queryString, type HttpOptions } from './http.ts';
import { openEventStream, readEvents } from './sse.ts';

/** The URL is read on every call: the setting may change while a panel is open. */
export type RunsClientOptions = HttpOptions;

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

export class RunsClient {
  private readonly http: ServiceHttp;

  /** `http`: the extension's one connection, shared with the prompts client; options make a client of its own (tests). */
  constructor(http: ServiceHttp | RunsClientOptions) {
    this.http = http instanceof ServiceHttp ? http : new ServiceHttp(http);
  }

  /** Queues a run; the idempotency key makes a repeated send (a flaky network) one run. */
  createRun(body: NewRun, idempotencyKey: string = randomUUID()): Promise<TestRun> {
    return this.http.request('POST', '/api/test-runs', TestRun, { body, headers: { 'Idempotency-Key': idempotencyKey } });
  }

  getRun(runId: string): Promise<TestRun> {
    return this.http.request('GET', `/api/test-runs/${encodeURIComponent(runId)}`, TestRun);
  }

  cancelRun(runId: string): Promise<TestRun> {
    return this.http.request('POST', `/api/test-runs/${encodeURIComponent(runId)}/cancel`, TestRun);
  }

  listRuns(q: RunQuery): Promise<ListPage<TestRun>> {
    const { promptId, promptVersionId, status, model, limit, cursor } = q;
    return this.http.request('GET', `/api/test-runs${queryString({ promptId, promptVersionId, status, model, q: q.q, limit, cursor })}`, TestRunList);
  }

  listModels(): Promise<ModelInfo[]> {
    return this.http.request('GET', '/api/models', ModelList);
  }

  usage(q: Partial<UsageQuery>): Promise<UsageReport> {
    return this.http.request('GET', `/api/usage${queryString({ groupBy: q.groupBy, promptId: q.promptId, from: q.from, to: q.to })}`, UsageReport);
  }

  /**
   * The run's server-sent events, validated, until `done` or the stream ends. Ends early without
   * `done` when the connection drops; the caller decides whether to join again.
   */
  async *events(runId: string, signal: AbortSignal): AsyncGenerator<TestRunEvent> {
    const body = await openEventStream(this.http, `/api/test-runs/${encodeURIComponent(runId)}/events`, signal);
    for await (const raw of readEvents(body, this.http.serviceUrl, signal)) {
      const event = parseEvent(raw.event, raw.data);
      if (event) yield event;
      if (event?.event === 'done') return;
    }
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
    const parsed = RunDeltaData.safeParse(json);
    return parsed.success ? { event, data: parsed.data } : undefined;
  }
  if (event === 'reset') {
    const parsed = RunResetData.safeParse(json);
    return parsed.success ? { event, data: parsed.data } : undefined;
  }
  if (event === 'done') {
    const parsed = TestRun.safeParse(json);
    return parsed.success ? { event, data: parsed.data } : undefined;
  }
  return undefined;
}
