// Plain query functions over test runs. Status changes are conditional on the current status, so a
// cancel and a finishing worker can race without one overwriting the other.
import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { RunError, RunStatus, TestRun, Usage } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { prompts, promptVersions, testRuns } from '../db/schema.ts';
import { containsPattern } from '../db/like-pattern.ts';
import { storableText } from '../http/storable-text.ts';

export type RunRow = typeof testRuns.$inferSelect;
export type NewRun = typeof testRuns.$inferInsert;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toTestRun = (row: RunRow): TestRun => ({
  id: row.id,
  promptId: row.promptId,
  promptVersionId: row.promptVersionId,
  versionNumber: row.versionNumber,
  status: row.status,
  model: row.model,
  api: row.api,
  params: row.params,
  inputVariables: row.inputVariables,
  input: row.input,
  output: row.output,
  usage: row.usage,
  costUsd: row.costUsd,
  error: row.error,
  attempts: row.attempts,
  latencyMs: row.latencyMs,
  createdAt: row.createdAt.toISOString(),
  startedAt: iso(row.startedAt),
  finishedAt: iso(row.finishedAt),
  updatedAt: row.updatedAt.toISOString(),
  batchId: row.batchId,
  caseId: row.caseId,
  repeat: row.repeat,
});

/** Runs of deleted prompts leave every answer, like their prompts (their rows stay). */
const promptIsLive = sql`exists (select 1 from ${prompts} where ${prompts.id} = ${testRuns.promptId} and ${prompts.deletedAt} is null)`;

/** `values` may set columns to SQL (a run inserted already claimed sets its times to `now()`). */
export async function insertRun(db: Executor, values: PgInsertValue<typeof testRuns>): Promise<RunRow | undefined> {
  const [row] = await db
    .insert(testRuns)
    .values(values)
    .onConflictDoNothing({ target: testRuns.idempotencyKey, where: sql`${testRuns.idempotencyKey} is not null` })
    .returning();
  return row;
}

export async function findRun(db: Executor, id: string): Promise<RunRow | undefined> {
  const [row] = await db.select().from(testRuns).where(and(eq(testRuns.id, id), promptIsLive));
  return row;
}

/** Also when its prompt was deleted: the worker finishing a run still reports it. */
export async function loadRun(db: Executor, id: string): Promise<RunRow | undefined> {
  const [row] = await db.select().from(testRuns).where(eq(testRuns.id, id));
  return row;
}

/** What a run sends: its version's content and its prompt's type, in one round trip. */
export async function findRunSource(db: Executor, promptId: string, versionId: string): Promise<{ content: string; type: 'user' | 'system' } | undefined> {
  const [row] = await db
    .select({ content: promptVersions.content, type: prompts.type })
    .from(promptVersions)
    .innerJoin(prompts, eq(prompts.id, promptVersions.promptId))
    .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.id, versionId)));
  return row;
}

export async function findRunByIdempotencyKey(db: Executor, key: string): Promise<RunRow | undefined> {
  const [row] = await db.select().from(testRuns).where(eq(testRuns.idempotencyKey, key));
  return row;
}

export interface RunListFilter {
  promptId?: string | undefined;
  promptVersionId?: string | undefined;
  status?: RunStatus | undefined;
  model?: string | undefined;
  q?: string | undefined;
  limit: number;
  after?: { createdAt: string; id: string } | undefined;
}

export function runListConditions(filter: RunListFilter): SQL[] {
  const conditions: SQL[] = [promptIsLive];
  if (filter.promptId) conditions.push(eq(testRuns.promptId, filter.promptId));
  if (filter.promptVersionId) conditions.push(eq(testRuns.promptVersionId, filter.promptVersionId));
  if (filter.status) conditions.push(eq(testRuns.status, filter.status));
  if (filter.model) conditions.push(eq(testRuns.model, filter.model));
  if (filter.q) conditions.push(sql`${testRuns.output} ilike ${containsPattern(filter.q)}`);
  if (filter.after) {
    conditions.push(sql`(${testRuns.createdAt}, ${testRuns.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id}::uuid)`);
  }
  return conditions;
}

/** The list's query, not yet run: listRuns runs it, the benchmark explains it. */
export function runListQuery(db: Executor, filter: RunListFilter) {
  return db
    .select()
    .from(testRuns)
    .where(and(...runListConditions(filter)))
    .orderBy(desc(testRuns.createdAt), desc(testRuns.id))
    .limit(filter.limit);
}

export async function listRuns(db: Executor, filter: RunListFilter): Promise<RunRow[]> {
  return runListQuery(db, filter);
}

