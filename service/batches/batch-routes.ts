import { z } from 'zod';
import { Batch, BatchIdParams, BatchList, CreateBatchBody, IdempotencyHeaders, ListBatchesQuery, MAX_BATCH_RUNS } from '../../contract/index.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { SessionStreams } from '../http/session-streams.ts';
import type { RunService } from '../runs/run-use-cases.ts';
import { streamBatchEvents } from './batch-events.ts';
import { cancelBatch, createBatch, getBatch, searchBatches, type BatchService } from './batch-use-cases.ts';
import { RegexMatcher } from './regex-matcher.ts';

const EVENTS_DESCRIPTION = [
  '`text/event-stream`. Events:',
  '- `progress`: the Batch without results (status, total, done, failed), at once and whenever one of its runs finishes;',
  '- `done`: the final Batch with `results` and `summary`, once it is finished or canceled; the stream then ends.',
  'Comment lines (`: keep-alive`) come every 15 s without news. The stream also ends when the session that opened it signs out.',
].join('\n');

export function batchRoutes(runs: RunService, sessions: SessionStreams): RouteSpec[] {
  const service: BatchService = { ...runs, matcher: new RegexMatcher() };
  return [
    defineRoute({
      method: 'post',
      path: '/api/batches',
      tag: 'Batches',
      summary: 'Run a prompt over its test cases: one run for each version × model × case × repeat',
      description:
        `Default: the current version, every case of the prompt (oldest first), 1 repeat. At most ${MAX_BATCH_RUNS} runs, else 400 saying how many it would be. ` +
        'Every case must be runnable on every version (each `{{variable}}` has a value; a system prompt needs each case\'s input), else 400 naming the case. ' +
        'The runs go through the same queue as single runs: the same concurrency limit, retries and crash recovery (a run the service was executing when it was killed ends `failed` with INTERRUPTED and is not sent again; queued runs carry on after a restart). ' +
        'Single runs (POST /api/test-runs) are taken ahead of queued batch runs, so a batch does not hold up an interactive run. ' +
        'Each run is checked against its case\'s expectations as they are now; editing a case later does not change this batch. ' +
        'An `Idempotency-Key` replayed with the same body returns the same batch; with another body: 409.',
      headers: IdempotencyHeaders,
      body: CreateBatchBody,
      status: 202,
      response: Batch,
      handler: ({ body, headers }) => createBatch(service, body, headers['idempotency-key']),
    }),
    defineRoute({
      method: 'get',
      path: '/api/batches',
      tag: 'Batches',
      summary: 'Batches, newest first, without their results',
      query: ListBatchesQuery,
      response: BatchList,
      handler: ({ query }) => searchBatches(service.db, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/batches/:id',
      tag: 'Batches',
      summary: 'One batch with every result, checked, and the summary per version × model',
      params: BatchIdParams,
      response: Batch,
      handler: ({ params }) => getBatch(service, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/batches/:id/events',
      tag: 'Batches',
      summary: "A batch's progress as server-sent events",
      description: EVENTS_DESCRIPTION,
      params: BatchIdParams,
      raw: { contentType: 'text/event-stream' },
      response: z.string().meta({ description: EVENTS_DESCRIPTION }),
      handler: async ({ params, req, res }) => {
        await streamBatchEvents(service, sessions, params.id, req, res);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/batches/:id/cancel',
      tag: 'Batches',
      summary: 'Cancel a batch: its queued and running runs are canceled (running model calls are aborted)',
      description: 'Runs already finished keep their results. A batch already finished or canceled is answered as it is.',
      params: BatchIdParams,
      response: Batch,
      handler: ({ params }) => cancelBatch(service, params.id),
    }),
  ];
}
