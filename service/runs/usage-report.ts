// GET /api/usage: tokens and cost of runs that reported usage, grouped by day, version, model or
// prompt, for the webview's charts. Runs of deleted prompts are left out, as everywhere.
import { sql, type SQL } from 'drizzle-orm';
import type { UsageQuery, UsageReport, UsageRow } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { queryRows } from '../db/raw-query.ts';
import { invalidInput } from '../http/app-error.ts';

const DEFAULT_DAYS = 30;
/** JavaScript dates reach back past year 1; PostgreSQL's timestamps refuse year 0 and before. */
const EARLIEST = new Date('0001-01-01T00:00:00.000Z');

interface Row {
  key: string;
  label: string;
  runs: string | number;
  input: string | number | null;
  cached: string | number | null;
  output: string | number | null;
  reasoning: string | number | null;
  total: string | number | null;
  cost: string | number | null;
  unpriced: string | number;
}

const GROUPS: Record<UsageQuery['groupBy'], { key: SQL; label: SQL; order: SQL }> = {
  day: {
    key: sql`to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD')`,
    label: sql`to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD')`,
    order: sql`1`,
  },
  version: { key: sql`r.prompt_version_id::text`, label: sql`'v' || r.version_number`, order: sql`min(r.version_number)` },
  model: { key: sql`r.model`, label: sql`r.model`, order: sql`1` },
  prompt: { key: sql`r.prompt_id::text`, label: sql`min(p.title)`, order: sql`2` },
};

const toRow = (r: Row): UsageRow => ({
  key: r.key,
  label: r.label,
  runs: Number(r.runs),
  inputTokens: Number(r.input ?? 0),
  cachedInputTokens: Number(r.cached ?? 0),
  outputTokens: Number(r.output ?? 0),
  reasoningTokens: Number(r.reasoning ?? 0),
  totalTokens: Number(r.total ?? 0),
  costUsd: Math.round(Number(r.cost ?? 0) * 1e8) / 1e8,
  unpricedRuns: Number(r.unpriced),
});

export async function usageReport(db: Database, query: UsageQuery): Promise<UsageReport> {
  if (query.groupBy === 'version' && !query.promptId) throw invalidInput('groupBy', 'grouping by version needs a promptId');
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value && new Date(value) < EARLIEST) throw invalidInput(field, 'must be in year 1 or later (PostgreSQL has no year 0)');
  }
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(Math.max(EARLIEST.getTime(), to.getTime() - DEFAULT_DAYS * 24 * 3600 * 1000));
  if (from >= to) throw invalidInput('from', 'must be before to');
  const group = GROUPS[query.groupBy];
  const where = sql`r.usage is not null and p.deleted_at is null
    and r.created_at >= ${from.toISOString()}::timestamptz and r.created_at < ${to.toISOString()}::timestamptz
    ${query.promptId ? sql`and r.prompt_id = ${query.promptId}` : sql``}`;
  const sums = sql`count(*) as runs,
    sum((r.usage->>'inputTokens')::bigint) as input,
    sum((r.usage->>'cachedInputTokens')::bigint) as cached,
    sum((r.usage->>'outputTokens')::bigint) as output,
    sum((r.usage->>'reasoningTokens')::bigint) as reasoning,
    sum((r.usage->>'totalTokens')::bigint) as total,
    sum(r.cost_usd) as cost,
    count(*) filter (where r.cost_usd is null) as unpriced`;
  const rows = await queryRows<Row>(
    db,
    sql`select ${group.key} as key, ${group.label} as label, ${sums}
      from test_runs r join prompts p on p.id = r.prompt_id
      where ${where} group by ${group.key}${query.groupBy === 'version' ? sql`, r.version_number` : sql``} order by ${group.order}`,
  );
  const [totals] = await queryRows<Row>(db, sql`select 'total' as key, 'Total' as label, ${sums} from test_runs r join prompts p on p.id = r.prompt_id where ${where}`);
  return {
    groupBy: query.groupBy,
    from: from.toISOString(),
    to: to.toISOString(),
    items: rows.map(toRow),
    totals: toRow(totals as Row),
  };
}
