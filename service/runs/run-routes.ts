import { z } from 'zod';
import {
  CreateTestRunBody,
  CreateTestRunQuery,
  IdempotencyHeaders,
  ListTestRunsQuery,
  ModelList,
  ReplayBody,
  TestRun,
  TestRunIdParams,
  TestRunList,
  UsageQuery,
  UsageReport,
} from '../../contract/index.ts';
import { clientGone } from '../http/client-gone.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { SessionStreams } from '../http/session-streams.ts';
import { streamRunEvents } from './run-events.ts';
import { usageReport } from './usage-report.ts';
import { runServerTiming } from './run-timing.ts';
import { cancel, createRun, getRun, isFinished, replayRun, searchRuns, waitForFinish, WaitAbandoned, type RunService } from './run-use-cases.ts';

const SSE_DESCRIPTION = [
  '`text/event-stream`. Events:',
  '- `delta`: `{"text": "..."}`, output text as it arrives (a late client first gets all text so far);',
  '- `reset`: `{"attempt": n, "reason": "..."}`, a retry started over: discard the text received so far (an addition to the contract);',
  '- `done`: the final TestRun; the stream then ends.',
  'The stream also ends, without `done`, when the session that opened it signs out (the next request with its cookie is 401). ' +
    'A client that reads slowly gets the text it missed in one `delta` once it catches up.',
].join('\n');

export function runRoutes(service: RunService, sessions: SessionStreams): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/models',
      tag: 'Test runs',
      summary: 'The models offered, with the API each uses, their prices and the parameters each takes',
      description:
        '`parameters` says which run parameters a model takes and their limits (`null`: not taken). POST /api/test-runs refuses others with 400 naming `params.<name>`. ' +
        'An id not listed here follows the same rule: reasoning models (the gpt-5 family, the o-series) take `reasoningEffort`, not `temperature` or `topP`; `verbosity` is for the gpt-5 family; every model takes `maxOutputTokens`.',
      response: ModelList,
      handler: async () => service.catalog.list(),
    }),
    defineRoute({
      method: 'post',
      path: '/api/test-runs',
      tag: 'Test runs',
      summary: 'Queue a run of a prompt version against a model',
      description:
        'Answers 202 with the queued run, or with `wait=true` 200 with the finished one. A `{{variable}}` without a value is a 400 naming it. ' +
        'A parameter the model does not take (see `parameters` in GET /api/models), or a value outside its limits, is a 400 naming `params.<name>`. ' +
        'An `Idempotency-Key` replayed with the same body returns the same run (the model is called once); with another body: 409; ' +
        'if that run belongs to a prompt deleted since, 404 as `GET` answers. A waiting request whose client goes away releases the run (it carries on). ' +
        'A new run\'s answer carries a `Server-Timing` header with the time spent in the service, in milliseconds: `accept` (the request read and checked: body, session, validation), ' +
        '`insert` (the run written) and, with `wait=true`, `model` (the model call that gave the result, as `latencyMs`) and `result` (the result written and handed over, with any earlier attempts and their backoff).',
      headers: IdempotencyHeaders,
      query: CreateTestRunQuery,
      body: CreateTestRunBody,
      status: 202,
      alternativeStatuses: { 200: 'With wait=true: the finished run' },
      response: TestRun,
      handler: async ({ body, query, headers, res, setStatus }) => {
        const begun = performance.now();
        // Taken before anything is awaited, so a client that leaves meanwhile is still noticed.
        const gone = query.wait ? clientGone(res) : undefined;
        const run = await createRun(service, body, headers['idempotency-key']);
        const times = { arrivedAt: res.locals.arrivedAt as number | undefined, begun, inserted: performance.now() };
        res.setHeader('Server-Timing', runServerTiming(times));
        if (isFinished(run)) {
          setStatus(200);
          return run;
        }
        if (!query.wait) return run;
        setStatus(200);
        try {
          const finished = await waitForFinish(service, run.id, gone);
          res.setHeader('Server-Timing', runServerTiming({ ...times, ended: performance.now(), modelMs: finished.latencyMs }));
          return finished;
        } catch (error) {
          // Nobody is left to answer; the run itself carries on.
          if (error instanceof WaitAbandoned) return run;
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/test-runs',
      tag: 'Test runs',
      summary: 'Run history, newest first, with filters and text search in the output',
      query: ListTestRunsQuery,
      response: TestRunList,
      handler: ({ query }) => searchRuns(service.db, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/test-runs/:id',
      tag: 'Test runs',
      summary: 'One run',
      params: TestRunIdParams,
      response: TestRun,
      handler: ({ params }) => getRun(service.db, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/test-runs/:id/events',
      tag: 'Test runs',
      summary: "Stream a run's output as server-sent events",
      description: SSE_DESCRIPTION,
      params: TestRunIdParams,
      raw: { contentType: 'text/event-stream' },
      response: z.string().meta({ description: SSE_DESCRIPTION }),
      handler: async ({ params, req, res }) => {
        await streamRunEvents(service, sessions, params.id, req, res);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/usage',
      tag: 'Test runs',
      summary: 'Tokens and cost of runs, grouped by day, version, model or prompt (an addition to the contract)',
      query: UsageQuery,
      response: UsageReport,
      handler: ({ query }) => usageReport(service.db, query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/test-runs/:id/replay',
      tag: 'Test runs',
      summary: 'Run a past run again: the same model, params, variables and input, on the current version or a given one',
      description:
        'Answers 202 with the new queued run. The checks of POST /api/test-runs apply: a `{{variable}}` the chosen version uses and the run had no value for is a 400 naming it; ' +
        'a version of another prompt is a 404.',
      params: TestRunIdParams,
      body: ReplayBody,
      status: 202,
      response: TestRun,
      handler: ({ params, body }) => replayRun(service, params.id, body.promptVersionId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/test-runs/:id/cancel',
      tag: 'Test runs',
      summary: 'Cancel a run; aborts its model call. A finished run is answered as it is',
      params: TestRunIdParams,
      response: TestRun,
      handler: ({ params }) => cancel(service, params.id),
    }),
  ];
}
