// The usage report's queries (GET /api/usage), on the schema's tables and columns: sums of the
// tokens and cost of runs that reported usage, per group and in total. Runs of deleted prompts
// are left out, as everywhere.
import { and, eq, gte, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Usage, UsageQuery } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { prompts, testRuns } from '../db/schema.ts';

export type UsageGroup = UsageQuery['groupBy'];

export interface UsageFilter {
  from: Date;
  to: Date;
  promptId?: string | undefined;
}

/** One group's sums; a sum over runs that all lack a field is null. */
export interface UsageSums {
  key: string;
  label: string;
  runs: number;
  inputTokens: number | null;
  cachedInputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  costUsd: number | null;
  unpricedRuns: number;
}

// bigint sums and counts come back as strings from node-postgres: read them as numbers. The field
// name is a literal in the SQL text, not a bound value (see the GROUP BY note below).
const tokens = (field: keyof Usage) => sql`sum((${testRuns.usage}->>${sql.raw(`'${field}'`)})::bigint)`.mapWith(Number);

const SUMS = {
  runs: sql`count(*)`.mapWith(Number),
  inputTokens: tokens('inputTokens'),
  cachedInputTokens: tokens('cachedInputTokens'),
  outputTokens: tokens('outputTokens'),
  reasoningTokens: tokens('reasoningTokens'),
  totalTokens: tokens('totalTokens'),
  costUsd: sql`sum(${testRuns.costUsd})`.mapWith(Number),
  unpricedRuns: sql`count(*) filter (where ${testRuns.costUsd} is null)`.mapWith(Number),
};

// Keys and labels hold no bound values: PostgreSQL matches a GROUP BY expression to the select
// list by its text, and two placeholders of the same value would not match.
const day = sql<string>`to_char(${testRuns.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
const GROUPS: Record<UsageGroup, { key: SQL<string>; label: SQL<string>; order: SQL }> = {
  day: { key: day, label: day, order: day },
  version: {
    key: sql<string>`${testRuns.promptVersionId}::text`,
    label: sql<string>`'v' || min(${testRuns.versionNumber})`,
    order: sql`min(${testRuns.versionNumber})`,
  },
  model: { key: sql<string>`${testRuns.model}`, label: sql<string>`${testRuns.model}`, order: sql`${testRuns.model}` },
  prompt: { key: sql<string>`${testRuns.promptId}::text`, label: sql<string>`min(${prompts.title})`, order: sql`min(${prompts.title})` },
};

function where(filter: UsageFilter): SQL | undefined {
  return and(
    isNotNull(testRuns.usage),
    isNull(prompts.deletedAt),
    gte(testRuns.createdAt, filter.from),
    lt(testRuns.createdAt, filter.to),
    filter.promptId ? eq(testRuns.promptId, filter.promptId) : undefined,
  );
}

/** The sums per group, in the group's order (day, version number, model, prompt title). */
export async function usageByGroup(db: Executor, groupBy: UsageGroup, filter: UsageFilter): Promise<UsageSums[]> {
  const group = GROUPS[groupBy];
  return db
    .select({ key: group.key, label: group.label, ...SUMS })
    .from(testRuns)
    .innerJoin(prompts, eq(prompts.id, testRuns.promptId))
    .where(where(filter))
    .groupBy(group.key)
    .orderBy(group.order);
}

/** The sums over every run the filter selects. */
export async function usageTotals(db: Executor, filter: UsageFilter): Promise<UsageSums> {
  const [totals] = await db
    .select({ key: sql<string>`'total'`, label: sql<string>`'Total'`, ...SUMS })
    .from(testRuns)
    .innerJoin(prompts, eq(prompts.id, testRuns.promptId))
    .where(where(filter));
  if (!totals) throw new Error('An aggregate query answered no row');
  return totals;
}
