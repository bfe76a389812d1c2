// Plain query functions over test cases: fn(db, params). No HTTP here.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { TestCase } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { prompts, testCases } from '../db/schema.ts';

export type CaseRow = typeof testCases.$inferSelect;
export type NewCaseRow = typeof testCases.$inferInsert;

export const toTestCase = (row: CaseRow): TestCase => ({
  id: row.id,
  promptId: row.promptId,
  name: row.name,
  inputVariables: row.inputVariables,
  input: row.input,
  expectations: row.expectations,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** A case is live while it and its prompt are. */
const caseIsLive = and(
  isNull(testCases.deletedAt),
  sql`exists (select 1 from ${prompts} where ${prompts.id} = ${testCases.promptId} and ${prompts.deletedAt} is null)`,
);

/** Newest first, like every list. */
export async function listCases(db: Executor, promptId: string): Promise<CaseRow[]> {
  return db
    .select()
    .from(testCases)
    .where(and(eq(testCases.promptId, promptId), caseIsLive))
    .orderBy(desc(testCases.createdAt), desc(testCases.id));
}

export async function casesByIds(db: Executor, promptId: string, ids: string[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(testCases)
    .where(and(eq(testCases.promptId, promptId), inArray(testCases.id, ids), caseIsLive));
}

export async function findCase(db: Executor, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(testCases).where(and(eq(testCases.id, id), caseIsLive));
  return row;
}

export async function insertCase(db: Executor, values: NewCaseRow): Promise<CaseRow> {
  const [row] = await db.insert(testCases).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateCase(db: Executor, id: string, changes: Partial<NewCaseRow>): Promise<CaseRow | undefined> {
  const [row] = await db
    .update(testCases)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(testCases.id, id), caseIsLive))
    .returning();
  return row;
}

export async function softDeleteCase(db: Executor, id: string): Promise<CaseRow | undefined> {
  const [row] = await db
    .update(testCases)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(testCases.id, id), caseIsLive))
    .returning();
  return row;
}

/** For export: the live cases of a prompt, oldest first. */
export async function exportCaseRows(db: Executor, promptId: string): Promise<CaseRow[]> {
  return db
    .select()
    .from(testCases)
    .where(and(eq(testCases.promptId, promptId), isNull(testCases.deletedAt)))
    .orderBy(asc(testCases.createdAt), asc(testCases.id));
}

/** For import: any case with these ids, deleted ones too (their ids are taken). */
export async function caseRowsByIds(db: Executor, ids: string[]): Promise<CaseRow[]> {
  return ids.length ? db.select().from(testCases).where(inArray(testCases.id, ids)) : [];
}

export async function insertCaseRows(db: Executor, rows: NewCaseRow[]): Promise<void> {
  if (rows.length) await db.insert(testCases).values(rows);
}
