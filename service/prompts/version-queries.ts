import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/connect.ts';
import { promptVersions } from '../db/schema.ts';
import type { VersionRow } from './prompt-queries.ts';

export async function findVersion(db: Executor, promptId: string, versionId: string): Promise<VersionRow | undefined> {
  const [row] = await db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.id, versionId)));
  return row;
}

export async function listVersions(db: Executor, promptId: string, limit: number, beforeNumber?: number): Promise<VersionRow[]> {
  const conditions = [eq(promptVersions.promptId, promptId)];
  if (beforeNumber !== undefined) conditions.push(lt(promptVersions.versionNumber, beforeNumber));
  return db
    .select()
    .from(promptVersions)
    .where(and(...conditions))
    .orderBy(desc(promptVersions.versionNumber))
    .limit(limit);
}

export async function highestVersionNumber(db: Executor, promptId: string): Promise<number> {
  const [row] = await db
    .select({ max: sql<number>`coalesce(max(${promptVersions.versionNumber}), 0)::int` })
    .from(promptVersions)
    .where(eq(promptVersions.promptId, promptId));
  return Number(row?.max ?? 0);
}

export async function insertVersion(
  db: Executor,
  values: { promptId: string; versionNumber: number; content: string; notes: string | null; restoredFromVersionId: string | null },
): Promise<VersionRow> {
  const [row] = await db.insert(promptVersions).values(values).returning();
  return row as VersionRow;
}
