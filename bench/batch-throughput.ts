// How close a batch comes to the ideal: 200 runs against the fake OpenAI server at a fixed
// latency, through the service's queue at concurrency 8, timed from POST /api/batches to the
// `done` event of its stream (what a client waits for). The ideal is 200 / 8 × the latency: the
// queue never idle and nothing added per run. The fake server runs in a process of its own, as a
// model provider would: the figure is the service's cost, not the fake's.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, PromptWithVersion } from '../contract/index.ts';
import type { DatabaseHandle } from '../service/db/connect.ts';
import { readEvents } from '../service/testing/sse.ts';
import { startTestApp } from '../service/testing/test-app.ts';
import { onEachDatabase } from './each-database.ts';
import { startFakeProcess } from './fake-process.ts';

const KEY = 'sk-bench-key-000000';
export const BATCH_RUNS = 200;
export const BATCH_CONCURRENCY = 8;
export const BATCH_LATENCY_MS = 100;
const CASES = 20;
const REPEATS = BATCH_RUNS / CASES;

export interface BatchResult {
  database: string;
  seconds: number[];
  idealSeconds: number;
}

async function measureOn(handle: DatabaseHandle, label: string, rounds: number): Promise<BatchResult> {
  const fake = await startFakeProcess(BATCH_LATENCY_MS, KEY);
  const app = await startTestApp(
    { kind: handle.kind, handle, url: undefined, reset: async () => {} },
    { validateResponses: false },
    // The service's own defaults for polling and progress saves (the test settings save far more often).
    { apiKey: KEY, baseUrl: fake.url, concurrency: BATCH_CONCURRENCY, pollMs: 1000, progressFlushMs: 1000 },
  );
  try {
    const api = await app.signedIn();
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Bench batch', content: 'Summarize {{topic}} in one line.' });
    for (let i = 0; i < CASES; i++) {
      await api.ok('POST', `/api/prompts/${prompt.id}/cases`, {
        name: `case ${i}`,
        inputVariables: { topic: `topic ${i}` },
        expectations: [{ kind: 'contains', value: `topic ${i}` }, { kind: 'regex', value: '/^echo: summarize/i' }, { kind: 'maxLatencyMs', value: 10_000 }],
      });
    }
    const runBatch = async (repeats: number) => {
      const started = performance.now();
      const batch = await api.ok<Batch>('POST', '/api/batches', { promptId: prompt.id, models: ['gpt-5.4'], repeats });
      let final: Batch | undefined;
      for await (const event of readEvents(`${app.url}/api/batches/${batch.id}/events`, api.cookie)) {
        if (event.event === 'done') final = event.data as Batch;
      }
      const seconds = (performance.now() - started) / 1000;
      if (final?.status !== 'finished' || final.failed > 0) throw new Error(`bench batch ended ${final?.status} with ${final?.failed} failed`);
      return seconds;
    };
    await runBatch(1); // warm up connections, JIT and the database's caches
    const seconds: number[] = [];
    for (let i = 0; i < rounds; i++) seconds.push(await runBatch(REPEATS));
    return { database: label, seconds, idealSeconds: (BATCH_RUNS / BATCH_CONCURRENCY) * (BATCH_LATENCY_MS / 1000) };
  } finally {
    await app.close();
    await fake.stop();
  }
}

export async function measureBatchThroughput(rounds: number): Promise<BatchResult[]> {
  return onEachDatabase((handle, label) => measureOn(handle, label, rounds));
}

/** The same 200 tests (20 cases × 10 repeats, the same three checks) as a promptfoo config. */
function promptfooConfig(baseUrl: string): string {
  const tests = Array.from({ length: CASES }, (_, i) =>
    [
      `  - vars:`,
      `      topic: topic ${i}`,
      `    assert:`,
      `      - type: contains`,
      `        value: topic ${i}`,
      `      - type: regex`,
      `        value: '^Echo: Summarize'`,
      `      - type: latency`,
      `        threshold: 10000`,
    ].join('\n'),
  );
  return [
    'prompts:',
    "  - 'Summarize {{topic}} in one line.'",
    'providers:',
    '  - id: openai:chat:gpt-5.4',
    '    config:',
    `      apiBaseUrl: ${baseUrl}`,
    `      apiKey: ${KEY}`,
    'tests:',
    ...tests,
    '',
  ].join('\n');
}

/**
 * `promptfoo eval -j 8 --repeat 10` over the same tests against the same fake server, timed from
 * the command's start to its exit (what its user waits for, as the service's figure is). Without
 * its cache, without writing its results database, telemetry and update checks off.
 */
export async function measurePromptfoo(bin: string, rounds: number): Promise<number[]> {
  const fake = await startFakeProcess(BATCH_LATENCY_MS, KEY);
  const dir = mkdtempSync(join(tmpdir(), 'promptrefine-bench-promptfoo-'));
  try {
    writeFileSync(join(dir, 'promptfooconfig.yaml'), promptfooConfig(fake.url));
    const once = () =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const child = spawn(bin, ['eval', '-c', 'promptfooconfig.yaml', '-j', String(BATCH_CONCURRENCY), '--repeat', String(REPEATS), '--no-cache', '--no-write', '--no-progress-bar', '--no-table'], {
          cwd: dir,
          env: { ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_CONFIG_DIR: join(dir, 'home') },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout?.on('data', (chunk) => (out += String(chunk)));
        child.stderr?.on('data', (chunk) => (out += String(chunk)));
        child.once('exit', (code) => {
          const seconds = (performance.now() - started) / 1000;
          if (code === 0 && out.includes(`${BATCH_RUNS} passed`)) resolve(seconds);
          else reject(new Error(`promptfoo exited ${code}: ${out.slice(-2000)}`));
        });
      });
    await once(); // warm up the file cache, as the service's warm-up batch does
    const seconds: number[] = [];
    for (let i = 0; i < rounds; i++) seconds.push(await once());
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fake.stop();
  }
}
