// GET /api/usage: tokens and cost of runs that reported usage, grouped by day, version, model or
// prompt, for the webview's charts. The checks of the query and the shape of the answer; the SQL
// is in usage-queries.ts.
import type { UsageQuery, UsageReport, UsageRow } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { invalidInput } from '../http/app-error.ts';
import { usageByGroup, usageTotals, type UsageSums } from './usage-queries.ts';

const DEFAULT_DAYS = 30;
/** JavaScript dates reach back past year 1; PostgreSQL's timestamps refuse year 0 and before. */
const EARLIEST = new Date('0001-01-01T00:00:00.000Z');

const toRow = (r: UsageSums): UsageRow => ({
  key: r.key,
  label: r.label,
  runs: r.runs,
  inputTokens: r.inputTokens ?? 0,
  cachedInputTokens: r.cachedInputTokens ?? 0,
  outputTokens: r.outputTokens ?? 0,
  reasoningTokens: r.reasoningTokens ?? 0,
  totalTokens: r.totalTokens ?? 0,
  costUsd: Math.round((r.costUsd ?? 0) * 1e8) / 1e8,
  unpricedRuns: r.unpricedRuns,
});

export async function usageReport(db: Executor, query: UsageQuery): Promise<UsageReport> {
  if (query.groupBy === 'version' && !query.promptId) throw invalidInput('groupBy', 'grouping by version needs a promptId');
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value && new Date(value) < EARLIEST) throw invalidInput(field, 'must be in year 1 or later (PostgreSQL has no year 0)');
  }
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(Math.max(EARLIEST.getTime(), to.getTime() - DEFAULT_DAYS * 24 * 3600 * 1000));
  if (from >= to) throw invalidInput('from', 'must be before to');
  const filter = { from, to, promptId: query.promptId };
  const [rows, totals] = await Promise.all([usageByGroup(db, query.groupBy, filter), usageTotals(db, filter)]);
  return {
    groupBy: query.groupBy,
    from: from.toISOString(),
    to: to.toISOString(),
    items: rows.map(toRow),
    totals: toRow(totals),
  };
}
