// A batch as the API answers it: status and counts from its runs, and on request every result
// checked against its case's expectations, and the summary per version × model.
import type { Batch, BatchResult, BatchStatus, BatchSummaryRow } from '../../contract/index.ts';
import type { RunRow } from '../runs/run-queries.ts';
import type { BatchCounts, BatchRow } from './batch-queries.ts';
import { checkRun } from './checks.ts';
import type { RegexMatcher } from './regex-matcher.ts';

const NO_RUNS: BatchCounts = { queued: 0, done: 0, failed: 0, lastFinishedAt: null };

function statusOf(row: BatchRow, counts: BatchCounts): BatchStatus {
  if (row.canceledAt) return 'canceled';
  if (counts.done >= row.total) return 'finished';
  return counts.queued < row.total ? 'running' : 'queued';
}

export function batchHead(row: BatchRow, counts: BatchCounts = NO_RUNS): Batch {
  const status = statusOf(row, counts);
  const finishedAt = status === 'canceled' ? row.canceledAt : status === 'finished' ? counts.lastFinishedAt : null;
  return {
    id: row.id,
    promptId: row.promptId,
    status,
    total: row.total,
    done: counts.done,
    failed: counts.failed,
    createdAt: row.createdAt.toISOString(),
    finishedAt: finishedAt ? finishedAt.toISOString() : null,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Results case by case (in the batch's case order), then version, model and repeat. */
export async function batchResults(row: BatchRow, runs: RunRow[], matcher: RegexMatcher): Promise<BatchResult[]> {
  const { request } = row;
  const caseOrder = new Map(row.cases.map((c, i) => [c.id, i]));
  const versionOrder = new Map(request.promptVersionIds.map((id, i) => [id, i]));
  const modelOrder = new Map(request.models.map((m, i) => [m, i]));
  const expectations = new Map(row.cases.map((c) => [c.id, c.expectations]));
  const rank = (r: RunRow) => [caseOrder.get(r.caseId ?? '') ?? 0, versionOrder.get(r.promptVersionId) ?? 0, modelOrder.get(r.model) ?? 0, r.repeat ?? 0];
  const ordered = [...runs].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return 0;
  });
  // All at once, so every regex check of the batch goes to the matcher's worker in one message.
  return Promise.all(
    ordered.map(async (run): Promise<BatchResult> => ({
      runId: run.id,
      caseId: run.caseId ?? '',
      promptVersionId: run.promptVersionId,
      versionNumber: run.versionNumber,
      model: run.model,
      repeat: run.repeat ?? 1,
      status: run.status,
      output: run.output,
      usage: run.usage,
      costUsd: run.costUsd,
      latencyMs: run.latencyMs,
      checks: await checkRun(run, expectations.get(run.caseId ?? '') ?? [], matcher),
    })),
  );
}

/** One row per version × model, in the order the batch asked for them. */
export function batchSummary(row: BatchRow, results: BatchResult[]): BatchSummaryRow[] {
  const rows: BatchSummaryRow[] = [];
  for (const promptVersionId of row.request.promptVersionIds) {
    for (const model of row.request.models) {
      const cell = results.filter((r) => r.promptVersionId === promptVersionId && r.model === model);
      const succeeded = cell.filter((r) => r.status === 'succeeded');
      const outputsByCase = new Map<string, Set<string>>();
      for (const r of succeeded) {
        const outputs = outputsByCase.get(r.caseId) ?? new Set<string>();
        outputs.add(r.output ?? '');
        outputsByCase.set(r.caseId, outputs);
      }
      const checks = cell.flatMap((r) => r.checks);
      rows.push({
        promptVersionId,
        versionNumber: cell[0]?.versionNumber ?? 0,
        model,
        runs: cell.length,
        succeeded: succeeded.length,
        checksPassed: checks.filter((c) => c.passed).length,
        checksTotal: checks.length,
        costUsd: cell.reduce((sum, r) => sum + (r.costUsd ?? 0), 0),
        medianLatencyMs: median(succeeded.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs]))),
        distinctOutputs: [...outputsByCase.values()].reduce((sum, set) => sum + set.size, 0),
      });
    }
  }
  return rows;
}
