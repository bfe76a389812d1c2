// What the service adds to a model call: POST /api/test-runs?wait=true against the fake OpenAI
// server with a fixed latency, versus the same call made directly with the SDK; and the time to
// the first streamed delta through the service's SSE versus directly.
import OpenAI from 'openai';
import type { PromptWithVersion, TestRun } from '../contract/index.ts';
import type { DatabaseHandle } from '../service/db/connect.ts';
import { parseServerTiming } from '../service/runs/run-timing.ts';
import { readEvents } from '../service/testing/sse.ts';
import { startTestApp } from '../service/testing/test-app.ts';
import { startDurableFloor } from './durable-floor.ts';
import { onEachDatabase } from './each-database.ts';
import { startFakeProcess } from './fake-process.ts';
import { summarize, type Summary } from './stats.ts';

const KEY = 'sk-bench-key-000000';
/** The fake model's latencies the overhead is measured at (issue 13, P1). */
export const MODEL_LATENCIES_MS = [20, 100] as const;

export interface OverheadResult {
  database: string;
  latencyMs: number;
  iterations: number;
  waitDirect: Summary;
  waitService: Summary;
  firstDeltaDirect: Summary;
  firstDeltaService: Summary;
  /** Where a `?wait=true` request spent its time, from the service's Server-Timing (medians of each part). */
  waitParts: WaitParts;
  /** The same durable round trip through a bare HTTP server (durable-floor.ts), each after a direct call of its own. */
  floorDirect: Summary;
  floor: Summary;
  /** One durable insert of the floor's, back to back and after the model's latency without a statement. */
  insertBackToBack: Summary;
  insertAfterIdle: Summary;
  /**
   * CPU time of the bench's process (service, client and, embedded, the database) per request, at
   * the median: a direct call, the floor's request and the service's. Set against the time the
   * service adds beyond the floor, it says how much of that time is work here rather than waiting.
   */
  cpuMs: { direct: number; floor: number; service: number };
}

/** CPU milliseconds (user and system) this process has used. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The parts of a service request, each a median over the requests: the four the service reports,
 * its model call set against the direct call of the same iteration, and what is left (the
 * request's way in and the answer's way out: HTTP, Express before the first middleware, the client).
 */
export interface WaitParts {
  accept: number;
  insert: number;
  modelOverDirect: number;
  result: number;
  rest: number;
}

async function measureOn(handle: DatabaseHandle, label: string, iterations: number, latencyMs: number): Promise<OverheadResult> {
  // In a process of its own, as a provider is, and as the promptfoo comparison has it.
  const fake = await startFakeProcess(latencyMs, KEY);
  // As in production: answers are not re-validated against their schemas, and a run's output is
  // saved every second while it streams (the tests' tenth of a second would add a write to each
  // run at 100 ms).
  const app = await startTestApp(
    { kind: handle.kind, handle, url: undefined, reset: async () => {} },
    { validateResponses: false },
    { apiKey: KEY, baseUrl: fake.url, pollMs: 1000, progressFlushMs: 1000 },
  );
  const client = new OpenAI({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
  const floor = await startDurableFloor(handle, fake.url, KEY);
  try {
    const api = await app.signedIn();
    const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Bench', content: 'Summarize {{topic}} in one line.' });
    const body = { promptId: prompt.id, model: 'gpt-5.4', inputVariables: { topic: 'keyset pagination' } };
    const direct = async () => {
      const stream = await client.responses.create({ model: 'gpt-5.4', input: 'Summarize keyset pagination in one line.', stream: true, store: false });
      for await (const _event of stream) {
        // drain, as the service does
      }
    };
    const waitDirect: number[] = [];
    const waitService: number[] = [];
    const firstDirect: number[] = [];
    const firstService: number[] = [];
    const parts: Record<keyof WaitParts, number[]> = { accept: [], insert: [], modelOverDirect: [], result: [], rest: [] };
    const floorDirect: number[] = [];
    const floorWait: number[] = [];
    const cpu = { direct: [] as number[], floor: [] as number[], service: [] as number[] };
    // Warm up connections, JIT and the database's caches before measuring.
    for (let i = 0; i < 10; i++) {
      await direct();
      await api.ok('POST', '/api/test-runs?wait=true', body);
      await floor.call();
    }
    // Interleaved, so drift on a noisy machine hits both sides alike.
    for (let i = 0; i < iterations; i++) {
      let t = performance.now();
      let c = cpuNow();
      await direct();
      waitDirect.push(performance.now() - t);
      cpu.direct.push(cpuNow() - c);

      t = performance.now();
      c = cpuNow();
      const answer = await api.post<TestRun>('/api/test-runs?wait=true', body);
      const took = performance.now() - t;
      cpu.service.push(cpuNow() - c);
      waitService.push(took);
      const run = answer.body.data;
      if (run?.status !== 'succeeded') throw new Error(`bench run ${answer.status}: ${answer.text}`);
      const timing = parseServerTiming(answer.headers.get('server-timing'));
      const { accept = NaN, insert = NaN, model = NaN, result = NaN } = timing;
      parts.accept.push(accept);
      parts.insert.push(insert);
      parts.modelOverDirect.push(model - (waitDirect.at(-1) as number));
      parts.result.push(result);
      parts.rest.push(took - accept - insert - model - result);

      // The floor follows a direct call too, so its first statement comes after the same idle.
      t = performance.now();
      await direct();
      floorDirect.push(performance.now() - t);
      t = performance.now();
      c = cpuNow();
      await floor.call();
      floorWait.push(performance.now() - t);
      cpu.floor.push(cpuNow() - c);

      t = performance.now();
      const stream = await client.responses.create({ model: 'gpt-5.4', input: 'Summarize keyset pagination in one line.', stream: true, store: false });
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') {
          firstDirect.push(performance.now() - t);
          break;
        }
      }

      t = performance.now();
      const queued = await api.ok<TestRun>('POST', '/api/test-runs', body);
      let first = true;
      for await (const event of readEvents(`${app.url}/api/test-runs/${queued.id}/events`, api.cookie)) {
        if (event.event === 'delta' && first) {
          firstService.push(performance.now() - t);
          first = false;
        }
        if (event.event === 'done') break;
      }
    }
    // After the loop, so its statements do not warm the database for the requests measured above.
    const insertBackToBack = summarize(await floor.insertTimes(0, 100));
    const insertAfterIdle = summarize(await floor.insertTimes(latencyMs, 100));
    return {
      database: label,
      latencyMs,
      iterations,
      waitDirect: summarize(waitDirect),
      waitService: summarize(waitService),
      firstDeltaDirect: summarize(firstDirect),
      firstDeltaService: summarize(firstService),
      waitParts: Object.fromEntries(Object.entries(parts).map(([k, xs]) => [k, summarize(xs).median])) as unknown as WaitParts,
      floorDirect: summarize(floorDirect),
      floor: summarize(floorWait),
      insertBackToBack,
      insertAfterIdle,
      cpuMs: { direct: summarize(cpu.direct).median, floor: summarize(cpu.floor).median, service: summarize(cpu.service).median },
    };
  } finally {
    await floor.close();
    await app.close();
    await fake.stop();
  }
}

export async function measureRunOverhead(iterations: number): Promise<OverheadResult[]> {
  const perDatabase = await onEachDatabase(async (handle, label) => {
    const results: OverheadResult[] = [];
    for (const latency of MODEL_LATENCIES_MS) results.push(await measureOn(handle, label, iterations, latency));
    return results;
  });
  return perDatabase.flat();
}
