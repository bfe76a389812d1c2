// Plain query functions over batches. A batch's progress is counted from its runs, so it is true
// whichever process executes them and after any restart.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connect.ts';
import { batches, prompts, testRuns } from '../db/schema.ts';
import type { NewRun } from '../runs/run-queries.ts';

export type BatchRow = typeof batches.$inferSelect;
export type NewBatchRow = typeof batches.$inferInsert;

export interface BatchCounts {
  queued: number;
  done: number;
  failed: number;
  lastFinishedAt: Date | null;
}

const promptIsLive = sql`exists (select 1 from ${prompts} where ${prompts.id} = ${batches.promptId} and ${prompts.deletedAt} is null)`;

/** Inserts unless the idempotency key is taken (then undefined). */
export async function insertBatch(db: Executor, values: NewBatchRow): Promise<BatchRow | undefined> {
  const [row] = await db
    .insert(batches)
    .values(values)
    .onConflictDoNothing({ target: batches.idempotencyKey, where: sql`${batches.idempotencyKey} is not null` })
    .returning();
  return row;
}

/** All of a batch's runs in one statement (at most 500 rows). */
export async function insertBatchRuns(db: Executor, runs: NewRun[]): Promise<{ id: string; promptVersionId: string }[]> {
  return db.insert(testRuns).values(runs).returning({ id: testRuns.id, promptVersionId: testRuns.promptVersionId });
}

export async function findBatchByIdempotencyKey(db: Executor, key: string): Promise<BatchRow | undefined> {
  const [row] = await db.select().from(batches).where(eq(batches.idempotencyKey, key));
  return row;
}

/** A batch of a live prompt. */
export async function findBatch(db: Executor, id: string): Promise<BatchRow | undefined> {
  const [row] = await db.select().from(batches).where(and(eq(batches.id, id), promptIsLive));
  return row;
}

export interface BatchListFilter {
  promptId?: string | undefined;
  limit: number;
  after?: { createdAt: string; id: string } | undefined;
}

export async function listBatches(db: Executor, filter: BatchListFilter): Promise<BatchRow[]> {
  const conditions: SQL[] = [promptIsLive];
  if (filter.promptId) conditions.push(eq(batches.promptId, filter.promptId));
  if (filter.after) conditions.push(sql`(${batches.createdAt}, ${batches.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id}::uuid)`);
  return db
    .select()
    .from(batches)
    .where(and(...conditions))
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(filter.limit);
}

/** Progress of each batch, counted from its runs in one query. */
export async function countBatchRuns(db: Executor, ids: string[]): Promise<Map<string, BatchCounts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      batchId: testRuns.batchId,
      queued: sql<number>`count(*) filter (where ${testRuns.status} = 'queued')::int`,
      done: sql<number>`count(*) filter (where ${testRuns.status} in ('succeeded', 'failed', 'canceled'))::int`,
      failed: sql<number>`count(*) filter (where ${testRuns.status} = 'failed')::int`,
      lastFinishedAt: sql<string | null>`max(${testRuns.finishedAt})`,
    })
    .from(testRuns)
    .where(inArray(testRuns.batchId, ids))
    .groupBy(testRuns.batchId);
  return new Map(
    rows.map((r) => [
      r.batchId as string,
      { queued: Number(r.queued), done: Number(r.done), failed: Number(r.failed), lastFinishedAt: r.lastFinishedAt === null ? null : new Date(r.lastFinishedAt) },
    ]),
  );
}

export async function batchRunRows(db: Executor, batchId: string) {
  return db.select().from(testRuns).where(eq(testRuns.batchId, batchId)).orderBy(asc(testRuns.createdAt), asc(testRuns.id));
}

/** Marks the batch canceled unless it already is; false when it was. */
export async function markCanceled(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .update(batches)
    .set({ canceledAt: sql`now()` })
    .where(and(eq(batches.id, id), sql`${batches.canceledAt} is null`))
    .returning({ id: batches.id });
  return rows.length > 0;
}

/** Cancels the batch's runs still queued or running; returns their ids. */
export async function cancelBatchRuns(db: Executor, batchId: string): Promise<(typeof testRuns.$inferSelect)[]> {
  const rows = await db
    .update(testRuns)
    .set({
      status: 'canceled',
      error: { code: 'CANCELED', message: 'The batch was canceled.', status: null },
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(testRuns.batchId, batchId), or(eq(testRuns.status, 'queued'), eq(testRuns.status, 'running'))))
    .returning();
  return rows;
}
