// Lists at scale (issue 13, P3): every list and filter of prompts, versions and runs, answered
// through the service's HTTP API on a large seeded database, at least 1,000 requests per figure so
// the p99 means something, with the plan (EXPLAIN ANALYZE) of each list's query.
import { cpus, loadavg } from 'node:os';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle, type Executor } from '../service/db/connect.ts';
import { queryRows } from '../service/db/raw-query.ts';
import { decodeCursor } from '../service/http/cursor.ts';
import { promptListQuery } from '../service/prompts/prompt-queries.ts';
import { versionListQuery } from '../service/prompts/version-queries.ts';
import { runListQuery, type RunListFilter } from '../service/runs/run-queries.ts';
import { createPostgresDatabase } from '../service/testing/postgres-database.ts';
import { startTestApp } from '../service/testing/test-app.ts';
import type { ApiClient } from '../service/testing/api-client.ts';
import { ms, summarize, type Summary } from './stats.ts';

export interface ListSizes {
  prompts: number;
  versionsPerPrompt: number;
  runs: number;
}

export interface ListFigure {
  name: string;
  /** The request, as sent (ids shortened in the report). */
  path: string;
  /** Items on the page the request answered with. */
  items: number;
  summary: Summary;
}

export interface ListsResult {
  database: string;
  sizes: ListSizes;
  seedSeconds: number;
  requests: number;
  figures: ListFigure[];
  plans: { name: string; plan: string }[];
}

const PAGE = 50;
/** Half the runs go to these prompts (people run a few prompts a lot), the other half to all of them. */
const HOT_PROMPTS = 100;
const TITLE_WORDS = ['review', 'refactor', 'summarize', 'translate', 'classify', 'extract', 'explain', 'debug', 'test', 'document'];
const TITLE_TOPICS = ['sql', 'python', 'typescript', 'rust', 'go', 'docs', 'api', 'css'];
const TAGS = ['code', 'review', 'sql', 'python', 'docs', 'ops', 'data', 'ui', 'security', 'perf'];
const OUTPUT_WORDS = ['The function', 'This query', 'Your component', 'The service', 'That loop', 'The migration', 'This test', 'The parser', 'The handler', 'The refactor'];

