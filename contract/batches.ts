// Batches: one run for each version × model × case × repeat of a prompt, through the same durable
// run queue as single runs, with every run checked against its case's expectations.
import { z } from 'zod';
import { CheckResult } from './cases.ts';
import { Id, PageQuery, Timestamp, listOf } from './common.ts';
import { ModelId } from './models.ts';
import { RunParams, RunStatus, Usage } from './test-runs.ts';

export const MAX_BATCH_RUNS = 500;
export const MAX_BATCH_MODELS = 10;
export const MAX_BATCH_REPEATS = 10;

export const BATCH_STATUSES = ['queued', 'running', 'finished', 'canceled'] as const;
export const BatchStatus = z.enum(BATCH_STATUSES).meta({
  description: 'From its runs: `queued` while none has started, `running` until every one has finished, then `finished`; `canceled` once canceled',
});
export type BatchStatus = z.infer<typeof BatchStatus>;

export const CreateBatchBody = z
  .strictObject({
    promptId: Id,
    promptVersionIds: z.array(Id).min(1).max(20).optional().meta({ description: 'Default: the current version' }),
    models: z.array(ModelId).min(1).max(MAX_BATCH_MODELS),
    params: RunParams.default({}),
    caseIds: z.array(Id).min(1).max(MAX_BATCH_RUNS).optional().meta({ description: 'Default: every case of the prompt' }),
    repeats: z.number().int().min(1).max(MAX_BATCH_REPEATS).default(1),
  })
  .meta({ id: 'CreateBatchBody' });
export type CreateBatchBody = z.infer<typeof CreateBatchBody>;

export const BatchResult = z
  .object({
    runId: Id,
    caseId: Id,
    promptVersionId: Id,
    versionNumber: z.number().int(),
    model: z.string(),
    repeat: z.number().int().meta({ description: '1 to repeats' }),
    status: RunStatus,
    output: z.string().nullable(),
    usage: Usage.nullable(),
    costUsd: z.number().nullable(),
    latencyMs: z.number().int().nullable(),
    checks: z.array(CheckResult).meta({
      description: "One per expectation of the case (as it was when the batch was created); empty until the run has finished. A run that did not succeed fails every check",
    }),
  })
  .meta({ id: 'BatchResult' });
export type BatchResult = z.infer<typeof BatchResult>;

export const BatchSummaryRow = z
  .object({
    promptVersionId: Id,
    versionNumber: z.number().int(),
    model: z.string(),
    runs: z.number().int(),
    succeeded: z.number().int(),
    checksPassed: z.number().int(),
    checksTotal: z.number().int(),
    costUsd: z.number().meta({ description: 'Sum over priced runs' }),
    medianLatencyMs: z.number().nullable().meta({ description: 'Of the succeeded runs; null when none has' }),
    distinctOutputs: z.number().int().meta({
      description: 'Distinct outputs of the succeeded runs, counted case by case and added up: equal to the number of cases when every repeat gave the same output',
    }),
  })
  .meta({ id: 'BatchSummaryRow' });
export type BatchSummaryRow = z.infer<typeof BatchSummaryRow>;

export const Batch = z
  .object({
    id: Id,
    promptId: Id,
    status: BatchStatus,
    total: z.number().int().meta({ description: 'Runs in the batch' }),
    done: z.number().int().meta({ description: 'Runs finished (succeeded, failed or canceled)' }),
    failed: z.number().int().meta({ description: 'Runs failed' }),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    results: z.array(BatchResult).optional().meta({ description: 'GET /api/batches/:id and the `done` event: one per run, case by case' }),
    summary: z.array(BatchSummaryRow).optional().meta({ description: 'GET /api/batches/:id and the `done` event: one row per version × model' }),
  })
  .meta({ id: 'Batch' });
export type Batch = z.infer<typeof Batch>;

export const BatchList = listOf(Batch).meta({ id: 'BatchList' });

export const ListBatchesQuery = PageQuery.extend({ promptId: Id.optional() });
export type ListBatchesQuery = z.infer<typeof ListBatchesQuery>;

export const BatchIdParams = z.strictObject({ id: Id });

export const ReplayBody = z
  .strictObject({ promptVersionId: Id.optional().meta({ description: 'Default: the current version of the run’s prompt' }) })
  .meta({ id: 'ReplayBody' });
export type ReplayBody = z.infer<typeof ReplayBody>;
