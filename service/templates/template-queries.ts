// Plain query functions over the user's own templates: fn(db, params). No HTTP here.
import { desc, eq } from 'drizzle-orm';
import type { PromptType, Template } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { templates } from '../db/schema.ts';

type TemplateRow = typeof templates.$inferSelect;

const toTemplate = (row: TemplateRow): Template => ({
  id: row.id,
  title: row.title,
  type: row.type,
  description: row.description,
  content: row.content,
  tags: row.tags,
  builtIn: false,
  createdAt: row.createdAt.toISOString(),
});

/** Newest first. A user keeps tens of templates, not thousands, so the list is not paged. */
export async function listUserTemplates(db: Database): Promise<Template[]> {
  const rows = await db.select().from(templates).orderBy(desc(templates.createdAt), desc(templates.id));
  return rows.map(toTemplate);
}

export async function findUserTemplate(db: Database, id: string): Promise<Template | undefined> {
  const [row] = await db.select().from(templates).where(eq(templates.id, id));
  return row ? toTemplate(row) : undefined;
}

export async function insertTemplate(
  db: Database,
  values: { title: string; type: PromptType; description: string; content: string; tags: string[]; sourceVersionId: string | null },
): Promise<Template> {
  const [row] = await db.insert(templates).values(values).returning();
  return toTemplate(row as TemplateRow);
}

export async function deleteTemplate(db: Database, id: string): Promise<boolean> {
  const rows = await db.delete(templates).where(eq(templates.id, id)).returning({ id: templates.id });
  return rows.length > 0;
}
