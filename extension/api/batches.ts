// The REST calls of the run panel's Run all: start a batch (with an idempotency key, so a double
// click or a resend is one batch), read, list and cancel batches, and follow a batch's progress
// events. Like runs.ts it goes through api/http.ts and does not import `vscode`, so it is tested
// against the real service.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { Batch, BatchList, type CreateBatchBody, type ListPage } from '../../contract/index.ts';
import { ServiceHttp, queryString, type HttpOptions } from './http.ts';
import { openEventStream, readEvents } from './sse.ts';

/** What a caller may send: the contract's body before its defaults apply. */
export type NewBatch = z.input<typeof CreateBatchBody>;

/** One event of GET /api/batches/:id/events, checked against the contract. */
export type BatchEvent = { event: 'progress'; data: Batch } | { event: 'done'; data: Batch };

export class BatchesClient {
  private readonly http: ServiceHttp;

  /** `http`: the extension's one connection; options make a client of its own (tests). */
  constructor(http: ServiceHttp | HttpOptions) {
    this.http = http instanceof ServiceHttp ? http : new ServiceHttp(http);
  }

  /** Queues a batch; the same key with the same body answers the same batch. */
  createBatch(body: NewBatch, idempotencyKey: string = randomUUID()): Promise<Batch> {
    return this.http.request('POST', '/api/batches', Batch, { body, headers: { 'Idempotency-Key': idempotencyKey } });
  }

  /** The batch with every result (checked) and its summary per version × model. */
  getBatch(batchId: string): Promise<Batch> {
    return this.http.request('GET', `/api/batches/${encodeURIComponent(batchId)}`, Batch);
  }

  cancelBatch(batchId: string): Promise<Batch> {
    return this.http.request('POST', `/api/batches/${encodeURIComponent(batchId)}/cancel`, Batch);
  }

  /** A prompt's batches, newest first, without results. */
  listBatches(q: { promptId: string; limit?: number; cursor?: string | null }): Promise<ListPage<Batch>> {
    return this.http.request('GET', `/api/batches${queryString({ promptId: q.promptId, limit: q.limit, cursor: q.cursor })}`, BatchList);
  }

  /**
   * The batch's server-sent events, validated, until `done` or the stream ends. Ends early without
   * `done` when the connection drops; the caller decides whether to join again.
   */
  async *events(batchId: string, signal: AbortSignal): AsyncGenerator<BatchEvent> {
    const body = await openEventStream(this.http, `/api/batches/${encodeURIComponent(batchId)}/events`, signal);
    for await (const raw of readEvents(body, this.http.serviceUrl, signal)) {
      const event = parseBatchEvent(raw.event, raw.data);
      if (event) yield event;
      if (event?.event === 'done') return;
    }
  }
}

/** One SSE event as a BatchEvent, or undefined for anything else (ignored). */
export function parseBatchEvent(event: string, data: string): BatchEvent | undefined {
  if (event !== 'progress' && event !== 'done') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = Batch.safeParse(json);
  return parsed.success ? { event, data: parsed.data } : undefined;
}