const textArray = (values: string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(',')}]`);

/**
 * Seeds in a few set-based statements (generate_series), as the service's own indexes, triggers and
 * foreign keys stand: what is measured is the schema the service migrates to.
 */
async function seed(db: Executor, sizes: ListSizes): Promise<void> {
  const { prompts: n, versionsPerPrompt: v, runs: r } = sizes;
  // Prompt g is created g minutes after the first; its title and tags come from small word lists, so
  // a search matches a known share of the prompts (1 in 80 titles, 1 in 10 or 100 tags).
  await db.execute(sql`
    insert into prompts (title, tags, created_at, updated_at)
    select 'Prompt ' || g || ' ' || (${textArray(TITLE_WORDS)})[1 + g % 10] || ' ' || (${textArray(TITLE_TOPICS)})[1 + (g / 10) % 8],
      array[(${textArray(TAGS)})[1 + g % 10], 'team-' || (g % 100)],
      now() - make_interval(mins => ${n} - g + ${v}), now()
    from generate_series(1, ${n}) g`);
  await db.execute(sql`
    insert into prompt_versions (prompt_id, version_number, content, notes, created_at)
    select p.id, v, 'You are a careful reviewer. Version ' || v || ' of "' || p.title || '": explain {{code}} step by step, then list the risks.',
      case when v > 1 then 'Tightened the wording' end, p.created_at + make_interval(secs => v)
    from prompts p, generate_series(1, ${v}) v`);
  await db.execute(sql`
    update prompts p set current_version_id = pv.id from prompt_versions pv where pv.prompt_id = p.id and pv.version_number = ${v}`);
  // Run g is g seconds after the first. From a hash of g, so independent of the prompt: 5 % failed
  // and 1 % canceled; 70 % on one model, 1 % on a rare one; 1 output in 10,000 has a needle. 1 output
  // in 10 mentions a refactor.
  await db.execute(sql`
    with p as (select row_number() over (order by created_at, id) as n, id from prompts),
      pv as (select p.n, pv.version_number, pv.id from p join prompt_versions pv on pv.prompt_id = p.id),
      g as (select g, (hashint4(g) & 2147483647) % 10000 as h, case when g % 2 = 0 then 1 + (g / 2) % ${HOT_PROMPTS} else 1 + (g / 2) % ${n} end as n from generate_series(1, ${r}) g)
    insert into test_runs (prompt_id, prompt_version_id, version_number, status, model, api, params, input_variables, output, usage, cost_usd, error,
      attempts, latency_ms, created_at, started_at, finished_at, updated_at)
    select p.id, pv.id, pv.version_number,
      case when g.h % 20 = 0 then 'failed' when g.h % 100 = 1 then 'canceled' else 'succeeded' end,
      case when g.h % 100 = 7 then 'gpt-5.3-codex' when g.h % 10 < 3 then 'gpt-5.4-mini' else 'gpt-5.4' end,
      'responses', '{"temperature":0.2}'::jsonb, jsonb_build_object('code', 'fn' || g.g),
      case when g.h % 20 = 0 then null else
        (${textArray(OUTPUT_WORDS)})[1 + g.g % 10] || ' number ' || g.g || ' reads well; consider naming the result and checking the empty case first.'
          || case when g.h = 5 then ' needle' else '' end end,
      case when g.h % 20 = 0 then null else '{"inputTokens":120,"outputTokens":40,"totalTokens":160}'::jsonb end,
      case when g.h % 20 = 0 then null else 0.0004 end,
      case when g.h % 20 = 0 then '{"code":"RATE_LIMITED","message":"Too many requests","status":429}'::jsonb end,
      1, 800 + g.g % 400,
      now() - make_interval(secs => ${r} - g.g), now() - make_interval(secs => ${r} - g.g), now() - make_interval(secs => ${r} - g.g), now()
    from g join p on p.n = g.n join pv on pv.n = g.n and pv.version_number = 1 + g.g % ${v}`);
  // As autovacuum would soon after such a load: measured during it, every list would be slower.
  await db.execute(sql`vacuum analyze`);
}

interface ListCase {
  name: string;
  path: string;
  /** The list's own query, as the service builds it for this request, to explain. */
  query: SQLWrapper;
}

async function cases(db: Executor, api: ApiClient): Promise<ListCase[]> {
  const [hot] = await queryRows<{ id: string }>(db, sql`select id from prompts where title like 'Prompt 2 %'`);
  const hotId = (hot as { id: string }).id;
  const limit = PAGE + 1;
  const runs = (name: string, filter: Omit<RunListFilter, 'limit'>, query: string): ListCase => ({
    name,
    path: `/api/test-runs?${query}${query ? '&' : ''}limit=${PAGE}`,
    query: runListQuery(db, { ...filter, limit }),
  });
  const secondPage = async (name: string, filter: Omit<RunListFilter, 'limit'>, query: string): Promise<ListCase> => {
    const first = await api.ok<{ nextCursor: string }>('GET', `/api/test-runs?${query}${query ? '&' : ''}limit=${PAGE}`);
    if (!first.nextCursor) throw new Error(`no second page: ${JSON.stringify({ ...first, items: (first as unknown as { items: unknown[] }).items.length })}`);
    const [createdAt, id] = decodeCursor(first.nextCursor, ['timestamp', 'uuid']);
    return runs(name, { ...filter, after: { createdAt, id } }, `${query}${query ? '&' : ''}cursor=${first.nextCursor}`);
  };
  return [
    { name: 'prompts, newest first', path: `/api/prompts?limit=${PAGE}`, query: promptListQuery(db, { limit }) },
    { name: 'prompts, title search (1 in 80)', path: `/api/prompts?q=refactor%20python&limit=${PAGE}`, query: promptListQuery(db, { q: 'refactor python', limit }) },
    { name: 'prompts, title search (one word)', path: `/api/prompts?q=debug&limit=${PAGE}`, query: promptListQuery(db, { q: 'debug', limit }) },
    { name: 'prompts, by tag (1 in 10)', path: `/api/prompts?tag=security&limit=${PAGE}`, query: promptListQuery(db, { tag: 'security', limit }) },
    { name: 'prompts, by tag (1 in 100)', path: `/api/prompts?tag=team-42&limit=${PAGE}`, query: promptListQuery(db, { tag: 'team-42', limit }) },
    { name: 'versions of a prompt', path: `/api/prompts/${hotId}/versions?limit=${PAGE}`, query: versionListQuery(db, hotId, limit) },
    runs('runs, newest first', {}, ''),
    await secondPage('runs, newest first, second page', {}, ''),
    runs('runs of one prompt', { promptId: hotId }, `promptId=${hotId}`),
    await secondPage('runs of one prompt, second page', { promptId: hotId }, `promptId=${hotId}`),
    runs('runs by status (failed, 5 %)', { status: 'failed' }, 'status=failed'),
    runs('runs by status (canceled, 1 %)', { status: 'canceled' }, 'status=canceled'),
    runs('runs of one prompt, failed', { promptId: hotId, status: 'failed' }, `promptId=${hotId}&status=failed`),
    runs('runs by model (1 %)', { model: 'gpt-5.3-codex' }, 'model=gpt-5.3-codex'),
    runs('runs by output text (1 in 10,000)', { q: 'needle' }, 'q=needle'),
    runs('runs by output text (1 in 10)', { q: 'refactor' }, 'q=refactor'),
  ];
}

async function explain(db: Executor, query: SQLWrapper): Promise<string> {
  const rows = await queryRows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, costs off) ${query}`);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** Seeds a new database of `kind`, then times every list through HTTP, interleaved, `requests` times each. */
