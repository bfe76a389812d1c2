// What a user can do with templates: list the built-in ones and their own, save their own from
// content or from a version, delete their own. Built-in templates are never changed.
import { isBuiltInTemplateId, type CreateTemplateBody, type ListPage, type Template } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { AppError, invalidInput, notFound } from '../http/app-error.ts';
import { findPromptOfVersion } from '../prompts/prompt-queries.ts';
import { builtInTemplates, findBuiltInTemplate } from './builtin-templates.ts';
import { deleteTemplate, findUserTemplate, insertTemplate, listUserTemplates } from './template-queries.ts';

/** Built-in templates first, in their curated order; then the user's own, newest first. */
export async function listTemplates(db: Database): Promise<ListPage<Template>> {
  return { items: [...builtInTemplates, ...(await listUserTemplates(db))], nextCursor: null };
}

/** A template by id, built-in or the user's own; 404 when there is none. */
export async function getTemplate(db: Database, id: string): Promise<Template> {
  const template = isBuiltInTemplateId(id) ? findBuiltInTemplate(id) : await findUserTemplate(db, id);
  if (!template) throw notFound(`Template ${id}`);
  return template;
}

export async function createTemplate(db: Database, input: CreateTemplateBody): Promise<Template> {
  if (input.fromVersionId === undefined) {
    return insertTemplate(db, {
      title: input.title as string,
      type: input.type ?? 'user',
      description: input.description ?? '',
      content: input.content as string,
      tags: input.tags ?? [],
      sourceVersionId: null,
    });
  }
  const source = await findPromptOfVersion(db, input.fromVersionId);
  // A version of a deleted prompt is as gone as its prompt.
  if (!source) throw invalidInput('fromVersionId', 'is not a version of any prompt (unknown id, or its prompt was deleted)');
  return insertTemplate(db, {
    title: input.title ?? source.title,
    type: input.type ?? source.type,
    description: input.description ?? `Saved from "${source.title}" version ${source.versionNumber}`,
    content: source.content,
    tags: input.tags ?? source.tags,
    sourceVersionId: input.fromVersionId,
  });
}

export async function removeTemplate(db: Database, id: string): Promise<{ deleted: true }> {
  if (isBuiltInTemplateId(id)) {
    throw new AppError('INVALID_INPUT', `id: ${id} is a built-in template, which cannot be changed or deleted`, [
      { path: 'id', message: 'is a built-in template, which cannot be deleted' },
    ]);
  }
  if (!(await deleteTemplate(db, id))) throw notFound(`Template ${id}`);
  return { deleted: true };
}
