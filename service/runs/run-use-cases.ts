// Creating, reading, listing, canceling and awaiting test runs.
import { createHash } from 'node:crypto';
import {
  FINISHED_STATUSES,
  missingVariables,
  type CreateTestRunBody,
  type ListPage,
  type ListTestRunsQuery,
  type TestRun,
} from '../../contract/index.ts';
import type { Database, Executor } from '../db/connect.ts';
import { AppError, invalidInput, notFound } from '../http/app-error.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import type { ModelCatalog } from './model-catalog.ts';
import { assertParamsFit } from './run-params.ts';
import type { RunQueue, RunSlot, RunSource } from './run-queue.ts';
import type { NewRunValues, RunStatements, RunTarget } from './run-statements.ts';
import { cancelRun, findRun, findRunByIdempotencyKey, listRuns, toTestRun, type RunRow } from './run-queries.ts';
import type { RunStreams } from './run-streams.ts';

export interface RunService {
  db: Database;
  /** The run path's prepared statements on `db`. */
  statements: RunStatements;
  catalog: ModelCatalog;
  queue: RunQueue;
  streams: RunStreams;
  /** Resolves once runs are shared with the other processes on the database (never rejects). */
  shared?: Promise<void>;
}

export const isFinished = (run: { status: TestRun['status'] }) => FINISHED_STATUSES.includes(run.status);

