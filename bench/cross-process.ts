// Issue 13, P7: service processes on one PostgreSQL share runs by LISTEN/NOTIFY. Real processes
// (`service/main.ts`, each with its own pool and LISTEN connection), a fake OpenAI server in a
// process of its own, and this process as the client:
//  - the first streamed delta of a run executed by process A, read through A's SSE and through
//    B's, interleaved (the aim: B within 10 ms of A at the median);
//  - a batch of 300 runs on one process and on three, at the same concurrency per process (the
//    aim: three at least 2 × faster).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Batch, PromptWithVersion, TestRun } from '../contract/index.ts';
import { createPostgresDatabase } from '../service/testing/postgres-database.ts';
import { ApiClient } from '../service/testing/api-client.ts';
import { readEvents } from '../service/testing/sse.ts';
import { summarize, type Summary } from './stats.ts';

const KEY = 'sk-bench-key-000000';
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench password 1234';
export const CROSS_BATCH_RUNS = 300;
export const CROSS_CONCURRENCY = 8;
export const CROSS_LATENCY_MS = 100;

interface Child {
  url: string;
  child: ChildProcess;
}

function waitForUrl(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const match = pattern.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before listening`)));
  });
}

const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function startFake(): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script('../tools/fake-openai/main.ts')], {
    env: { ...process.env, PORT: '0', FAKE_OPENAI_LATENCY_MS: String(CROSS_LATENCY_MS), FAKE_OPENAI_API_KEY: KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, url: await waitForUrl(child, /listening on (http:\/\/\S+)/, 'the fake OpenAI server') };
}

async function startService(databaseUrl: string, fakeUrl: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script('../service/main.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: fakeUrl,
      PROMPTREFINE_EMAIL: EMAIL,
      PROMPTREFINE_PASSWORD: PASSWORD,
      PROMPTREFINE_RUN_CONCURRENCY: String(CROSS_CONCURRENCY),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, url: await waitForUrl(child, /PromptRefine listening on (http:\/\/\S+)/, 'a service process') };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function signedIn(url: string): Promise<ApiClient> {
  const api = new ApiClient(url);
  await api.ok('POST', '/api/auth/signin', { email: EMAIL, password: PASSWORD });
  return api;
}

async function firstDelta(url: string, cookie: string | undefined, runId: string, started: number): Promise<number> {
  let first = NaN;
  for await (const event of readEvents(`${url}/api/test-runs/${runId}/events`, cookie)) {
    if (event.event === 'delta' && Number.isNaN(first)) first = performance.now() - started;
    if (event.event === 'done') break;
  }
  return first;
}

export interface CrossProcessResult {
  iterations: number;
  sameProcess: Summary;
  otherProcess: Summary;
  batchOne: number[];
  batchThree: number[];
}

export async function measureCrossProcess(iterations: number, rounds: number): Promise<CrossProcessResult> {
  const created = await createPostgresDatabase();
  const fake = await startFake();
  const services: Child[] = [];
  try {
    // One process first: it migrates the database and creates the user before the others start.
    services.push(await startService(created.url, fake.url));
    services.push(...(await Promise.all([startService(created.url, fake.url), startService(created.url, fake.url)])));
    const [a, b] = await Promise.all(services.slice(0, 2).map((s) => signedIn(s.url)));
    if (!a || !b) throw new Error('no service');
    const prompt = await a.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Cross-process bench', content: 'Summarize {{topic}} in one line.' });
    const body = { promptId: prompt.id, model: 'gpt-5.4', inputVariables: { topic: 'notifications' } };

    // A executes every run (it has a free slot, so it takes the run it inserts); it is streamed from A and from B in turn.
    const same: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < iterations + 5; i++) {
      for (const [reader, samples] of [[a, same], [b, other]] as const) {
        const started = performance.now();
        const run = await a.ok<TestRun>('POST', '/api/test-runs', body);
        const t = await firstDelta(reader.baseUrl, reader.cookie, run.id, started);
        if (i >= 5) samples.push(t); // the first five warm up
      }
    }

    for (let i = 0; i < CROSS_BATCH_RUNS / 10; i++) await a.ok('POST', `/api/prompts/${prompt.id}/cases`, { name: `case ${i}`, inputVariables: { topic: `topic ${i}` } });
    const runBatch = async (processes: number) => {
      // The processes that take part are those running: the three-process rounds come first, then
      // B and C are stopped for the one-process rounds.
      const started = performance.now();
      const batch = await a.ok<Batch>('POST', '/api/batches', { promptId: prompt.id, models: ['gpt-5.4'], repeats: 10 });
      let final: Batch | undefined;
      for await (const event of readEvents(`${a.baseUrl}/api/batches/${batch.id}/events`, a.cookie)) if (event.event === 'done') final = event.data as Batch;
      if (final?.status !== 'finished' || final.failed > 0) throw new Error(`bench batch on ${processes} processes ended ${final?.status} with ${final?.failed} failed`);
      return (performance.now() - started) / 1000;
    };
    const batchThree: number[] = [];
    await runBatch(3);
    for (let i = 0; i < rounds; i++) batchThree.push(await runBatch(3));
    // Then with B and C gone, A alone.
    for (const s of services.slice(1)) await stop(s.child);
    const batchOne: number[] = [];
    await runBatch(1);
    for (let i = 0; i < rounds; i++) batchOne.push(await runBatch(1));
    return { iterations, sameProcess: summarize(same), otherProcess: summarize(other), batchOne, batchThree };
  } finally {
    for (const s of services) await stop(s.child);
    await stop(fake.child);
    await created.drop();
  }
}