/**
 * Takes the next queued run for this worker: single runs first, then batch runs, oldest first.
 * A batch of hundreds of runs thus never holds up a run someone is waiting for.
 * SKIP LOCKED: two processes never take the same run.
 */
export async function claimNextRun(db: Executor, workerId: string): Promise<RunRow | undefined> {
  const [row] = await db
    .update(testRuns)
    .set({ status: 'running', attempts: 1, workerId, startedAt: sql`now()`, heartbeatAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      eq(
        testRuns.id,
        sql`(select ${testRuns.id} from ${testRuns} where ${testRuns.status} = 'queued' order by ${testRuns.batchId} is not null, ${testRuns.createdAt}, ${testRuns.id} limit 1 for update skip locked)`,
      ),
    )
    .returning();
  return row;
}

const isRunning = (id: string) => and(eq(testRuns.id, id), eq(testRuns.status, 'running'));

export async function startAttempt(db: Executor, id: string, attempt: number): Promise<boolean> {
  const rows = await db
    .update(testRuns)
    .set({ attempts: attempt, output: null, heartbeatAt: sql`now()`, updatedAt: sql`now()` })
    .where(isRunning(id))
    .returning({ id: testRuns.id });
  return rows.length > 0;
}

/** Saves the output so far (unless undefined); false when the run is no longer running (canceled elsewhere). */
export async function saveProgress(db: Executor, id: string, output: string | undefined): Promise<boolean> {
  const rows = await db
    .update(testRuns)
    .set({ ...(output === undefined ? {} : { output: storableText(output), updatedAt: sql`now()` }), heartbeatAt: sql`now()` })
    .where(isRunning(id))
    .returning({ id: testRuns.id });
  return rows.length > 0;
}

export interface RunOutcome {
  status: Extract<RunStatus, 'succeeded' | 'failed'>;
  output: string | null;
  usage: Usage | null;
  costUsd: number | null;
  error: RunError | null;
  latencyMs: number | null;
}

/** Keeps what a canceled run had produced before it was stopped. */
export async function saveCanceledOutput(db: Executor, id: string, output: string, latencyMs: number | null): Promise<void> {
  await db
    .update(testRuns)
    .set({ output: storableText(output) || null, latencyMs, updatedAt: sql`now()` })
    .where(and(eq(testRuns.id, id), eq(testRuns.status, 'canceled')));
}

export async function cancelRun(db: Executor, id: string): Promise<RunRow | undefined> {
  const [row] = await db
    .update(testRuns)
    .set({
      status: 'canceled',
      error: { code: 'CANCELED', message: 'The run was canceled.', status: null },
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(testRuns.id, id), or(eq(testRuns.status, 'queued'), eq(testRuns.status, 'running')), promptIsLive))
    .returning();
  return row;
}

export async function heartbeat(db: Executor, workerId: string): Promise<void> {
  await db
    .update(testRuns)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(testRuns.workerId, workerId), eq(testRuns.status, 'running')));
}

const RESULT_NOT_SAVED_MESSAGE = 'The model answered, but the database refused to save the result (the service log says why). Run it again.';

/**
 * A running run whose result the database refused: failed with RESULT_NOT_SAVED, without the
 * output that could not be written, so it does not stay `running`. undefined if this fails too.
 */
export async function failUnsaved(db: Executor, id: string, latencyMs: number | null): Promise<RunRow | undefined> {
  const [row] = await db
    .update(testRuns)
    .set({
      status: 'failed',
      output: null,
      error: { code: 'RESULT_NOT_SAVED', message: RESULT_NOT_SAVED_MESSAGE, status: null },
      latencyMs,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(isRunning(id))
    .returning();
  return row;
}

/** Marks runs whose process died as failed with INTERRUPTED; `staleMs` null: every running run. */
export async function interruptOrphanedRuns(db: Executor, staleMs: number | null, message: string): Promise<RunRow[]> {
  const condition =
    staleMs === null
      ? eq(testRuns.status, 'running')
      : and(
          eq(testRuns.status, 'running'),
          or(isNull(testRuns.heartbeatAt), lt(testRuns.heartbeatAt, sql`now() - make_interval(secs => ${staleMs / 1000})`)),
        );
  const rows = await db
    .update(testRuns)
    .set({ status: 'failed', error: { code: 'INTERRUPTED', message, status: null }, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(condition)
    .returning();
  return rows;
}

export async function interruptWorkerRuns(db: Executor, workerId: string, message: string): Promise<void> {
  await db
    .update(testRuns)
    .set({ status: 'failed', error: { code: 'INTERRUPTED', message, status: null }, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(testRuns.workerId, workerId), eq(testRuns.status, 'running')));
}