/** A stable fingerprint of a request body: the same fields and values in any key order hash alike. */
export function fingerprint(body: object): string {
  const canonical = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value;
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

/** The run an Idempotency-Key already made, answered as GET would answer it. */
async function replayOf(db: Executor, existing: RunRow, hash: string, key: string): Promise<TestRun> {
  if (existing.requestHash !== hash) {
    throw new AppError('CONFLICT', `Idempotency-Key "${key}" was already used for a different request. Use a new key for a new run.`, [
      { path: 'Idempotency-Key', message: 'was used with another body' },
    ]);
  }
  // A run of a deleted prompt has left every answer (GET says 404): a replay must not bring it back.
  const live = await findRun(db, existing.id);
  if (!live) throw notFound(`Prompt ${existing.promptId}`);
  return toTestRun(live);
}

/** The type and version a run of `target` would use; throws what is wrong with running it with `body`. */
function checkRunnable(target: RunTarget | undefined, body: CreateTestRunBody): { type: RunTarget['type']; version: NonNullable<RunTarget['version']> } {
  if (!target) throw notFound(`Prompt ${body.promptId}`);
  const { version } = target;
  if (!version) {
    if (body.promptVersionId) throw notFound(`Version ${body.promptVersionId} of prompt ${body.promptId}`);
    throw invalidInput('promptId', 'the prompt has no version yet; add its content first');
  }
  const missing = missingVariables(version.content, body.inputVariables);
  if (missing.length > 0) {
    throw new AppError(
      'INVALID_INPUT',
      `inputVariables: no value for ${missing.map((m) => `{{${m}}}`).join(', ')} used by version ${version.versionNumber}`,
      missing.map((name) => ({ path: `inputVariables.${name}`, message: `has no value (the version uses {{${name}}})` })),
    );
  }
  if (target.type === 'system' && !body.input?.trim()) {
    throw invalidInput('input', 'a system prompt needs the user message to send with it');
  }
  if (target.type === 'user' && body.input !== undefined) {
    throw invalidInput('input', 'only system prompts take an input; a user prompt is itself the user message');
  }
  return { type: target.type, version };
}

/** Whether a remembered target may be inserted as is; a refusal is only ever given from a fresh read. */
function runnable(target: RunTarget, body: CreateTestRunBody): boolean {
  try {
    checkRunnable(target, body);
    return true;
  } catch {
    return false;
  }
}

function newRun(service: RunService, body: CreateTestRunBody, version: NonNullable<RunTarget['version']>, hash: string, idempotencyKey: string | undefined): NewRunValues {
  return {
    promptId: body.promptId,
    promptVersionId: version.id,
    versionNumber: version.versionNumber,
    model: body.model,
    api: service.catalog.apiFor(body.model),
    params: body.params,
    inputVariables: body.inputVariables,
    input: body.input ?? null,
    idempotencyKey: idempotencyKey ?? null,
    requestHash: hash,
  };
}

export async function createRun(
  service: RunService,
  body: CreateTestRunBody,
  idempotencyKey: string | undefined,
): Promise<TestRun> {
  const { db } = service;
  const hash = fingerprint(body);
  if (idempotencyKey) {
    const existing = await findRunByIdempotencyKey(db, idempotencyKey);
    if (existing) return replayOf(db, existing, hash, idempotencyKey);
  }
  assertParamsFit(body.model, body.params, service.catalog.parametersFor(body.model));
  // When this process can run it now, the run is inserted already claimed (see RunQueue.reserve).
  let slot: RunSlot | undefined;
  let row: RunRow | undefined;
  let source: RunSource | undefined;
  try {
    // Inserted straight away when the prompt is known: the insert checks it did not change since.
    const remembered = service.statements.remembered(body.promptId, body.promptVersionId);
    if (remembered && runnable(remembered, body)) {
      slot = service.queue.reserve();
      const inserted = await service.statements.insertChecked(newRun(service, body, remembered.version, hash, idempotencyKey), remembered, slot?.workerId);
      if (inserted !== 'changed') {
        row = inserted;
        source = { content: remembered.version.content, type: remembered.type };
      }
    }
    if (!source) {
      const { type, version } = checkRunnable(await service.statements.target(body.promptId, body.promptVersionId), body);
      slot ??= service.queue.reserve();
      row = await service.statements.insert(newRun(service, body, version, hash, idempotencyKey), slot?.workerId);
      source = { content: version.content, type };
    }
  } finally {
    if (!row) slot?.cancel();
  }
  if (!row) {
    // Another request with the same key won the race to insert.
    const existing = idempotencyKey ? await findRunByIdempotencyKey(db, idempotencyKey) : undefined;
    if (!existing || !idempotencyKey) throw new Error('A run could be neither inserted nor found');
    return replayOf(db, existing, hash, idempotencyKey);
  }
  if (slot) {
    slot.launch(row, source);
  } else {
    // Saves the worker reading back what was just read, when this process runs it.
    service.queue.remember(row.id, source);
    service.queue.kick();
    service.queue.announceQueued();
  }
  return toTestRun(row);
}

/** A new run with the same model, params, variables and input, on the given version (default: current). */
export async function replayRun(service: RunService, id: string, promptVersionId: string | undefined): Promise<TestRun> {
  const run = await findRun(service.db, id);
  if (!run) throw notFound(`Test run ${id}`);
  return createRun(
    service,
    {
      promptId: run.promptId,
      ...(promptVersionId ? { promptVersionId } : {}),
      model: run.model,
      params: run.params,
      inputVariables: run.inputVariables,
      ...(run.input === null ? {} : { input: run.input }),
    },
    undefined,
  );
}

export async function getRun(db: Executor, id: string): Promise<TestRun> {
  const row = await findRun(db, id);
  if (!row) throw notFound(`Test run ${id}`);
  return toTestRun(row);
}

export async function searchRuns(db: Executor, query: ListTestRunsQuery): Promise<ListPage<TestRun>> {
  const after = query.cursor ? decodeCursor(query.cursor, ['timestamp', 'uuid']) : undefined;
  const rows = await listRuns(db, {
    promptId: query.promptId,
    promptVersionId: query.promptVersionId,
    status: query.status,
    model: query.model,
    q: query.q,
    limit: query.limit + 1,
    after: after ? { createdAt: after[0], id: after[1] } : undefined,
  });
  return pageOf(rows.map(toTestRun), query.limit, (last) => [last.createdAt, last.id]);
}

export async function cancel(service: RunService, id: string): Promise<TestRun> {
  const row = await cancelRun(service.db, id);
  if (row) {
    service.queue.cancel(id);
    const run = toTestRun(row);
    // Its followers here and in every other process learn it ended (and the process running it stops).
    service.streams.ended(run);
    return run;
  }
  // Already finished (or unknown): answer with it as it is.
  return getRun(service.db, id);
}

/** The client of a `?wait=true` request left before its run finished. */
export class WaitAbandoned extends Error {
  constructor() {
    super('The client went away before the run finished');
    this.name = 'WaitAbandoned';
  }
}

/**
 * Resolves with the run once it has finished, however and wherever it runs. Rejects with
 * WaitAbandoned as soon as `signal` aborts (the client went away), releasing its subscription
 * and its poll, so abandoned requests hold nothing until the run ends.
 */
export function waitForFinish(service: RunService, id: string, signal?: AbortSignal, pollMs = 500): Promise<TestRun> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new WaitAbandoned());
    let settled = false;
    const release = () => {
      settled = true;
      stopFollowing();
      subscription.unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    };
    const settle = (run: TestRun) => {
      if (settled) return;
      release();
      resolve(run);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      release();
      reject(error);
    };
    const onAbort = () => fail(new WaitAbandoned());
    const subscription = service.streams.subscribe(
      id,
      (event) => {
        if (event.type === 'done' && isFinished(event.run)) settle(event.run);
        // Its result, and even its failure, could not be written (run-queue.ts): the client is told
        // now rather than held until the database takes the failure.
        if (event.type === 'unsaved')
          fail(new AppError('UNAVAILABLE', `The model answered, but run ${id} could not be saved: the database refused it or cannot be reached (the service log says why). Run it again.`, [], { 'Retry-After': '5' }));
      },
      false, // only its end
    );
    // Runs executed by another process end through the same subscription (their end is announced);
    // the database is read only when such announcements may be missed (see RunStreams.follow).
    // No immediate check: a run queued by this request cannot have finished before the
    // subscription above (that takes a claim, a model call and a write); callers answer an
    // already finished run themselves.
    const stopFollowing = service.streams.follow(() => {
      getRun(service.db, id).then((run) => {
        if (isFinished(run)) settle(run);
      }, fail);
    }, pollMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
