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
import type { Executor } from '../db/connect.ts';
import { AppError, invalidInput, notFound } from '../http/app-error.ts';
import { getTemplate } from '../templates/template-use-cases.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import {
  findPrompt,
  insertPrompt,
  listPrompts,
  lockLivePrompt,
  softDeletePrompt,
  toVersion,
  updatePrompt,
} from './prompt-queries.ts';
import { announceChange, changeNotification } from './prompt-changes.ts';
import { findVersion, insertNextVersion, listVersions } from './version-queries.ts';

async function withCurrentVersion(db: Executor, prompt: Prompt): Promise<PromptWithVersion> {
  const row = prompt.currentVersionId ? await findVersion(db, prompt.id, prompt.currentVersionId) : undefined;
  return { ...prompt, currentVersion: row ? toVersion(row) : null };
}

export async function getPrompt(db: Executor, id: string): Promise<PromptWithVersion> {
  const prompt = await findPrompt(db, id);
  if (!prompt) throw notFound(`Prompt ${id}`);
  return withCurrentVersion(db, prompt);
}

export async function searchPrompts(db: Executor, query: ListPromptsQuery): Promise<ListPage<Prompt>> {
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

/**
 * Inside the caller's transaction: appends version (highest + 1) and makes it current; with
 * `announce`, also announces it as version.created, in the same statement (a round trip less).
 */
async function appendVersion(tx: Executor, promptId: string, input: NewVersion, announce = false): Promise<Version> {
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
  const row = await insertNextVersion(
    tx,
    { promptId, content: input.content, notes: input.notes ?? null, restoredFromVersionId: input.restoredFromVersionId ?? null },
    announce ? (versionId) => changeNotification({ kind: 'version.created', promptId, versionId }) : undefined,
  );
  return toVersion(row);
}

export async function createVersion(db: Executor, promptId: string, input: CreateVersionBody): Promise<Version> {
  return db.transaction((tx) => appendVersion(tx, promptId, input, true));
}

export async function restoreVersion(db: Executor, promptId: string, versionId: string): Promise<Version> {
  return db.transaction(async (tx) => {
    const source = await findVersion(tx, promptId, versionId);
    if (!source) throw notFound(`Version ${versionId} of prompt ${promptId}`);
    return appendVersion(
      tx,
      promptId,
      { content: source.content, notes: `Restored from version ${source.versionNumber}`, restoredFromVersionId: source.id },
      true,
    );
  });
}

export async function createPrompt(db: Executor, input: CreatePromptBody): Promise<PromptWithVersion> {
  const template = input.templateId === undefined ? undefined : await templateOrInvalid(db, input.templateId);
  const id = await db.transaction(async (tx) => {
    const promptId = await insertPrompt(tx, {
      title: input.title ?? (template?.title as string),
      type: input.type ?? template?.type ?? 'user',
      tags: input.tags ?? template?.tags ?? [],
    });
    const content = template ? template.content : input.content;
    if (content !== undefined) {
      const notes = template ? (input.notes ?? `From the template "${template.title}" (${template.id})`) : input.notes;
      await appendVersion(tx, promptId, { content, notes });
    }
    // One event for the prompt and its first version: a client loads both from it.
    await announceChange(tx, { kind: 'prompt.created', promptId });
    return promptId;
  });
  return getPrompt(db, id);
}

/** An unknown template is a mistake in the body (400 naming templateId), not a missing resource. */
async function templateOrInvalid(db: Executor, templateId: string): Promise<Template> {
  try {
    return await getTemplate(db, templateId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw invalidInput('templateId', `no template has the id ${templateId} (see GET /api/templates)`);
    throw error;
  }
}

export async function editPrompt(db: Executor, id: string, input: UpdatePromptBody): Promise<Prompt> {
  const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  if (Object.keys(changes).length > 0) {
    await db.transaction(async (tx) => {
      if (!(await updatePrompt(tx, id, changes))) throw notFound(`Prompt ${id}`);
      await announceChange(tx, { kind: 'prompt.updated', promptId: id });
    });
  }
  const prompt = await findPrompt(db, id);
  if (!prompt) throw notFound(`Prompt ${id}`);
  return prompt;
}

export async function deletePrompt(db: Executor, id: string): Promise<{ deleted: true }> {
  await db.transaction(async (tx) => {
    if (!(await softDeletePrompt(tx, id))) throw notFound(`Prompt ${id}`);
    await announceChange(tx, { kind: 'prompt.deleted', promptId: id });
  });
  return { deleted: true };
}

async function requireLivePrompt(db: Executor, id: string): Promise<void> {
  if (!(await findPrompt(db, id))) throw notFound(`Prompt ${id}`);
}

export async function getVersion(db: Executor, promptId: string, versionId: string): Promise<Version> {
  await requireLivePrompt(db, promptId);
  const row = await findVersion(db, promptId, versionId);
  if (!row) throw notFound(`Version ${versionId} of prompt ${promptId}`);
  return toVersion(row);
}

export async function pageVersions(db: Executor, promptId: string, limit: number, cursor?: string): Promise<ListPage<Version>> {
  await requireLivePrompt(db, promptId);
  const before = cursor ? decodeCursor(cursor, ['version'])[0] : undefined;
  const rows = await listVersions(db, promptId, limit + 1, before);
  return pageOf(rows.map(toVersion), limit, (last) => [last.versionNumber]);
}
