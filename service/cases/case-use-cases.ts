// What a user can do with test cases: list, create (from fields or from a past run), edit and
// delete. Every write announces `case.changed` in its transaction, so open clients reload the list.
import type { CreateCaseBody, ListPage, TestCase, UpdateCaseBody } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { invalidInput, notFound } from '../http/app-error.ts';
import { announceChange } from '../prompts/prompt-changes.ts';
import { findPrompt } from '../prompts/prompt-queries.ts';
import { findRun } from '../runs/run-queries.ts';
import { findCase, insertCase, listCases, softDeleteCase, toTestCase, updateCase } from './case-queries.ts';

export async function listPromptCases(db: Executor, promptId: string): Promise<ListPage<TestCase>> {
  if (!(await findPrompt(db, promptId))) throw notFound(`Prompt ${promptId}`);
  return { items: (await listCases(db, promptId)).map(toTestCase), nextCursor: null };
}

export async function getCase(db: Executor, id: string): Promise<TestCase> {
  const row = await findCase(db, id);
  if (!row) throw notFound(`Test case ${id}`);
  return toTestCase(row);
}

export async function createCase(db: Executor, promptId: string, body: CreateCaseBody): Promise<TestCase> {
  if (!(await findPrompt(db, promptId))) throw notFound(`Prompt ${promptId}`);
  let fields: { name: string; inputVariables: Record<string, string>; input: string | null };
  if (body.fromRunId !== undefined) {
    const run = await findRun(db, body.fromRunId);
    // Another prompt's run would give this prompt a case it cannot run.
    if (!run || run.promptId !== promptId) throw invalidInput('fromRunId', 'is not a run of this prompt');
    const day = run.createdAt.toISOString().slice(0, 16).replace('T', ' ');
    fields = { name: body.name ?? `From the run of ${day} UTC (${run.model})`, inputVariables: run.inputVariables, input: run.input };
  } else {
    fields = { name: body.name as string, inputVariables: body.inputVariables ?? {}, input: body.input ?? null };
  }
  const row = await db.transaction(async (tx) => {
    const inserted = await insertCase(tx, { promptId, ...fields, expectations: body.expectations ?? [] });
    await announceChange(tx, { kind: 'case.changed', promptId });
    return inserted;
  });
  return toTestCase(row);
}

export async function editCase(db: Executor, id: string, body: UpdateCaseBody): Promise<TestCase> {
  const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
  if (Object.keys(changes).length === 0) return getCase(db, id);
  const row = await db.transaction(async (tx) => {
    const updated = await updateCase(tx, id, changes);
    if (!updated) throw notFound(`Test case ${id}`);
    await announceChange(tx, { kind: 'case.changed', promptId: updated.promptId });
    return updated;
  });
  return toTestCase(row);
}

export async function deleteCase(db: Executor, id: string): Promise<{ deleted: true }> {
  await db.transaction(async (tx) => {
    const deleted = await softDeleteCase(tx, id);
    if (!deleted) throw notFound(`Test case ${id}`);
    await announceChange(tx, { kind: 'case.changed', promptId: deleted.promptId });
  });
  return { deleted: true };
}
