// Creating, reading, listing and canceling batches. A batch is a row and its runs, inserted in one
// transaction; the runs then go through the same durable queue as single runs (concurrency limit,
// retries, crash recovery, cancel), and everything about the batch is read back from them.
import { randomUUID } from 'node:crypto';
import {
  MAX_BATCH_RUNS,
  missingVariables,
  type Batch,
  type CreateBatchBody,
  type ListBatchesQuery,
  type ListPage,
} from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { AppError, invalidInput, notFound } from '../http/app-error.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import { casesByIds, listCases, type CaseRow } from '../cases/case-queries.ts';
import { findPrompt } from '../prompts/prompt-queries.ts';
import { findVersion } from '../prompts/version-queries.ts';
import type { VersionRow } from '../prompts/prompt-queries.ts';
import { assertParamsFit } from '../runs/run-params.ts';
import { toTestRun, type NewRun } from '../runs/run-queries.ts';
import { fingerprint, type RunService } from '../runs/run-use-cases.ts';
import {
  batchRunRows,
  cancelBatchRuns,
  countBatchRuns,
  findBatch,
  findBatchByIdempotencyKey,
  insertBatch,
  insertBatchRuns,
  listBatches,
  markCanceled,
  type BatchRow,
} from './batch-queries.ts';
import { batchHead, batchResults, batchSummary } from './batch-view.ts';
import type { RegexMatcher } from './regex-matcher.ts';

export interface BatchService extends RunService {
  matcher: RegexMatcher;
}

function repeated<T>(items: T[], path: string): void {
  const seen = new Set<T>();
  items.forEach((item, i) => {
    if (seen.has(item)) throw invalidInput(`${path}.${i}`, 'is listed twice');
    seen.add(item);
  });
}

async function versionsOf(db: Executor, promptId: string, currentVersionId: string | null, ids: string[] | undefined): Promise<VersionRow[]> {
  if (!ids) {
    const current = currentVersionId ? await findVersion(db, promptId, currentVersionId) : undefined;
    if (!current) throw invalidInput('promptId', 'the prompt has no version yet; add its content first');
    return [current];
  }
  repeated(ids, 'promptVersionIds');
  const versions: VersionRow[] = [];
  for (const [i, id] of ids.entries()) {
    const version = await findVersion(db, promptId, id);
    if (!version) throw invalidInput(`promptVersionIds.${i}`, 'is not a version of this prompt');
    versions.push(version);
  }
  return versions;
}

async function casesOf(db: Executor, promptId: string, ids: string[] | undefined): Promise<CaseRow[]> {
  if (!ids) {
    // Oldest first: the order they were written in, which is how a grid of cases reads.
    const all = (await listCases(db, promptId)).reverse();
    if (all.length === 0) throw invalidInput('caseIds', `the prompt has no test cases yet; add one first (POST /api/prompts/${promptId}/cases)`);
    return all;
  }
  repeated(ids, 'caseIds');
  const found = new Map((await casesByIds(db, promptId, ids)).map((row) => [row.id, row]));
  return ids.map((id, i) => {
    const row = found.get(id);
    if (!row) throw invalidInput(`caseIds.${i}`, 'is not a test case of this prompt (unknown or deleted)');
    return row;
  });
}

/** Every case must be runnable on every version, as POST /api/test-runs would check it. */
function assertRunnable(type: 'user' | 'system', cases: CaseRow[], versions: VersionRow[]): void {
  for (const testCase of cases) {
    const named = `case "${testCase.name}" (${testCase.id})`;
    if (type === 'system' && !testCase.input?.trim()) throw invalidInput('caseIds', `${named} has no input, which a system prompt needs as its user message`);
    if (type === 'user' && testCase.input?.trim()) throw invalidInput('caseIds', `${named} has an input, but a user prompt is itself the user message; clear it`);
    for (const version of versions) {
      const missing = missingVariables(version.content, testCase.inputVariables);
      if (missing.length > 0) {
        throw invalidInput('caseIds', `${named} has no value for ${missing.map((m) => `{{${m}}}`).join(', ')} used by version ${version.versionNumber}`);
      }
    }
  }
}

async function replayOf(service: BatchService, existing: BatchRow, hash: string, key: string): Promise<Batch> {
  if (existing.requestHash !== hash) {
    throw new AppError('CONFLICT', `Idempotency-Key "${key}" was already used for a different request. Use a new key for a new batch.`, [
      { path: 'Idempotency-Key', message: 'was used with another body' },
    ]);
  }
  return getBatchHead(service.db, existing.id);
}

