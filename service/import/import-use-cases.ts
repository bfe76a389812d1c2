// Imports a `promptrefine/v1` document in one transaction. Ids, version numbers and timestamps are
// kept. A record whose id exists with the same content is skipped (so a second import creates
// nothing); one whose id exists with other content is a conflict and is left as it is, never
// overwritten. Versions are only ever inserted: the database's refusal to change them holds.
import type { ExportedPrompt, ImportConflict, ImportCounts, ImportSummary, TestCase, TestRun, Version } from '../../contract/index.ts';
import { caseRowsByIds, insertCaseRows, type NewCaseRow } from '../cases/case-queries.ts';
import type { Executor } from '../db/connect.ts';
import { caseRecord, exportedCase, exportedRun, promptHead, runRecord, versionRecord, exportedVersion } from '../export/export-records.ts';
import type { NewRun } from '../runs/run-queries.ts';
import { announceChange } from '../prompts/prompt-changes.ts';
import {
  findAnyPromptRow,
  insertPromptRow,
  insertRunRows,
  insertVersionRows,
  lockImports,
  runRowsByIds,
  setImportedCurrentVersion,
  versionNumbersTaken,
  versionRowsByIds,
} from './import-queries.ts';

const RUN_BATCH = 500;

const zero = (): ImportCounts => ({ prompts: 0, versions: 0, testRuns: 0, cases: 0 });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Progress {
  created: ImportCounts;
  skipped: ImportCounts;
  conflicts: ImportConflict[];
  createdPromptIds: string[];
}

function differences(a: object, b: object): string {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((k) => !same(left[k], right[k]));
  return keys.join(', ');
}

const runRow = (r: TestRun): NewRun => ({
  id: r.id,
  promptId: r.promptId,
  promptVersionId: r.promptVersionId,
  versionNumber: r.versionNumber,
  status: r.status,
  model: r.model,
  api: r.api,
  params: r.params,
  inputVariables: r.inputVariables,
  input: r.input,
  output: r.output,
  usage: r.usage,
  costUsd: r.costUsd,
  error: r.error,
  attempts: r.attempts,
  latencyMs: r.latencyMs,
  createdAt: new Date(r.createdAt),
  startedAt: r.startedAt === null ? null : new Date(r.startedAt),
  finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt),
  updatedAt: new Date(r.updatedAt),
  batchId: r.batchId ?? null,
  caseId: r.caseId ?? null,
  repeat: r.repeat ?? null,
});

const caseRow = (c: TestCase): NewCaseRow => ({
  id: c.id,
  promptId: c.promptId,
  name: c.name,
  inputVariables: c.inputVariables,
  input: c.input,
  expectations: c.expectations,
  createdAt: new Date(c.createdAt),
  updatedAt: new Date(c.updatedAt),
});

async function importCases(tx: Executor, prompt: ExportedPrompt, progress: Progress): Promise<void> {
  const existing = new Map((await caseRowsByIds(tx, prompt.cases.map((c) => c.id))).map((row) => [row.id, row]));
  const toInsert: NewCaseRow[] = [];
  for (const testCase of prompt.cases) {
    const row = existing.get(testCase.id);
    const mine = exportedCase(testCase);
    if (!row) {
      toInsert.push(caseRow(testCase));
      continue;
    }
    const there = caseRecord(row);
    if (row.deletedAt === null && same(there, mine)) progress.skipped.cases++;
    else {
      const what = row.deletedAt !== null ? 'was deleted in this database' : `exists with other content (${differences(there, mine)})`;
      progress.conflicts.push({ kind: 'case', id: testCase.id, message: `Test case "${row.name}" ${what}; it was left as it is.` });
    }
  }
  await insertCaseRows(tx, toInsert);
  progress.created.cases += toInsert.length;
}

/** Versions: returns the ids runs may point at (created now, or already there unchanged). */
async function importVersions(tx: Executor, prompt: ExportedPrompt, fresh: boolean, progress: Progress): Promise<Set<string>> {
  const usable = new Set<string>();
  const existing = fresh ? new Map<string, Version>() : new Map((await versionRowsByIds(tx, prompt.versions.map((v) => v.id))).map((row) => [row.id, versionRecord(row)]));
  const taken = fresh ? new Map<number, string>() : await versionNumbersTaken(tx, prompt.id);
  const toInsert: Version[] = [];
  for (const version of prompt.versions) {
    const there = existing.get(version.id);
    const mine = exportedVersion(version);
    if (there) {
      if (same(there, mine)) {
        progress.skipped.versions++;
        usable.add(version.id);
      } else {
        progress.conflicts.push({ kind: 'version', id: version.id, message: `Version ${version.id} exists with other content (${differences(there, mine)}); it was left as it is.` });
      }
    } else if (taken.has(version.versionNumber)) {
      progress.conflicts.push({
        kind: 'version',
        id: version.id,
        message: `Prompt ${prompt.id} already has a version ${version.versionNumber} (${taken.get(version.versionNumber)}); this one was not imported.`,
      });
    } else if (version.restoredFromVersionId !== null && !usable.has(version.restoredFromVersionId)) {
      progress.conflicts.push({ kind: 'version', id: version.id, message: `It was restored from version ${version.restoredFromVersionId}, which was not imported.` });
    } else {
      toInsert.push(version);
      usable.add(version.id);
    }
  }
  await insertVersionRows(
    tx,
    toInsert.map((v) => ({ ...v, createdAt: new Date(v.createdAt) })),
  );
  progress.created.versions += toInsert.length;
  return usable;
}

