// Run history on a large table: the list queries of GET /api/test-runs on a million runs, against
// the same queries on ten thousand (the baseline, measured in the same run), with the plans.
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../service/db/connect.ts';
import { openDatabase } from '../service/db/connect.ts';
import { queryRows } from '../service/db/raw-query.ts';
import { createPostgresDatabase } from '../service/testing/postgres-database.ts';
import { startTestApp } from '../service/testing/test-app.ts';
import { summarize, type Summary } from './stats.ts';

export interface HistoryQuery {
  name: string;
  query: string;
}

export interface HistoryResult {
  rows: number;
  seedSeconds: number;
  timings: { name: string; summary: Summary }[];
  plans: { name: string; plan: string }[];
}

const PROMPTS = 100;

/** Inserts prompts with one version each, then `runs` runs spread over them, in SQL. */
async function seed(handle: DatabaseHandle, runs: number): Promise<string> {
  const { db } = handle;
  await db.execute(sql`insert into prompts (title, tags) select 'Prompt ' || g, array['bench'] from generate_series(1, ${PROMPTS}) g`);
  await db.execute(sql`insert into prompt_versions (prompt_id, version_number, content) select id, 1, 'Explain {{x}}' from prompts`);
  await db.execute(sql`update prompts p set current_version_id = v.id from prompt_versions v where v.prompt_id = p.id`);
  await db.execute(sql`
    with p as (select row_number() over (order by id) as n, id, current_version_id from prompts)
    insert into test_runs (prompt_id, prompt_version_id, version_number, status, model, api, output, attempts, created_at, updated_at)
    select p.id, p.current_version_id, 1,
      (array['succeeded','succeeded','succeeded','failed','canceled'])[1 + g % 5],
      (array['gpt-5.4','gpt-5.4-mini','gpt-5.3-codex'])[1 + g % 3],
      'responses',
      'answer ' || g || case when g % 10000 = 0 then ' needle' else '' end,
      1,
      now() - make_interval(secs => ${runs} - g),
      now()
    from generate_series(1, ${runs}) g
    join p on p.n = 1 + g % ${PROMPTS}`);
  await db.execute(sql`analyze`);
  const [row] = await queryRows<{ id: string }>(db, sql`select id from prompts order by id limit 1`);
  return (row as { id: string }).id;
}

export async function measureHistory(runs: number, requests: number): Promise<HistoryResult> {
  const created = await createPostgresDatabase();
  const handle = await openDatabase({ databaseUrl: created.url });
  try {
    await handle.migrate();
    const started = performance.now();
    const promptId = await seed(handle, runs);
    const seedSeconds = (performance.now() - started) / 1000;
    const app = await startTestApp({ kind: 'postgres', handle, url: created.url, reset: async () => {} });
    try {
      const api = await app.signedIn();
      const queries: HistoryQuery[] = [
        { name: 'newest first, no filter', query: 'limit=50' },
        { name: 'one prompt', query: `promptId=${promptId}&limit=50` },
        { name: 'one prompt, failed only', query: `promptId=${promptId}&status=failed&limit=50` },
        { name: 'model filter', query: 'model=gpt-5.3-codex&limit=50' },
        { name: 'text in output (rare)', query: 'q=needle&limit=50' },
      ];
      const first = await api.ok<{ nextCursor: string }>('GET', `/api/test-runs?promptId=${promptId}&limit=50`);
      queries.push({ name: 'one prompt, second page', query: `promptId=${promptId}&limit=50&cursor=${first.nextCursor}` });
      const timings = [];
      for (const { name, query } of queries) {
        for (let i = 0; i < 3; i++) await api.ok('GET', `/api/test-runs?${query}`);
        const samples: number[] = [];
        for (let i = 0; i < requests; i++) {
          const t = performance.now();
          await api.ok('GET', `/api/test-runs?${query}`);
          samples.push(performance.now() - t);
        }
        timings.push({ name, summary: summarize(samples) });
      }
      const explain = async (where: string) =>
        (await queryRows<{ 'QUERY PLAN': string }>(handle.db, sql.raw(`explain select * from test_runs where ${where} order by created_at desc, id desc limit 51`)))
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      const plans = [
        { name: 'one prompt', plan: await explain(`prompt_id = '${promptId}'`) },
        { name: 'text in output', plan: await explain(`output ilike '%needle%'`) },
      ];
      return { rows: runs, seedSeconds, timings, plans };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    await created.drop();
  }
}
