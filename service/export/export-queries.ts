// Reads for export: live prompts oldest first, and each prompt's versions and runs, all in keyset
// pages so an export of any size holds one page at a time.
import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/connect.ts';
import { prompts, promptVersions, testRuns } from '../db/schema.ts';
import type { VersionRow } from '../prompts/prompt-queries.ts';
import type { RunRow } from '../runs/run-queries.ts';

export type PromptRow = typeof prompts.$inferSelect;

export async function findLivePromptRow(db: Database, id: string): Promise<PromptRow | undefined> {
  const [row] = await db.select().from(prompts).where(and(eq(prompts.id, id), isNull(prompts.deletedAt)));
  return row;
}

export async function pagePromptRows(db: Database, limit: number, after?: { createdAt: Date; id: string }): Promise<PromptRow[]> {
  const conditions = [isNull(prompts.deletedAt)];
  if (after) conditions.push(sql`(${prompts.createdAt}, ${prompts.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`);
  return db
    .select()
    .from(prompts)
    .where(and(...conditions))
    .orderBy(asc(prompts.createdAt), asc(prompts.id))
    .limit(limit);
}

export async function pageVersionRows(db: Database, promptId: string, limit: number, afterNumber = 0): Promise<VersionRow[]> {
  return db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, promptId), gt(promptVersions.versionNumber, afterNumber)))
    .orderBy(asc(promptVersions.versionNumber))
    .limit(limit);
}

export async function pageRunRows(db: Database, promptId: string, limit: number, after?: { createdAt: Date; id: string }): Promise<RunRow[]> {
  const conditions = [eq(testRuns.promptId, promptId)];
  if (after) conditions.push(sql`(${testRuns.createdAt}, ${testRuns.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`);
  return db
    .select()
    .from(testRuns)
    .where(and(...conditions))
    .orderBy(asc(testRuns.createdAt), asc(testRuns.id))
    .limit(limit);
}

/** Every row of a keyset-paged read, one page at a time. */
export async function* pages<T extends { createdAt: Date; id: string }>(
  limit: number,
  read: (after: { createdAt: Date; id: string } | undefined) => Promise<T[]>,
): AsyncGenerator<T[]> {
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const rows = await read(after);
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
    const last = rows[rows.length - 1] as T;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

export async function* versionPages(db: Database, promptId: string, limit: number): AsyncGenerator<VersionRow[]> {
  let after = 0;
  for (;;) {
    const rows = await pageVersionRows(db, promptId, limit, after);
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
    after = (rows[rows.length - 1] as VersionRow).versionNumber;
  }
}

export const runPages = (db: Database, promptId: string, limit: number) => pages(limit, (after) => pageRunRows(db, promptId, limit, after));
export const promptPages = (db: Database, limit: number) => pages(limit, (after) => pagePromptRows(db, limit, after));

/** The newest runs of a prompt, for the tests and the model of a promptfoo config. */
export async function recentRunRows(db: Database, promptId: string, limit: number): Promise<RunRow[]> {
  return db
    .select()
    .from(testRuns)
    .where(eq(testRuns.promptId, promptId))
    .orderBy(desc(testRuns.createdAt), desc(testRuns.id))
    .limit(limit);
}