async function importRuns(tx: Executor, prompt: ExportedPrompt, usableVersions: Set<string>, progress: Progress): Promise<void> {
  for (let at = 0; at < prompt.testRuns.length; at += RUN_BATCH) {
    const batch = prompt.testRuns.slice(at, at + RUN_BATCH);
    const existing = new Map((await runRowsByIds(tx, batch.map((r) => r.id))).map((row) => [row.id, runRecord(row)]));
    const toInsert: NewRun[] = [];
    for (const run of batch) {
      const there = existing.get(run.id);
      const mine = exportedRun(run);
      if (there) {
        if (same(there, mine)) progress.skipped.testRuns++;
        else progress.conflicts.push({ kind: 'testRun', id: run.id, message: `Run ${run.id} exists with other content (${differences(there, mine)}); it was left as it is.` });
      } else if (!usableVersions.has(run.promptVersionId)) {
        progress.conflicts.push({ kind: 'testRun', id: run.id, message: `Its version ${run.promptVersionId} was not imported, so neither was the run.` });
      } else toInsert.push(runRow(run));
    }
    await insertRunRows(tx, toInsert);
    progress.created.testRuns += toInsert.length;
  }
}

async function importPrompt(tx: Executor, prompt: ExportedPrompt, progress: Progress): Promise<void> {
  const head = promptHead({
    ...prompt,
    createdAt: new Date(prompt.createdAt),
    updatedAt: new Date(prompt.updatedAt),
    deletedAt: null,
  });
  const existing = await findAnyPromptRow(tx, prompt.id);
  if (existing) {
    const there = promptHead(existing);
    if (existing.deletedAt !== null || !same(there, head)) {
      const what = existing.deletedAt !== null ? 'was deleted in this database' : `exists with other content (${differences(there, head)})`;
      progress.conflicts.push({ kind: 'prompt', id: prompt.id, message: `Prompt "${existing.title}" ${what}; it was left as it is, and none of its versions or runs were imported.` });
      return;
    }
    progress.skipped.prompts++;
    const usable = await importVersions(tx, prompt, false, progress);
    await importRuns(tx, prompt, usable, progress);
    await importCases(tx, prompt, progress);
    return;
  }
  // The current version is set once its row exists (a foreign key ties it to the prompt's versions).
  await insertPromptRow(tx, {
    id: prompt.id,
    title: prompt.title,
    type: prompt.type,
    tags: prompt.tags,
    currentVersionId: null,
    createdAt: new Date(prompt.createdAt),
    updatedAt: new Date(prompt.updatedAt),
  });
  progress.created.prompts++;
  progress.createdPromptIds.push(prompt.id);
  const usable = await importVersions(tx, prompt, true, progress);
  if (prompt.currentVersionId !== null) await setImportedCurrentVersion(tx, prompt.id, prompt.currentVersionId, new Date(prompt.updatedAt));
  await importRuns(tx, prompt, usable, progress);
  await importCases(tx, prompt, progress);
}

/** `prompts` come checked from checkDocument; each is released once written. */
export async function importPrompts(db: Executor, prompts: ExportedPrompt[]): Promise<ImportSummary> {
  const progress: Progress = { created: zero(), skipped: zero(), conflicts: [], createdPromptIds: [] };
  await db.transaction(async (tx) => {
    // Two imports at once would both find an id free and both insert it: one waits for the other.
    await lockImports(tx);
    for (let i = 0; i < prompts.length; i++) {
      await importPrompt(tx, prompts[i] as ExportedPrompt, progress);
      (prompts as (ExportedPrompt | undefined)[])[i] = undefined;
    }
    // Announced in the import's transaction: open clients hear of the prompts once they commit, and
    // never of an import that rolled back.
    for (const promptId of progress.createdPromptIds) await announceChange(tx, { kind: 'prompt.created', promptId });
  });
  return { created: progress.created, skipped: progress.skipped, conflicts: progress.conflicts };
}
