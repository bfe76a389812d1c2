// Run all's numbers, from a Batch as the service answers it: the planned run count, the grid of
// cases × (version × model) with each cell's checks, outputs grouped by identical text, cost and
// latency, each column's progress and totals, and two columns compared case by case. Pure (no
// DOM), so it is tested without a browser; the views only draw what these return.
import type { Batch, BatchResult, BatchSummaryRow, CheckResult, RunStatus } from '../contract/index.ts';

/**
 * The service's limits for one batch (contract/batches.ts MAX_BATCH_RUNS, MAX_BATCH_REPEATS), and
 * Run all's own limit on models. Repeated here because the webview imports only types from the
 * contract; a unit test holds them equal.
 */
export const MAX_RUNS = 500;
export const MAX_REPEATS = 10;
export const MAX_MODELS = 5;

export interface Plan {
  runs: number;
  /** "2 versions × 1 model × 3 cases × 2 repeats = 12 runs" */
  sentence: string;
  /** Why Run all cannot start as chosen, or null. */
  problem: string | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function plan(versions: number, models: number, cases: number, repeats: number): Plan {
  const runs = versions * models * cases * repeats;
  const sentence = `${plural(versions, 'version')} × ${plural(models, 'model')} × ${plural(cases, 'case')} × ${plural(repeats, 'repeat')} = ${plural(runs, 'run')}`;
  let problem: string | null = null;
  if (versions === 0) problem = 'Choose at least one version.';
  else if (models === 0) problem = 'Choose at least one model.';
  else if (models > MAX_MODELS) problem = `Choose at most ${MAX_MODELS} models.`;
  else if (!Number.isInteger(repeats) || repeats < 1 || repeats > MAX_REPEATS) problem = `Repeats must be a whole number from 1 to ${MAX_REPEATS}.`;
  else if (cases === 0) problem = 'This prompt has no test cases yet: add one first (Add Case, or Save as Case in History).';
  else if (runs > MAX_RUNS) problem = `That is ${runs} runs; Run all runs at most ${MAX_RUNS} at once. Choose fewer versions, models or repeats.`;
  return { runs, sentence, problem };
}

export const columnKey = (promptVersionId: string, model: string) => `${promptVersionId}|${model}`;

export interface Column {
  key: string;
  promptVersionId: string;
  versionNumber: number;
  model: string;
  label: string;
}

export interface OutputGroup {
  /** The output, or what the runs ended with when they have none ("Failed"). */
  text: string;
  count: number;
  runIds: string[];
  succeeded: boolean;
}

export interface Cell {
  results: BatchResult[];
  progress: Progress;
  /** Over the finished runs of the cell (every repeat). */
  checksPassed: number;
  checksTotal: number;
  /** Whether every finished run passed every check (and at least one finished). */
  passed: boolean | null;
  costUsd: number | null;
  latencyMs: number | null;
  /** Identical outputs grouped, most frequent first. */
  groups: OutputGroup[];
}

export interface Progress {
  queued: number;
  running: number;
  done: number;
  failed: number;
  total: number;
}

export interface Grid {
  columns: Column[];
  /** Case ids in the batch's order (the service orders results case by case). */
  caseIds: string[];
  cell(caseId: string, key: string): Cell;
  progress(key: string): Progress;
  totals(key: string): BatchSummaryRow | undefined;
}

const FINISHED: readonly RunStatus[] = ['succeeded', 'failed', 'canceled'];
const isFinished = (r: BatchResult) => FINISHED.includes(r.status);

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function progressOf(results: readonly BatchResult[]): Progress {
  const p: Progress = { queued: 0, running: 0, done: 0, failed: 0, total: results.length };
  for (const r of results) {
    if (r.status === 'queued') p.queued++;
    else if (r.status === 'running') p.running++;
    else p.done++;
    if (r.status === 'failed') p.failed++;
  }
  return p;
}

const STATUS_WORDS: Record<RunStatus, string> = { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', canceled: 'Canceled' };

/** Identical outputs of finished runs together, most frequent first (ties: first seen first). */
export function groupOutputs(results: readonly BatchResult[]): OutputGroup[] {
  const groups = new Map<string, OutputGroup>();
  for (const r of results.filter(isFinished)) {
    const succeeded = r.status === 'succeeded';
    const text = succeeded ? (r.output ?? '') : `(${STATUS_WORDS[r.status]})`;
    const key = `${succeeded ? 'ok' : 'no'}\u0000${text}`;
    const group = groups.get(key) ?? { text, count: 0, runIds: [], succeeded };
    group.count++;
    group.runIds.push(r.runId);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** "3 distinct outputs in 5 runs", "the same output in 3 runs", or null for a single run. */
export function groupsSentence(groups: readonly OutputGroup[]): string | null {
  const runs = groups.reduce((n, g) => n + g.count, 0);
  if (runs < 2) return null;
  if (groups.length === 1) return `the same output in ${runs} runs`;
  return `${groups.length} distinct outputs in ${runs} runs`;
}

export function cellOf(results: BatchResult[]): Cell {
  const finished = results.filter(isFinished);
  const checks = finished.flatMap((r) => r.checks);
  const checksPassed = checks.filter((c) => c.passed).length;
  const costs = finished.flatMap((r) => (r.costUsd === null ? [] : [r.costUsd]));
  return {
    results,
    progress: progressOf(results),
    checksPassed,
    checksTotal: checks.length,
    passed: finished.length === 0 ? null : finished.every((r) => r.status === 'succeeded') && checksPassed === checks.length,
    costUsd: costs.length === 0 ? null : costs.reduce((a, b) => a + b, 0),
    latencyMs: median(finished.flatMap((r) => (r.status === 'succeeded' && r.latencyMs !== null ? [r.latencyMs] : []))),
    groups: groupOutputs(results),
  };
}

/** The batch as a grid: its columns in the order asked for (the summary's), cases as rows. */
export function buildGrid(batch: Batch): Grid {
  const results = batch.results ?? [];
  const columns = new Map<string, Column>();
  const add = (promptVersionId: string, versionNumber: number, model: string) => {
    const key = columnKey(promptVersionId, model);
    if (!columns.has(key)) columns.set(key, { key, promptVersionId, versionNumber, model, label: `v${versionNumber} · ${model}` });
  };
  for (const row of batch.summary ?? []) add(row.promptVersionId, row.versionNumber, row.model);
  for (const r of results) add(r.promptVersionId, r.versionNumber, r.model);
  // A summary row of a column none of whose runs exists yet has no version number: take it from a run.
  for (const column of columns.values()) {
    if (column.versionNumber === 0) {
      const run = results.find((r) => r.promptVersionId === column.promptVersionId);
      if (run) Object.assign(column, { versionNumber: run.versionNumber, label: `v${run.versionNumber} · ${column.model}` });
    }
  }
  const caseIds = [...new Set(results.map((r) => r.caseId))];
  const byCell = new Map<string, BatchResult[]>();
  const byColumn = new Map<string, BatchResult[]>();
  for (const r of results) {
    const key = columnKey(r.promptVersionId, r.model);
    const cellKey = `${r.caseId}\u0000${key}`;
    byCell.set(cellKey, [...(byCell.get(cellKey) ?? []), r]);
    byColumn.set(key, [...(byColumn.get(key) ?? []), r]);
  }
  for (const list of byCell.values()) list.sort((a, b) => a.repeat - b.repeat);
  return {
    columns: [...columns.values()],
    caseIds,
    cell: (caseId, key) => cellOf(byCell.get(`${caseId}\u0000${key}`) ?? []),
    progress: (key) => progressOf(byColumn.get(key) ?? []),
    totals: (key) => batch.summary?.find((s) => columnKey(s.promptVersionId, s.model) === key),
  };
}

// ---- Two columns compared case by case ----------------------------------------------------------

export interface CheckChange {
  kind: CheckResult['kind'];
  value: CheckResult['value'];
  /** Repeats that passed this check, of those finished, on each side. */
  a: { passed: number; of: number };
  b: { passed: number; of: number };
  change: 'pass→fail' | 'fail→pass' | 'same' | 'mixed';
}

export interface Deltas {
  /** Means over each side's succeeded repeats; null when a side has none. */
  outputTokens: [number | null, number | null];
  totalTokens: [number | null, number | null];
  costUsd: [number | null, number | null];
  latencyMs: [number | null, number | null];
}

export interface CaseComparison {
  caseId: string;
  a: BatchResult | undefined;
  b: BatchResult | undefined;
  checks: CheckChange[];
  deltas: Deltas;
  /** Whether the first repeats' outputs differ. */
  outputChanged: boolean;
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((x, y) => x + y, 0) / values.length);

function meanOf(results: BatchResult[], pick: (r: BatchResult) => number | null | undefined): number | null {
  return mean(results.filter((r) => r.status === 'succeeded').flatMap((r) => {
    const v = pick(r);
    return v === null || v === undefined ? [] : [v];
  }));
}

function checkChanges(a: BatchResult[], b: BatchResult[]): CheckChange[] {
  const fa = a.filter(isFinished);
  const fb = b.filter(isFinished);
  const count = Math.max(...[...fa, ...fb].map((r) => r.checks.length), 0);
  const changes: CheckChange[] = [];
  for (let i = 0; i < count; i++) {
    const sample = [...fa, ...fb].find((r) => r.checks[i])?.checks[i] as CheckResult;
    const side = (rs: BatchResult[]) => ({ passed: rs.filter((r) => r.checks[i]?.passed).length, of: rs.filter((r) => r.checks[i]).length });
    const x = side(fa);
    const y = side(fb);
    // Compared as shares of passing repeats: 3/3 → 2/3 is a regression even if most still pass.
    let change: CheckChange['change'] = 'same';
    if (x.of > 0 && y.of > 0 && x.passed * y.of !== y.passed * x.of) {
      if (x.passed === x.of) change = 'pass→fail';
      else if (y.passed === y.of) change = 'fail→pass';
      else change = 'mixed';
    }
    changes.push({ kind: sample.kind, value: sample.value, a: x, b: y, change });
  }
  return changes;
}

/** Column `a` against column `b`, case by case, in the grid's case order. */
export function compareColumns(grid: Grid, a: string, b: string): CaseComparison[] {
  return grid.caseIds.map((caseId) => {
    const ra = grid.cell(caseId, a).results;
    const rb = grid.cell(caseId, b).results;
    const first = (rs: BatchResult[]) => rs.find((r) => r.status === 'succeeded') ?? rs[0];
    const [fa, fb] = [first(ra), first(rb)];
    return {
      caseId,
      a: fa,
      b: fb,
      checks: checkChanges(ra, rb),
      deltas: {
        outputTokens: [meanOf(ra, (r) => r.usage?.outputTokens), meanOf(rb, (r) => r.usage?.outputTokens)],
        totalTokens: [meanOf(ra, (r) => r.usage?.totalTokens), meanOf(rb, (r) => r.usage?.totalTokens)],
        costUsd: [meanOf(ra, (r) => r.costUsd), meanOf(rb, (r) => r.costUsd)],
        latencyMs: [meanOf(ra, (r) => r.latencyMs), meanOf(rb, (r) => r.latencyMs)],
      },
      outputChanged: (fa?.output ?? '') !== (fb?.output ?? ''),
    };
  });
}

/** B − A, or null when a side has no value. */
export function delta([a, b]: [number | null, number | null]): number | null {
  return a === null || b === null ? null : b - a;
}
