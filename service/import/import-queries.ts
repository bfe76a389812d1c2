// Reads and writes of an import, inside its transaction. Rows are written with the ids, numbers
// and timestamps of the document; nothing here updates or deletes an existing row, except the
// current version of a prompt this import has just created.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/connect.ts';
import { prompts, promptVersions, testRuns } from '../db/schema.ts';
import type { VersionRow } from '../prompts/prompt-queries.ts';
import type { RunRow, NewRun } from '../runs/run-queries.ts';
import type { PromptRow } from '../export/export-queries.ts';

export type NewPromptRow = typeof prompts.$inferInsert;
export type NewVersionRow = typeof promptVersions.$inferInsert;

/** Also a deleted prompt: its id is taken. */
export async function findAnyPromptRow(db: Executor, id: string): Promise<PromptRow | undefined> {
  const [row] = await db.select().from(prompts).where(eq(prompts.id, id));
  return row;
}

export async function versionRowsByIds(db: Executor, ids: string[]): Promise<VersionRow[]> {
  return ids.length ? db.select().from(promptVersions).where(inArray(promptVersions.id, ids)) : [];
}

export async function versionNumbersTaken(db: Executor, promptId: string): Promise<Map<number, string>> {
  const rows = await db.select({ id: promptVersions.id, n: promptVersions.versionNumber }).from(promptVersions).where(eq(promptVersions.promptId, promptId));
  return new Map(rows.map((r) => [r.n, r.id]));
}

export async function runRowsByIds(db: Executor, ids: string[]): Promise<RunRow[]> {
  return ids.length ? db.select().from(testRuns).where(inArray(testRuns.id, ids)) : [];
}

export async function insertPromptRow(db: Executor, row: NewPromptRow): Promise<void> {
  await db.insert(prompts).values(row);
}

export async function insertVersionRows(db: Executor, rows: NewVersionRow[]): Promise<void> {
  if (rows.length) await db.insert(promptVersions).values(rows);
}

/** The current version of a prompt this import created; its updatedAt stays the document's. */
export async function setImportedCurrentVersion(db: Executor, promptId: string, versionId: string, updatedAt: Date): Promise<void> {
  await db.update(prompts).set({ currentVersionId: versionId, updatedAt }).where(eq(prompts.id, promptId));
}

export async function insertRunRows(db: Executor, rows: NewRun[]): Promise<void> {
  if (rows.length) await db.insert(testRuns).values(rows);
}

export const lockImports = (db: Executor) => db.execute(sql`select pg_advisory_xact_lock(7120481634)`);
