import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connect.ts';
import { prompts, promptVersions } from '../db/schema.ts';
import { queryRows } from '../db/raw-query.ts';
import type { VersionRow } from './prompt-queries.ts';

export async function findVersion(db: Executor, promptId: string, versionId: string): Promise<VersionRow | undefined> {
  const [row] = await db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.id, versionId)));
  return row;
}

/** The list's query, not yet run: listVersions runs it, the benchmark explains it. */
export function versionListQuery(db: Executor, promptId: string, limit: number, beforeNumber?: number) {
  const conditions = [eq(promptVersions.promptId, promptId)];
  if (beforeNumber !== undefined) conditions.push(lt(promptVersions.versionNumber, beforeNumber));
  return db
    .select()
    .from(promptVersions)
    .where(and(...conditions))
    .orderBy(desc(promptVersions.versionNumber))
    .limit(limit);
}

export async function listVersions(db: Executor, promptId: string, limit: number, beforeNumber?: number): Promise<VersionRow[]> {
  return versionListQuery(db, promptId, limit, beforeNumber);
}

export interface NextVersion {
  promptId: string;
  content: string;
  notes: string | null;
  restoredFromVersionId: string | null;
}

/**
 * Appends the prompt's next version (highest + 1), makes it current and, given one, sends the
 * notification made from its id: one statement, one round trip. Run it inside the transaction that
 * holds the prompt's row lock (lockLivePrompt): in READ COMMITTED each statement takes a new
 * snapshot, so this one, started after the lock was granted, sees every version committed before.
 */
export async function insertNextVersion(db: Executor, values: NextVersion, notification?: (versionId: string) => SQL): Promise<VersionRow> {
  // Chosen here, so the notification can name it within the same statement.
  const id = randomUUID();
  const announce = notification ? sql`, ${notification(id)} as announced` : sql``;
  const [row] = await queryRows<{ version_number: number; created_at: Date | string }>(
    db,
    sql`with v as (
      insert into ${promptVersions} (id, prompt_id, version_number, content, notes, restored_from_version_id)
      select ${id}::uuid, ${values.promptId}::uuid, coalesce(max(${promptVersions.versionNumber}), 0) + 1, ${values.content}, ${values.notes}, ${values.restoredFromVersionId}::uuid
      from ${promptVersions} where ${promptVersions.promptId} = ${values.promptId}::uuid
      returning version_number, created_at
    ), made_current as (
      update ${prompts} set current_version_id = ${id}::uuid, updated_at = now() where id = ${values.promptId}::uuid
    )
    select v.version_number, v.created_at${announce} from v`,
  );
  if (!row) throw new Error(`No version was inserted for prompt ${values.promptId}`);
  return { id, ...values, versionNumber: Number(row.version_number), createdAt: new Date(row.created_at) };
}
