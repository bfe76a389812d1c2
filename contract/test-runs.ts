import { z } from 'zod';
import { Id, Timestamp, listOf } from './common.ts';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;
export const FINISHED_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'canceled'];

export const MODEL_APIS = ['responses', 'chat'] as const;
export const ModelApi = z.enum(MODEL_APIS).meta({ description: 'The OpenAI API a model is called through' });
export type ModelApi = z.infer<typeof ModelApi>;

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export const VERBOSITIES = ['low', 'medium', 'high'] as const;

/** Only what is set is sent to the model (reasoning models reject `temperature`, for one). */
export const RunParams = z
  .strictObject({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxOutputTokens: z.number().int().min(1).max(1_000_000).optional(),
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
  .object({ code: z.string(), message: z.string() })
  .meta({ id: 'RunError', description: "A model error keeps the provider's status and message" });
export type RunError = z.infer<typeof RunError>;

export const TestRun = z
  .object({
    id: Id,
    promptId: Id,
    promptVersionId: Id,
    versionNumber: z.number().int(),
    status: RunStatus,
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
  })
  .meta({ id: 'TestRun' });
export type TestRun = z.infer<typeof TestRun>;

export const TestRunList = listOf(TestRun).meta({ id: 'TestRunList' });