export async function measureLists(kind: 'postgres' | 'embedded', sizes: ListSizes, requests: number): Promise<ListsResult> {
  const created = kind === 'postgres' ? await createPostgresDatabase() : undefined;
  const handle: DatabaseHandle = await openDatabase(created ? { databaseUrl: created.url } : {});
  try {
    await handle.migrate();
    const started = performance.now();
    await seed(handle.db, sizes);
    const seedSeconds = (performance.now() - started) / 1000;
    // As `npm start` serves: answers are not validated against their schemas (tests do that).
    const app = await startTestApp({ kind, handle, url: created?.url, reset: async () => {} }, { validateResponses: false });
    try {
      const api = await app.signedIn();
      const list = await cases(handle.db, api);
      const items = new Map<string, number>();
      for (const c of list) {
        for (let i = 0; i < 20; i++) items.set(c.name, (await api.ok<{ items: unknown[] }>('GET', c.path)).items.length);
      }
      // Interleaved: request i of every list before request i + 1 of any, so noise hits all alike.
      const samples = new Map<string, number[]>(list.map((c) => [c.name, []]));
      for (let i = 0; i < requests; i++) {
        for (const c of list) {
          const t = performance.now();
          await api.ok('GET', c.path);
          samples.get(c.name)?.push(performance.now() - t);
        }
      }
      const plans = [];
      for (const c of list) plans.push({ name: c.name, plan: await explain(handle.db, c.query) });
      return {
        database: kind === 'postgres' ? 'PostgreSQL 127.0.0.1' : 'embedded (PGlite, in memory)',
        sizes,
        seedSeconds,
        requests,
        figures: list.map((c) => ({ name: c.name, path: c.path, items: items.get(c.name) ?? 0, summary: summarize(samples.get(c.name) ?? []) })),
        plans,
      };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    await created?.drop();
  }
}

type Say = (line?: string) => void;
const count = (n: number) => n.toLocaleString('en');
const AIM_P99_MS = 50;

/** The section of docs/benchmarks.md: `npm run bench -- --only lists`. */
export async function listsSection(say: Say): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  const smoke = Boolean(process.env.BENCH_SMOKE);
  const requests = Number(process.env.BENCH_LISTS_REQUESTS ?? (smoke ? 50 : 1000));
  const big: ListSizes = smoke ? { prompts: 1_000, versionsPerPrompt: 10, runs: 20_000 } : { prompts: 10_000, versionsPerPrompt: 10, runs: 1_000_000 };
  const embedded: ListSizes = smoke ? { prompts: 1_000, versionsPerPrompt: 10, runs: 20_000 } : { prompts: 10_000, versionsPerPrompt: 10, runs: 100_000 };
  const results = [await measureLists('postgres', big, requests), await measureLists('embedded', embedded, requests)];
  say(`## Lists at scale: every list and filter through the HTTP API, p99 at most ${AIM_P99_MS} ms`);
  say();
  say(`Measured on ${new Date().toISOString().slice(0, 10)}. Each figure: GET through the service (in the benchmark's process, answers not validated, as \`npm start\` serves), one request at a time, ${count(requests)} requests per list, the lists interleaved, after 20 warm-up requests each. Pages of ${PAGE}. ${machineLoad(loadBefore)}`);
  for (const r of results) {
    say(
      `On ${r.database}: ${count(r.sizes.prompts)} prompts, ${count(r.sizes.prompts * r.sizes.versionsPerPrompt)} versions and ${count(r.sizes.runs)} runs, seeded in ${r.seedSeconds.toFixed(1)} s ` +
        `(half the runs on ${HOT_PROMPTS} prompts, so a prompt's list has ${count(Math.round(r.sizes.runs / 2 / HOT_PROMPTS + r.sizes.runs / 2 / r.sizes.prompts))} runs).`,
    );
  }
  say();
  say(`| list | ${results.map((r) => `${r.database} median | p99`).join(' | ')} | items |`);
  say(`| --- | ${results.map(() => '---: | ---:').join(' | ')} | ---: |`);
  const first = results[0] as ListsResult;
  for (const [i, f] of first.figures.entries()) {
    const cells = results.map((r) => {
      const s = (r.figures[i] as ListFigure).summary;
      return `${ms(s.median)} | ${s.p99 <= AIM_P99_MS ? '' : '**'}${ms(s.p99)}${s.p99 <= AIM_P99_MS ? '' : '**'}`;
    });
    say(`| ${f.name} | ${cells.join(' | ')} | ${f.items} |`);
  }
  say();
  const worst = results.map((r) => {
    const w = r.figures.reduce((a, b) => (b.summary.p99 > a.summary.p99 ? b : a));
    return `${r.database}: ${ms(w.summary.p99)} (${w.name})`;
  });
  const missed = results.flatMap((r) => r.figures.filter((f) => f.summary.p99 > AIM_P99_MS).map((f) => `${f.name} on ${r.database}`));
  say(`The slowest p99, ${worst.join('; ')}. ${missed.length === 0 ? `Every list is within ${AIM_P99_MS} ms at p99.` : `Over ${AIM_P99_MS} ms at p99 (in bold): ${missed.join(', ')}.`}`);
  say();
  for (const r of results) {
    say(`<details><summary>Plans on ${r.database} (EXPLAIN ANALYZE of each list's query, as the service builds it)</summary>`);
    say();
    for (const plan of r.plans) {
      say(`${plan.name}:`);
      say();
      say('```');
      say(plan.plan);
      say('```');
      say();
    }
    say('</details>');
    say();
  }
}

/** The machine's 1-minute load average before and after, against its cores: other work skews the tails. */
function machineLoad(before: number): string {
  return `Load average (1 min) ${before.toFixed(1)} before and ${(loadavg()[0] ?? NaN).toFixed(1)} after, on ${cpus().length} cores.`;
}
