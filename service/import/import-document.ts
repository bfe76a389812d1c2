// Checks a whole `promptrefine/v1` document before anything is written: each prompt against the
// schema, then what a schema cannot see (every version and run belongs to its prompt, ids are
// unique, the current version is one of the prompt's). The first problem is a 400 naming its path
// in the document, e.g. `prompts.3.versions.0.content`.
import { z } from 'zod';
import { EXPORT_FORMAT, ExportedPrompt, FINISHED_STATUSES, Timestamp } from '../../contract/index.ts';
import { AppError, invalidInput } from '../http/app-error.ts';
import { parseInput } from '../http/validation.ts';

const Envelope = z.strictObject({
  format: z.literal(EXPORT_FORMAT, { error: `must be "${EXPORT_FORMAT}"` }),
  exportedAt: Timestamp,
  prompts: z.array(z.unknown()),
});

/** The same error with every path under `prefix`. */
function under(error: AppError, prefix: string): AppError {
  const details = error.details.map((d) => ({ ...d, path: d.path ? `${prefix}.${d.path}` : prefix }));
  const first = details[0];
  return new AppError(error.code, first ? `${first.path}: ${first.message}` : error.message, details);
}

// Timestamps are stored to the millisecond: one written with more digits is read back rounded, so
// it is rounded here first, and a second import compares equal.
const ms = (iso: string) => new Date(iso).toISOString();

function normalize(prompt: ExportedPrompt): ExportedPrompt {
  return {
    ...prompt,
    createdAt: ms(prompt.createdAt),
    updatedAt: ms(prompt.updatedAt),
    versions: prompt.versions.map((v) => ({ ...v, createdAt: ms(v.createdAt) })),
    testRuns: prompt.testRuns.map((r) => ({
      ...r,
      createdAt: ms(r.createdAt),
      updatedAt: ms(r.updatedAt),
      startedAt: r.startedAt === null ? null : ms(r.startedAt),
      finishedAt: r.finishedAt === null ? null : ms(r.finishedAt),
    })),
    cases: prompt.cases.map((c) => ({ ...c, createdAt: ms(c.createdAt), updatedAt: ms(c.updatedAt) })),
  };
}

/**
 * A run exported while it was queued or running would be picked up and sent to the model again
 * by the importing service. It is imported the way a service that stopped mid-run leaves it:
 * failed, INTERRUPTED.
 */
function settleUnfinished(prompt: ExportedPrompt): ExportedPrompt {
  if (prompt.testRuns.every((r) => FINISHED_STATUSES.includes(r.status))) return prompt;
  return {
    ...prompt,
    testRuns: prompt.testRuns.map((r) =>
      FINISHED_STATUSES.includes(r.status)
        ? r
        : {
            ...r,
            status: 'failed',
            error: { code: 'INTERRUPTED', message: `The run was ${r.status} when it was exported; it was not run again after the import.` },
            finishedAt: r.finishedAt ?? r.updatedAt,
          },
    ),
  };
}

function checkConsistency(prompt: ExportedPrompt, at: string, seen: Set<string>): void {
  const fail = (path: string, message: string) => {
    throw invalidInput(`${at}.${path}`, message);
  };
  const unique = (id: string, path: string) => {
    if (seen.has(id)) fail(path, `repeats the id ${id}, already used earlier in the document`);
    seen.add(id);
  };
  unique(prompt.id, 'id');
  const versions = new Map<string, number>();
  const numbers = new Set<number>();
  prompt.versions.forEach((v, i) => {
    unique(v.id, `versions.${i}.id`);
    if (v.promptId !== prompt.id) fail(`versions.${i}.promptId`, 'must be the id of the prompt it is listed under');
    if (numbers.has(v.versionNumber)) fail(`versions.${i}.versionNumber`, `repeats version number ${v.versionNumber}`);
    if (v.restoredFromVersionId !== null) {
      const from = versions.get(v.restoredFromVersionId);
      if (from === undefined || from >= v.versionNumber) fail(`versions.${i}.restoredFromVersionId`, 'must be an earlier version of the same prompt, listed before it');
    }
    numbers.add(v.versionNumber);
    versions.set(v.id, v.versionNumber);
  });
  if (prompt.currentVersionId !== null && !versions.has(prompt.currentVersionId)) fail('currentVersionId', 'must be one of the versions of this prompt');
  if (prompt.currentVersionId === null && prompt.versions.length > 0) fail('currentVersionId', 'must be set when the prompt has versions');
  prompt.testRuns.forEach((r, i) => {
    unique(r.id, `testRuns.${i}.id`);
    if (r.promptId !== prompt.id) fail(`testRuns.${i}.promptId`, 'must be the id of the prompt it is listed under');
    const number = versions.get(r.promptVersionId);
    if (number === undefined) fail(`testRuns.${i}.promptVersionId`, 'must be one of the versions of this prompt');
    else if (number !== r.versionNumber) fail(`testRuns.${i}.versionNumber`, `must be ${number}, the number of its version`);
  });
  prompt.cases.forEach((c, i) => {
    unique(c.id, `cases.${i}.id`);
    if (c.promptId !== prompt.id) fail(`cases.${i}.promptId`, 'must be the id of the prompt it is listed under');
  });
}

/**
 * The document's prompts, checked, normalized and ready to write. The raw prompts are released
 * one by one as they are checked, so the document is not held twice.
 */
export function checkDocument(body: unknown): ExportedPrompt[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('', 'must be a promptrefine/v1 JSON document (an object)');
  const raw = body as { prompts?: unknown };
  const rawPrompts = raw.prompts;
  // Checked without the prompts first, so a document of another kind is named as such at once.
  parseInput(Envelope, { ...raw, prompts: Array.isArray(rawPrompts) ? [] : rawPrompts }, 'body');
  const list = rawPrompts as unknown[];
  const seen = new Set<string>();
  const checked: ExportedPrompt[] = [];
  for (let i = 0; i < list.length; i++) {
    let prompt: ExportedPrompt;
    try {
      prompt = parseInput(ExportedPrompt, list[i], 'body');
    } catch (error) {
      throw error instanceof AppError ? under(error, `prompts.${i}`) : error;
    }
    list[i] = undefined;
    checkConsistency(prompt, `prompts.${i}`, seen);
    checked.push(settleUnfinished(normalize(prompt)));
  }
  return checked;
}
