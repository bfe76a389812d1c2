// Creating a version (issue 13, P2): the service's use case and its HTTP route against a raw SQL
// insert transaction through the same driver on the same database, interleaved in one run.
import { cpus, loadavg } from 'node:os';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../service/db/connect.ts';
import { createPrompt, createVersion } from '../service/prompts/prompt-use-cases.ts';
import { createPostgresDatabase } from '../service/testing/postgres-database.ts';
import { startTestApp } from '../service/testing/test-app.ts';
import { ms, ratio, summarize, type Summary } from './stats.ts';

export interface VersionCreateResult {
  database: string;
  raw: Summary;
  useCase: Summary;
  http: Summary;
}

const CONTENT = 'You are a careful reviewer. Explain {{code}} step by step, then list the risks. '.repeat(4);
const INSERT = 'insert into prompt_versions (prompt_id, version_number, content, notes) values ($1, $2, $3, $4) returning *';

/** BEGIN, one INSERT … RETURNING, COMMIT: the least a durable new row costs through this driver. */
function rawInsert(handle: DatabaseHandle, promptId: string): () => Promise<void> {
  // Version 1 exists (made with the prompt).
  let next = 2;
  if (handle.kind === 'postgres') {
    const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
    return async () => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(INSERT, [promptId, next++, CONTENT, 'raw']);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
  }
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  return async () => {
    await client.transaction(async (tx) => {
      await tx.query(INSERT, [promptId, next++, CONTENT, 'raw']);
    });
  };
}

export async function measureVersionCreate(kind: 'postgres' | 'embedded', iterations: number): Promise<VersionCreateResult> {
  const created = kind === 'postgres' ? await createPostgresDatabase() : undefined;
  const handle = await openDatabase(created ? { databaseUrl: created.url } : {});
  try {
    await handle.migrate();
    const app = await startTestApp({ kind, handle, url: created?.url, reset: async () => {} }, { validateResponses: false });
    try {
      const api = await app.signedIn();
      // A prompt of its own for each way, so each appends to a history of the same length.
      const promptOf = async (title: string) => (await createPrompt(handle.db, { title, content: CONTENT })).id;
      const [rawPrompt, useCasePrompt, httpPrompt] = [await promptOf('raw'), await promptOf('use case'), await promptOf('http')];
      const raw = rawInsert(handle, rawPrompt);
      const ways: [string, () => Promise<unknown>][] = [
        ['raw', raw],
        ['useCase', () => createVersion(handle.db, useCasePrompt, { content: CONTENT, notes: 'use case' })],
        ['http', () => api.ok('POST', `/api/prompts/${httpPrompt}/versions`, { content: CONTENT, notes: 'http' })],
      ];
      const samples = new Map<string, number[]>(ways.map(([name]) => [name, []]));
      for (let i = 0; i < iterations + 20; i++) {
        for (const [name, create] of ways) {
          const t = performance.now();
          await create();
          if (i >= 20) samples.get(name)?.push(performance.now() - t);
        }
      }
      const of = (name: string) => summarize(samples.get(name) ?? []);
      return { database: kind === 'postgres' ? 'PostgreSQL 127.0.0.1' : 'embedded (PGlite, in memory)', raw: of('raw'), useCase: of('useCase'), http: of('http') };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    await created?.drop();
  }
}

type Say = (line?: string) => void;
const AIM = 3;

/** The section of docs/benchmarks.md: `npm run bench -- --only versions`. */
export async function versionsSection(say: Say): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  const iterations = Number(process.env.BENCH_VERSION_ITERATIONS ?? (process.env.BENCH_SMOKE ? 30 : 500));
  const results = [await measureVersionCreate('postgres', iterations), await measureVersionCreate('embedded', iterations)];
  say(`## Creating a version: the service against a raw SQL insert transaction, at most ${AIM} × at the median`);
  say();
  say(`Measured on ${new Date().toISOString().slice(0, 10)}, ${iterations} versions each way after 20 warm-up ones, the three ways interleaved, each on a prompt of its own. ${machineLoad(loadBefore)}`);
  say('Raw: `BEGIN`, one `INSERT … RETURNING`, `COMMIT` through the same driver (node-postgres pool or PGlite) with the version number known in advance.');
  say('Use case: `createVersion()`, as the route calls it: in one transaction it locks the prompt, numbers the version, inserts it, makes it current and');
  say('announces the change (`pg_notify`). HTTP: `POST /api/prompts/:id/versions` through the service, signed in, answers not validated as `npm start` serves.');
  say();
  say('| database | raw median | use case median | HTTP median | raw p99 | use case p99 | HTTP p99 | use case / raw | HTTP / raw |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    say(
      `| ${r.database} | ${ms(r.raw.median)} | ${ms(r.useCase.median)} | ${ms(r.http.median)} | ${ms(r.raw.p99)} | ${ms(r.useCase.p99)} | ${ms(r.http.p99)} | ${ratio(r.useCase.median, r.raw.median)} | ${ratio(r.http.median, r.raw.median)} |`,
    );
  }
  say();
  const verdict = (r: VersionCreateResult) => {
    const useCase = r.useCase.median / r.raw.median;
    const http = r.http.median / r.raw.median;
    return `${r.database}: the use case ${useCase <= AIM ? 'meets' : 'misses'} it (${ratio(r.useCase.median, r.raw.median)}), the HTTP route ${http <= AIM ? 'meets' : 'misses'} it (${ratio(r.http.median, r.raw.median)})`;
  };
  say(`Against the aim of ${AIM} ×: ${results.map(verdict).join('; ')}.`);
  say();
}

/** The machine's 1-minute load average before and after, against its cores: other work skews the tails. */
function machineLoad(before: number): string {
  return `Load average (1 min) ${before.toFixed(1)} before and ${(loadavg()[0] ?? NaN).toFixed(1)} after, on ${cpus().length} cores.`;
}
