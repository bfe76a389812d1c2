// Plain query functions over prompts: fn(db, params). No HTTP here.
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Prompt, PromptType, Version } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { prompts, promptVersions } from '../db/schema.ts';
import { containsPattern } from '../db/like-pattern.ts';

export type VersionRow = typeof promptVersions.$inferSelect;

export const toVersion = (row: VersionRow): Version => ({
  id: row.id,
  promptId: row.promptId,
  versionNumber: row.versionNumber,
  content: row.content,
  notes: row.notes,
  restoredFromVersionId: row.restoredFromVersionId,
  createdAt: row.createdAt.toISOString(),
});

const promptColumns = {
  id: prompts.id,
  title: prompts.title,
  type: prompts.type,
  tags: prompts.tags,
  currentVersionId: prompts.currentVersionId,
  currentVersionNumber: promptVersions.versionNumber,
  createdAt: prompts.createdAt,
  updatedAt: prompts.updatedAt,
};

type PromptRow = { [K in keyof typeof promptColumns]: (typeof promptColumns)[K]['_']['data'] } & {
  currentVersionNumber: number | null;
};

const toPrompt = (row: PromptRow): Prompt => ({
  ...row,
  currentVersionNumber: row.currentVersionNumber ?? null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

function selectPrompts(db: Executor) {
  return db.select(promptColumns).from(prompts).leftJoin(promptVersions, eq(promptVersions.id, prompts.currentVersionId));
}

const live = isNull(prompts.deletedAt);

export async function findPrompt(db: Executor, id: string): Promise<Prompt | undefined> {
  const [row] = await selectPrompts(db).where(and(eq(prompts.id, id), live));
  return row ? toPrompt(row as PromptRow) : undefined;
}

export interface PromptListFilter {
  q?: string;
  tag?: string;
  limit: number;
  after?: { createdAt: string; id: string };
}

/** The list's query, not yet run: listPrompts runs it, the benchmark explains it. */
export function promptListQuery(db: Executor, filter: PromptListFilter) {
  const conditions: SQL[] = [live];
  if (filter.q) {
    // Substring or trigram word similarity; both are served by the gin_trgm_ops index on title.
    conditions.push(sql`(${prompts.title} ilike ${containsPattern(filter.q)} or ${filter.q} <% ${prompts.title})`);
  }
  if (filter.tag) conditions.push(sql`${prompts.tags} @> array[${filter.tag}]::text[]`);
  if (filter.after) {
    conditions.push(sql`(${prompts.createdAt}, ${prompts.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id}::uuid)`);
  }
  return selectPrompts(db)
    .where(and(...conditions))
    .orderBy(desc(prompts.createdAt), desc(prompts.id))
    .limit(filter.limit);
}

export async function listPrompts(db: Executor, filter: PromptListFilter): Promise<Prompt[]> {
  const rows = await promptListQuery(db, filter);
  return rows.map((row) => toPrompt(row as PromptRow));
}

export async function insertPrompt(db: Executor, values: { title: string; type: PromptType; tags: string[] }): Promise<string> {
  const [row] = await db.insert(prompts).values(values).returning({ id: prompts.id });
  return (row as { id: string }).id;
}

export async function updatePrompt(
  db: Executor,
  id: string,
  values: { title?: string; type?: PromptType; tags?: string[] },
): Promise<boolean> {
  const rows = await db
    .update(prompts)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(prompts.id, id), live))
    .returning({ id: prompts.id });
  return rows.length > 0;
}

export async function softDeletePrompt(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .update(prompts)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(prompts.id, id), live))
    .returning({ id: prompts.id });
  return rows.length > 0;
}

/** Locks the prompt's row until the transaction ends: version numbering is serialized per prompt. */
export async function lockLivePrompt(db: Executor, id: string): Promise<{ id: string; currentVersionId: string | null } | undefined> {
  const [row] = await db
    .select({ id: prompts.id, currentVersionId: prompts.currentVersionId })
    .from(prompts)
    .where(and(eq(prompts.id, id), live))
    .for('update');
  return row;
}

/** A version with what its live prompt says about it, for saving it as a template. */
export async function findPromptOfVersion(
  db: Executor,
  versionId: string,
): Promise<{ title: string; type: PromptType; tags: string[]; content: string; versionNumber: number } | undefined> {
  const [row] = await db
    .select({
      title: prompts.title,
      type: prompts.type,
      tags: prompts.tags,
      content: promptVersions.content,
      versionNumber: promptVersions.versionNumber,
    })
    .from(promptVersions)
    .innerJoin(prompts, eq(prompts.id, promptVersions.promptId))
    .where(and(eq(promptVersions.id, versionId), live));
  return row;
}
