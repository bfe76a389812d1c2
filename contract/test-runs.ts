import { z } from 'zod';
import { Id, PageQuery, Timestamp, booleanQuery, listOf } from './common.ts';
import { RUN_STATUSES } from './run-statuses.ts';
import { ModelApi, ModelId, PARAMETER_LIMITS, REASONING_EFFORTS, VERBOSITIES } from './models.ts';

export { RUN_STATUSES };
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;
export const FINISHED_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'canceled'];

const { temperature, topP, maxOutputTokens } = PARAMETER_LIMITS;

/**
 * Only what is set is sent to the model. Which of these a model takes, and their limits for it,
 * are in its `parameters` (GET /api/models); a run with one it does not take is a 400.
 */
export const RunParams = z
  .strictObject({
    temperature: z.number().min(temperature.min).max(temperature.max).optional(),
    topP: z.number().min(topP.min).max(topP.max).optional(),
    maxOutputTokens: z.number().int().min(maxOutputTokens.min).max(maxOutputTokens.max).optional(),
    reasoningEffort: z.enum(REASONING_EFFORTS).optional(),
    verbosity: z.enum(VERBOSITIES).optional(),
  })
  .meta({ id: 'RunParams' });
export type RunParams = z.infer<typeof RunParams>;

export const Usage = z
  .object({
    inputTokens: z.number().int(),
    cachedInputTokens: z.number().int().meta({ description: 'Part of inputTokens' }),
    outputTokens: z.number().int(),
    reasoningTokens: z.number().int().meta({ description: 'Part of outputTokens' }),
    totalTokens: z.number().int(),
  })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof Usage>;

export const RunError = z
  .object({
    code: z.string().meta({
      description:
        "The provider's error code (or type), or one of ours: TIMEOUT (longer than the run timeout, including a provider that went quiet after its headers), " +
        'CONNECTION_ERROR (provider unreachable), CONNECTION_LOST (the stream broke or ended before the provider said the model finished), ' +
        'MALFORMED_STREAM (an event that is not JSON), INCOMPLETE (the call finished but the answer is cut: max_output_tokens, length or content_filter; ' +
        'output, usage and cost are kept), INTERRUPTED (the service stopped: a crash, or a shutdown whose grace period ran out), ' +
        'RESULT_NOT_SAVED (the model answered but the database refused the result; run it again), NO_API_KEY, CANCELED',
    }),
    message: z.string(),
    status: z.number().int().nullable().optional().meta({ description: "The provider's HTTP status, when it answered" }),
  })
  .meta({ id: 'RunError', description: "A model error keeps the provider's status and message" });
export type RunError = z.infer<typeof RunError>;

export const TestRun = z
  .object({
    id: Id,
    promptId: Id,
    promptVersionId: Id,
    versionNumber: z.number().int(),
    status: RunStatus.meta({
      description: '`succeeded` only when the provider said the model finished (response.completed, or a finish_reason of stop); any stream that stopped short is `failed` with error.code saying why',
    }),
    model: z.string(),
    api: ModelApi,
    params: RunParams,
    inputVariables: z.record(z.string(), z.string()),
    input: z.string().nullable(),
    output: z.string().nullable(),
    usage: Usage.nullable(),
    costUsd: z.number().nullable(),
    error: RunError.nullable(),
    attempts: z.number().int(),
    latencyMs: z.number().int().nullable(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    updatedAt: Timestamp,
    batchId: Id.nullable().optional().meta({ description: 'The batch that made this run (an addition to v1); null or absent for a single run' }),
    caseId: Id.nullable().optional().meta({ description: 'The test case a batch ran' }),
    repeat: z.number().int().nullable().optional().meta({ description: 'Which repeat of its case in its batch, from 1' }),
  })
  .meta({ id: 'TestRun' });
export type TestRun = z.infer<typeof TestRun>;

export const TestRunList = listOf(TestRun).meta({ id: 'TestRunList' });

export const CreateTestRunBody = z
  .strictObject({
    promptId: Id,
    promptVersionId: Id.optional().meta({ description: 'Omitted: the current version' }),
    model: ModelId,
    params: RunParams.default({}),
    inputVariables: z.record(z.string().min(1).max(200), z.string().max(100_000)).default({}),
    input: z.string().max(200_000).optional().meta({ description: 'The user message; required for system prompts, refused for user prompts' }),
  })
  .meta({ id: 'CreateTestRunBody' });
export type CreateTestRunBody = z.infer<typeof CreateTestRunBody>;

export const CreateTestRunQuery = z.strictObject({
  wait: booleanQuery('true: answer 200 with the finished run instead of 202 with the queued one'),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'Replaying the same key with the same body returns the same run and never calls the model twice; with another body: 409' }),
});

export const ListTestRunsQuery = PageQuery.extend({
  promptId: Id.optional(),
  promptVersionId: Id.optional(),
  status: RunStatus.optional(),
  model: ModelId.optional(),
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Text to find in the output' }),
});
export type ListTestRunsQuery = z.infer<typeof ListTestRunsQuery>;

export const TestRunIdParams = z.strictObject({ id: Id });

export const USAGE_GROUPS = ['day', 'version', 'model', 'prompt'] as const;

/** GET /api/usage (an addition to the contract): tokens and cost of runs, grouped. */
export const UsageQuery = z.strictObject({
  groupBy: z.enum(USAGE_GROUPS).default('day').meta({ description: '`day` (UTC), `version` (needs promptId), `model` or `prompt`' }),
  promptId: Id.optional().meta({ description: 'Only this prompt; absent: every prompt' }),
  from: z.iso.datetime().optional().meta({ description: 'Runs created at or after; default 30 days ago' }),
  to: z.iso.datetime().optional().meta({ description: 'Runs created before; default now' }),
});
export type UsageQuery = z.infer<typeof UsageQuery>;

export const UsageRow = z
  .object({
    key: z.string().meta({ description: 'The day (YYYY-MM-DD), version id, model id or prompt id' }),
    label: z.string().meta({ description: 'For people: the day, "v3", the model, or the prompt title' }),
    runs: z.number().int(),
    inputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    outputTokens: z.number().int(),
    reasoningTokens: z.number().int(),
    totalTokens: z.number().int(),
    costUsd: z.number().meta({ description: 'Sum over priced runs' }),
    unpricedRuns: z.number().int().meta({ description: 'Runs with usage but no price (costUsd null)' }),
  })
  .meta({ id: 'UsageRow' });
export type UsageRow = z.infer<typeof UsageRow>;

export const UsageReport = z
  .object({ groupBy: z.enum(USAGE_GROUPS), from: Timestamp, to: Timestamp, items: z.array(UsageRow), totals: UsageRow })
  .meta({ id: 'UsageReport' });
export type UsageReport = z.infer<typeof UsageReport>;
