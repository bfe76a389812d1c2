// Records as the export writes them: every field, keys always in the contract's order, also
// inside the JSON columns (PostgreSQL's jsonb keeps its own key order, not ours), so the same data
// always gives the same bytes.
import { RunError, RunParams, TestCase, TestRun, Usage, Version, type ExportedPrompt } from '../../contract/index.ts';
import { toTestCase, type CaseRow } from '../cases/case-queries.ts';
import { toVersion, type VersionRow } from '../prompts/prompt-queries.ts';
import { toTestRun, type RunRow } from '../runs/run-queries.ts';
import type { PromptRow } from './export-queries.ts';

type Shape = Record<string, unknown>;

/** `value`'s keys in `keys` order; keys it does not have are left out (optional fields stay absent). */
function inOrder<T extends object>(keys: readonly string[], value: T): T {
  const source = value as Shape;
  const out: Shape = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  // Keys the schema does not know (a newer record) are kept, after the known ones, sorted.
  for (const key of Object.keys(source).sort()) if (!(key in out) && source[key] !== undefined) out[key] = source[key];
  return out as T;
}

const sortedRecord = (value: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k] as string]));

const RUN_KEYS = Object.keys(TestRun.shape);
const VERSION_KEYS = Object.keys(Version.shape);
const PARAM_KEYS = Object.keys(RunParams.shape);
const USAGE_KEYS = Object.keys(Usage.shape);
const ERROR_KEYS = Object.keys(RunError.shape);
const CASE_KEYS = Object.keys(TestCase.shape);
const EXPECTATION_KEYS = ['kind', 'value'];

export function exportedVersion(version: Version): Version {
  return inOrder(VERSION_KEYS, version);
}

export function exportedRun(run: TestRun): TestRun {
  return inOrder(RUN_KEYS, {
    ...run,
    params: inOrder(PARAM_KEYS, run.params),
    inputVariables: sortedRecord(run.inputVariables),
    usage: run.usage === null ? null : inOrder(USAGE_KEYS, run.usage),
    error: run.error === null ? null : inOrder(ERROR_KEYS, run.error),
    // Documents written before batches lack these: read as null, so they compare equal to the rows.
    batchId: run.batchId ?? null,
    caseId: run.caseId ?? null,
    repeat: run.repeat ?? null,
  });
}

export function exportedCase(testCase: TestCase): TestCase {
  return inOrder(CASE_KEYS, {
    ...testCase,
    inputVariables: sortedRecord(testCase.inputVariables),
    expectations: testCase.expectations.map((e) => inOrder(EXPECTATION_KEYS, e)),
  });
}

export const caseRecord = (row: CaseRow): TestCase => exportedCase(toTestCase(row));
export const versionRecord = (row: VersionRow): Version => exportedVersion(toVersion(row));
export const runRecord = (row: RunRow): TestRun => exportedRun(toTestRun(row));

export type PromptHead = Omit<ExportedPrompt, 'versions' | 'testRuns' | 'cases'>;

/** The prompt's own fields, in the document's order (versions, runs and cases follow them). */
export function promptHead(row: PromptRow): PromptHead {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    tags: row.tags,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    currentVersionId: row.currentVersionId,
  };
}
