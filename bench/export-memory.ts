// Memory of a streamed export (GET /api/export?format=json): the service's heap and resident size
// while a workspace of 100,000 runs is downloaded, against 10,000 (the baseline, same run). If the
// export held its runs, the peak would grow tenfold with them; streamed, it stays about the same.
import { request } from 'node:http';
import { sql } from 'drizzle-orm';
import type { DatabaseKind } from '../contract/index.ts';
import { openDatabase, type DatabaseHandle } from '../service/db/connect.ts';
import { createPostgresDatabase } from '../service/testing/postgres-database.ts';
import { startTestApp } from '../service/testing/test-app.ts';

export interface ExportMemory {
  database: string;
  runs: number;
  exportMb: number;
  seconds: number;
  /** Peak heap used during the export, above the heap used just before it. */
  heapGrowthMb: number;
  /** The resident size of the process just before the export, and the highest during it. */
  rssBeforeMb: number;
  peakRssMb: number;
}

const PROMPTS = 100;
const MB = 1024 * 1024;

async function seed(handle: DatabaseHandle, runs: number): Promise<void> {
  const { db } = handle;
  await db.execute(sql`insert into prompts (title, tags) select 'Prompt ' || g, array['bench'] from generate_series(1, ${PROMPTS}) g`);
  await db.execute(sql`insert into prompt_versions (prompt_id, version_number, content) select id, 1, 'Review {{language}}: {{diff}}' from prompts`);
  await db.execute(sql`update prompts p set current_version_id = v.id from prompt_versions v where v.prompt_id = p.id`);
  // About 1 KB of output per run, like a short code review.
  await db.execute(sql`
    with p as (select row_number() over (order by id) as n, id, current_version_id from prompts)
    insert into test_runs (prompt_id, prompt_version_id, version_number, status, model, api, params, input_variables, output, usage, cost_usd, attempts, latency_ms, created_at, started_at, finished_at, updated_at)
    select p.id, p.current_version_id, 1, 'succeeded', 'gpt-5.4-mini', 'responses',
      '{"maxOutputTokens": 800}'::jsonb,
      jsonb_build_object('language', 'TypeScript', 'diff', '- old ' || g || E'\n+ new ' || g),
      'Run ' || g || ': ' || repeat('The change is right; one edge case is missing. ', 20),
      '{"inputTokens": 200, "cachedInputTokens": 0, "outputTokens": 500, "reasoningTokens": 100, "totalTokens": 700}'::jsonb,
      0.0011, 1, 900,
      now() - make_interval(secs => ${runs} - g), now() - make_interval(secs => ${runs} - g), now(), now()
    from generate_series(1, ${runs}) g
    join p on p.n = 1 + g % ${PROMPTS}`);
  await db.execute(sql`analyze`);
}

/** Downloads the export and throws every chunk away, as a slow disk would take it. */
function download(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${url}/api/export?format=json`, { headers: { cookie } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`export answered ${res.statusCode}`))));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

async function open(kind: DatabaseKind): Promise<{ handle: DatabaseHandle; url: string | undefined; dispose(): Promise<void> }> {
  if (kind === 'embedded') {
    const handle = await openDatabase({});
    return { handle, url: undefined, dispose: () => handle.close() };
  }
  const created = await createPostgresDatabase();
  const handle = await openDatabase({ databaseUrl: created.url });
  return {
    handle,
    url: created.url,
    dispose: async () => {
      await handle.close();
      await created.drop();
    },
  };
}

export async function measureExportMemory(kind: DatabaseKind, runs: number): Promise<ExportMemory> {
  const { handle, url, dispose } = await open(kind);
  try {
    await handle.migrate();
    await seed(handle, runs);
    const app = await startTestApp({ kind, handle, url, reset: async () => {} });
    try {
      const api = await app.signedIn();
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage();
      let peakHeap = before.heapUsed;
      let peakRss = before.rss;
      const sample = setInterval(() => {
        const now = process.memoryUsage();
        peakHeap = Math.max(peakHeap, now.heapUsed);
        peakRss = Math.max(peakRss, now.rss);
      }, 10);
      const started = performance.now();
      const bytes = await download(app.url, api.cookie as string);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sample);
      return {
        database: kind === 'embedded' ? 'embedded (PGlite, in memory)' : 'PostgreSQL 127.0.0.1',
        runs,
        exportMb: bytes / MB,
        seconds,
        heapGrowthMb: (peakHeap - before.heapUsed) / MB,
        rssBeforeMb: before.rss / MB,
        peakRssMb: peakRss / MB,
      };
    } finally {
      await app.close();
    }
  } finally {
    await dispose();
  }
}