export async function createBatch(service: BatchService, body: CreateBatchBody, idempotencyKey: string | undefined): Promise<Batch> {
  const { db } = service;
  const hash = fingerprint(body);
  if (idempotencyKey) {
    const existing = await findBatchByIdempotencyKey(db, idempotencyKey);
    if (existing) return replayOf(service, existing, hash, idempotencyKey);
  }
  repeated(body.models, 'models');
  for (const model of body.models) assertParamsFit(model, body.params, service.catalog.parametersFor(model));
  const prompt = await findPrompt(db, body.promptId);
  if (!prompt) throw notFound(`Prompt ${body.promptId}`);
  const versions = await versionsOf(db, prompt.id, prompt.currentVersionId, body.promptVersionIds);
  const cases = await casesOf(db, prompt.id, body.caseIds);
  const total = versions.length * body.models.length * cases.length * body.repeats;
  if (total > MAX_BATCH_RUNS) {
    throw invalidInput(
      '',
      `a batch is at most ${MAX_BATCH_RUNS} runs; this one would be ${versions.length} versions × ${body.models.length} models × ${cases.length} cases × ${body.repeats} repeats = ${total}`,
    );
  }
  assertRunnable(prompt.type, cases, versions);

  const created = await db.transaction(async (tx) => {
    const batch = await insertBatch(tx, {
      promptId: prompt.id,
      request: {
        promptVersionIds: versions.map((v) => v.id),
        models: body.models,
        params: body.params,
        caseIds: cases.map((c) => c.id),
        repeats: body.repeats,
      },
      cases: cases.map((c) => ({ id: c.id, expectations: c.expectations })),
      total,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
    });
    if (!batch) return undefined;
    // All the runs share one created_at, and the queue takes equals in id order: ids handed out in
    // ascending order make it run the batch as written, case by case, like its results read.
    const ids = Array.from({ length: total }, () => randomUUID()).sort();
    const runs: NewRun[] = [];
    for (const testCase of cases) {
      for (const version of versions) {
        for (const model of body.models) {
          for (let repeat = 1; repeat <= body.repeats; repeat++) {
            runs.push({
              id: ids[runs.length] as string,
              promptId: prompt.id,
              promptVersionId: version.id,
              versionNumber: version.versionNumber,
              model,
              api: service.catalog.apiFor(model),
              params: body.params,
              inputVariables: testCase.inputVariables,
              input: prompt.type === 'system' ? testCase.input : null,
              batchId: batch.id,
              caseId: testCase.id,
              repeat,
            });
          }
        }
      }
    }
    const inserted = await insertBatchRuns(tx, runs);
    return { batch, inserted };
  });
  if (!created) {
    // Another request with the same key won the race to insert.
    const existing = idempotencyKey ? await findBatchByIdempotencyKey(db, idempotencyKey) : undefined;
    if (!existing || !idempotencyKey) throw new Error('A batch could be neither inserted nor found');
    return replayOf(service, existing, hash, idempotencyKey);
  }
  const content = new Map(versions.map((v) => [v.id, v.content]));
  for (const run of created.inserted) service.queue.remember(run.id, { content: content.get(run.promptVersionId) ?? '', type: prompt.type });
  service.queue.kick();
  // Idle processes on the same database claim their share now.
  service.queue.announceQueued();
  return batchHead(created.batch);
}

/** The batch with its counts, without results (progress events, lists). */
export async function getBatchHead(db: Executor, id: string): Promise<Batch> {
  const row = await findBatch(db, id);
  if (!row) throw notFound(`Batch ${id}`);
  return batchHead(row, (await countBatchRuns(db, [id])).get(id));
}

export async function getBatch(service: BatchService, id: string): Promise<Batch> {
  const row = await findBatch(service.db, id);
  if (!row) throw notFound(`Batch ${id}`);
  const runs = await batchRunRows(service.db, id);
  const results = await batchResults(row, runs, service.matcher);
  const counts = { queued: 0, done: 0, failed: 0, lastFinishedAt: null as Date | null };
  for (const run of runs) {
    if (run.status === 'queued') counts.queued++;
    if (run.status === 'failed') counts.failed++;
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'canceled') {
      counts.done++;
      if (run.finishedAt && (!counts.lastFinishedAt || run.finishedAt > counts.lastFinishedAt)) counts.lastFinishedAt = run.finishedAt;
    }
  }
  return { ...batchHead(row, counts), results, summary: batchSummary(row, results) };
}

export async function searchBatches(db: Executor, query: ListBatchesQuery): Promise<ListPage<Batch>> {
  const after = query.cursor ? decodeCursor(query.cursor, ['timestamp', 'uuid']) : undefined;
  const rows = await listBatches(db, {
    promptId: query.promptId,
    limit: query.limit + 1,
    after: after ? { createdAt: after[0], id: after[1] } : undefined,
  });
  const counts = await countBatchRuns(db, rows.map((r) => r.id));
  return pageOf(
    rows.map((row) => batchHead(row, counts.get(row.id))),
    query.limit,
    (last) => [last.createdAt, last.id],
  );
}

/** Cancels the batch's queued and running runs; a finished batch is answered as it is. */
export async function cancelBatch(service: BatchService, id: string): Promise<Batch> {
  const head = await getBatchHead(service.db, id);
  if (head.status === 'finished' || head.status === 'canceled') return head;
  const canceled = await service.db.transaction(async (tx) => {
    await markCanceled(tx, id);
    return cancelBatchRuns(tx, id);
  });
  // Runs executing in this process stop now; another process sees the cancel at its next progress
  // save. Followers everywhere (event streams, waits, this batch's progress) learn they ended.
  for (const row of canceled) {
    service.queue.cancel(row.id);
    service.streams.ended(toTestRun(row));
  }
  return getBatchHead(service.db, id);
}
