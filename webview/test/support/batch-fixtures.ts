// Contract-shaped batches for the Run all tests: two cases of the fixture prompt, and a builder
// that makes a batch's results and summary the way the service orders and sums them.
import { randomUUID } from 'node:crypto';
import type { Batch, BatchResult, BatchSummaryRow, CheckResult, TestCase } from '../../../contract/index.ts';
import { PROMPT_ID, V1, V2 } from './fixtures.ts';

const AT = '2026-11-27T11:00:00.000Z';

export function aCase(name: string, overrides: Partial<TestCase> = {}): TestCase {
  return {
    id: randomUUID(),
    promptId: PROMPT_ID,
    name,
    inputVariables: { diff: `+ ${name}`, language: 'English' },
    input: null,
    expectations: [
      { kind: 'contains', value: 'senior' },
      { kind: 'maxOutputTokens', value: 500 },
    ],
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

export const CASE_A = aCase('adds a line');
export const CASE_B = aCase('removes a line');

export interface ResultSpec {
  caseId: string;
  version: typeof V1;
  model: string;
  repeat?: number;
  status?: BatchResult['status'];
  output?: string | null;
  checks?: boolean[];
  outputTokens?: number;
  costUsd?: number | null;
  latencyMs?: number | null;
}

const CHECK_KINDS: [CheckResult['kind'], CheckResult['value']][] = [
  ['contains', 'senior'],
  ['maxOutputTokens', 500],
  ['notContains', 'TODO'],
];

export function aResult(spec: ResultSpec): BatchResult {
  const status = spec.status ?? 'succeeded';
  const finished = status === 'succeeded' || status === 'failed' || status === 'canceled';
  const ok = status === 'succeeded';
  const outputTokens = spec.outputTokens ?? 100;
  return {
    runId: randomUUID(),
    caseId: spec.caseId,
    promptVersionId: spec.version.id,
    versionNumber: spec.version.versionNumber,
    model: spec.model,
    repeat: spec.repeat ?? 1,
    status,
    output: ok ? (spec.output ?? 'Echo: fine') : null,
    usage: ok ? { inputTokens: 400, cachedInputTokens: 0, outputTokens, reasoningTokens: 0, totalTokens: 400 + outputTokens } : null,
    costUsd: ok ? (spec.costUsd === undefined ? 0.002 : spec.costUsd) : null,
    latencyMs: ok ? (spec.latencyMs === undefined ? 800 : spec.latencyMs) : null,
    checks: finished
      ? (spec.checks ?? [true, true]).map((passed, i) => {
          const [kind, value] = CHECK_KINDS[i] ?? CHECK_KINDS[0]!;
          return { kind, value, passed: ok && passed, detail: passed ? '' : 'not found' };
        })
      : [],
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A batch of these results, summed per version × model as the service does. */
export function aBatch(results: BatchResult[], overrides: Partial<Batch> = {}): Batch {
  const columns: [string, number, string][] = [];
  for (const r of results) if (!columns.some(([v, , m]) => v === r.promptVersionId && m === r.model)) columns.push([r.promptVersionId, r.versionNumber, r.model]);
  const summary: BatchSummaryRow[] = columns.map(([promptVersionId, versionNumber, model]) => {
    const cell = results.filter((r) => r.promptVersionId === promptVersionId && r.model === model);
    const ok = cell.filter((r) => r.status === 'succeeded');
    const checks = cell.flatMap((r) => r.checks);
    const byCase = new Map<string, Set<string>>();
    for (const r of ok) byCase.set(r.caseId, (byCase.get(r.caseId) ?? new Set()).add(r.output ?? ''));
    return {
      promptVersionId,
      versionNumber,
      model,
      runs: cell.length,
      succeeded: ok.length,
      checksPassed: checks.filter((c) => c.passed).length,
      checksTotal: checks.length,
      costUsd: cell.reduce((s, r) => s + (r.costUsd ?? 0), 0),
      medianLatencyMs: median(ok.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs]))),
      distinctOutputs: [...byCase.values()].reduce((s, set) => s + set.size, 0),
    };
  });
  const done = results.filter((r) => !['queued', 'running'].includes(r.status)).length;
  return {
    id: randomUUID(),
    promptId: PROMPT_ID,
    status: done === results.length ? 'finished' : done === 0 && results.every((r) => r.status === 'queued') ? 'queued' : 'running',
    total: results.length,
    done,
    failed: results.filter((r) => r.status === 'failed').length,
    createdAt: AT,
    finishedAt: done === results.length ? AT : null,
    results,
    summary,
    ...overrides,
  };
}

export { V1, V2 };
