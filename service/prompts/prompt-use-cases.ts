// What a user can do with prompts and their versions. Every write of a version goes through
// createVersion, which numbers versions under a row lock on the prompt.
import type {
  CreatePromptBody,
  CreateVersionBody,
  ListPage,
  ListPromptsQuery,
  Prompt,
  PromptWithVersion,
  Template,
  UpdatePromptBody,
  Version,
} from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { AppError, invalidInput, notFound } from '../http/app-error.ts';
import { getTemplate } from '../templates/template-use-cases.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import {
  findPrompt,
  insertPrompt,
  listPrompts,
  lockLivePrompt,
  setCurrentVersion,
  softDeletePrompt,
  toVersion,
  updatePrompt,
} from './prompt-queries.ts';
import { findVersion, highestVersionNumber, insertVersion, listVersions } from './version-queries.ts';

async function withCurrentVersion(db: Database, prompt: Prompt): Promise<PromptWithVersion> {
  const row = prompt.currentVersionId ? await findVersion(db, prompt.id, prompt.currentVersionId) : undefined;
  return { ...prompt, currentVersion: row ? toVersion(row) : null };
}

export async function getPrompt(db: Database, id: string): Promise<PromptWithVersion> {
  const prompt = await findPrompt(db, id);
  if (!prompt) throw notFound(`Prompt ${id}`);
  return withCurrentVersion(db, prompt);
}

export async function searchPrompts(db: Database, query: ListPromptsQuery): Promise<ListPage<Prompt>> {
  const after = query.cursor ? decodeCursor(query.cursor, ['timestamp', 'uuid']) : undefined;
  const rows = await listPrompts(db, {
    ...(query.q ? { q: query.q } : {}),
    ...(query.tag ? { tag: query.tag } : {}),
    limit: query.limit + 1,
    ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}),
  });
  return pageOf(rows, query.limit, (last) => [last.createdAt, last.id]);
}

interface NewVersion {
  content: string;
  notes?: string | undefined;
  baseVersionId?: string | undefined;
  restoredFromVersionId?: string;
}

/** Inside the caller's transaction: appends version (highest + 1) and makes it current. */
async function appendVersion(tx: Database, promptId: string, input: NewVersion): Promise<Version> {
  const prompt = await lockLivePrompt(tx, promptId);
  if (!prompt) throw notFound(`Prompt ${promptId}`);
  if (input.baseVersionId !== undefined && input.baseVersionId !== prompt.currentVersionId) {
    const current = prompt.currentVersionId ? await findVersion(tx, promptId, prompt.currentVersionId) : undefined;
    const now = current ? `version ${current.versionNumber} (${current.id})` : 'no version';
    throw new AppError(
      'CONFLICT',
      `baseVersionId ${input.baseVersionId} is no longer the current version: the prompt is now at ${now}. Nothing was written; compare with the current version, then post again with its id as baseVersionId.`,
      [{ path: 'baseVersionId', message: `is not current; current is ${prompt.currentVersionId ?? 'none'}` }],
    );
  }
  const versionNumber = (await highestVersionNumber(tx, promptId)) + 1;
  const row = await insertVersion(tx, {
    promptId,
    versionNumber,
    content: input.content,
    notes: input.notes ?? null,
    restoredFromVersionId: input.restoredFromVersionId ?? null,
  });
  await setCurrentVersion(tx, promptId, row.id);
  return toVersion(row);
}

export async function createVersion(db: Database, promptId: string, input: CreateVersionBody): Promise<Version> {
  return db.transaction((tx) => appendVersion(tx as unknown as Database, promptId, input));
}

export async function restoreVersion(db: Database, promptId: string, versionId: string): Promise<Version> {
  return db.transaction(async (tx) => {
    const source = await findVersion(tx as unknown as Database, promptId, versionId);
    if (!source) throw notFound(`Version ${versionId} of prompt ${promptId}`);
    return appendVersion(tx as unknown as Database, promptId, {
      content: source.content,
      notes: `Restored from version ${source.versionNumber}`,
      restoredFromVersionId: source.id,
    });
  });
}

export async function createPrompt(db: Database, input: CreatePromptBody): Promise<PromptWithVersion> {
  const template = input.templateId === undefined ? undefined : await templateOrInvalid(db, input.templateId);
  const id = await db.transaction(async (tx) => {
    const promptId = await insertPrompt(tx as unknown as Database, {
      title: input.title ?? (template?.title as string),
      type: input.type ?? template?.type ?? 'user',
      tags: input.tags ?? template?.tags ?? [],
    });
    const content = template ? template.content : input.content;
    if (content !== undefined) {
      const notes = template ? (input.notes ?? `From the template "${template.title}" (${template.id})`) : input.notes;
      await appendVersion(tx as unknown as Database, promptId, { content, notes });
    }
    return promptId;
  });
  return getPrompt(db, id);
}

/** An unknown template is a mistake in the body (400 naming templateId), not a missing resource. */
async function templateOrInvalid(db: Database, templateId: string): Promise<Template> {
  try {
    return await getTemplate(db, templateId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw invalidInput('templateId', `no template has the id ${templateId} (see GET /api/templates)`);
    throw error;
  }
}

export async function editPrompt(db: Database, id: string, input: UpdatePromptBody): Promise<Prompt> {
  const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  if (Object.keys(changes).length > 0 && !(await updatePrompt(db, id, changes))) throw notFound(`Prompt ${id}`);
  const prompt = await findPrompt(db, id);
  if (!prompt) throw notFound(`Prompt ${id}`);
  return prompt;
}

export async function deletePrompt(db: Database, id: string): Promise<{ deleted: true }> {
  if (!(await softDeletePrompt(db, id))) throw notFound(`Prompt ${id}`);
  return { deleted: true };
}

async function requireLivePrompt(db: Database, id: string): Promise<void> {
  if (!(await findPrompt(db, id))) throw notFound(`Prompt ${id}`);
}

export async function getVersion(db: Database, promptId: string, versionId: string): Promise<Version> {
  await requireLivePrompt(db, promptId);
  const row = await findVersion(db, promptId, versionId);
  if (!row) throw notFound(`Version ${versionId} of prompt ${promptId}`);
  return toVersion(row);
}

export async function pageVersions(db: Database, promptId: string, limit: number, cursor?: string): Promise<ListPage<Version>> {
  await requireLivePrompt(db, promptId);
  const before = cursor ? decodeCursor(cursor, ['version'])[0] : undefined;
  const rows = await listVersions(db, promptId, limit + 1, before);
  return pageOf(rows.map(toVersion), limit, (last) => [last.versionNumber]);
}
