// The peer for the per-run overhead aim (issue 13, P4): promptfoo, installed on request into a
// cache folder outside node_modules, and what it adds to each model call on the same fake server
// at the same latencies as bench/run-overhead.ts.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { installedPromptfooVersion, parsePromptfooOutput, perRunOverheadMs, promptfooBin, promptfooCacheDir, PROMPTFOO_VERSION, type PromptfooReport } from '../scripts/bench/promptfoo-peer.ts';
import { startFakeProcess } from './fake-process.ts';
import { summarize, type Summary } from './stats.ts';

const KEY = 'sk-bench-key-000000';
const MODEL = 'gpt-5.4';
/** The latencies of the overhead aim (P1): 20 ms and 100 ms. */
export const PEER_LATENCIES_MS = [20, 100] as const;
const TESTS = Number(process.env.BENCH_PEER_TESTS ?? 101);
// Nine rounds: on a shared two-core machine one round in a few is hit by another process's burst.
const ROUNDS = Number(process.env.BENCH_PEER_ROUNDS ?? 9);
const DIRECT_CALLS_PER_ROUND = 30;

export interface Peer {
  bin: string;
  version: string;
  /** How it was found, for the bench's output. */
  source: string;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (chunk) => (out += String(chunk)));
    child.stderr?.on('data', (chunk) => (out += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/**
 * promptfoo to compare against: PROMPTFOO_BIN when set (an override, with PROMPTFOO_VERSION), else
 * the pinned version in the cache folder, installed there first when it is missing or another
 * version. Progress goes to stderr, so it stays out of docs/benchmarks.md.
 */
export async function ensurePromptfoo(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<Peer> {
  const override = process.env.PROMPTFOO_BIN;
  if (override) return { bin: override, version: process.env.PROMPTFOO_VERSION ?? 'from PROMPTFOO_BIN', source: `PROMPTFOO_BIN=${override}` };
  const dir = promptfooCacheDir(process.env, homedir());
  const found = installedPromptfooVersion(dir);
  if (found === PROMPTFOO_VERSION) {
    log(`promptfoo ${PROMPTFOO_VERSION}: already installed in ${dir}`);
    return { bin: promptfooBin(dir), version: PROMPTFOO_VERSION, source: dir };
  }
  log(
    `promptfoo ${PROMPTFOO_VERSION}: ${found ? `found ${found} in ${dir}, replacing it` : `not in ${dir}`}; installing it there ` +
      `(npm install --prefix ${dir} --no-audit --no-fund --save-exact promptfoo@${PROMPTFOO_VERSION}: about 700 packages, a few minutes, not a project dependency)…`,
  );
  mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = await run(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--save-exact', `promptfoo@${PROMPTFOO_VERSION}`]);
  const installed = installedPromptfooVersion(dir);
  if (result.code !== 0 || installed !== PROMPTFOO_VERSION) {
    throw new Error(`installing promptfoo ${PROMPTFOO_VERSION} into ${dir} failed (npm exited ${result.code}, found ${installed ?? 'nothing'}): ${result.out.slice(-2000)}`);
  }
  log(`promptfoo ${PROMPTFOO_VERSION}: installed in ${dir}`);
  return { bin: promptfooBin(dir), version: PROMPTFOO_VERSION, source: dir };
}

export interface PeerOverhead {
  latencyMs: number;
  tests: number;
  rounds: number;
  /** The same Chat Completions request promptfoo makes, sent directly with the SDK, from this process. */
  directCall: Summary;
  /** promptfoo's wall time for one test (start-up, config, one call, output, exit): median over rounds. */
  oneTestMs: number;
  /** What promptfoo adds per run: the median of `perRunMs`. Ours must be under half of it. */
  addedMs: number;
  /** (D_N − D_1)/(N − 1) − the direct call's median, each round, D being promptfoo's own eval duration. */
  perRunMs: number[];
  /** The same from wall times, the command's start to its exit, which carry the noise of two process starts. */
  perRunByWallClockMs: number[];
  /** promptfoo's per-test `latencyMs` (around its provider call only), over the long evals. */
  reportedLatency: Summary;
}

function promptfooConfig(baseUrl: string, tests: number): string {
  return [
    'prompts:',
    "  - 'Summarize {{topic}} in one line.'",
    'providers:',
    `  - id: openai:chat:${MODEL}`,
    '    config:',
    `      apiBaseUrl: ${baseUrl}`,
    `      apiKey: ${KEY}`,
    'tests:',
    ...Array.from({ length: tests }, (_, i) => `  - vars:\n      topic: topic ${i}`),
    '',
  ].join('\n');
}

/**
 * promptfoo's per-run overhead at one model latency. Two evals at `-j 1` (one run at a time, as a
 * run through the service is measured): N tests and 1 test, each timed by promptfoo's own eval
 * duration (a Date.now() span from the start of its evaluation to its finalization, so every
 * test's whole cost, prompt rendering, call, assertions and recording, and not the process's
 * start and exit) and from the command's start to its exit as a check. The difference divided by
 * N − 1 is what each further test costs, start-up and fixed costs cancelled out. Less the model call made directly (the same request, same fake, same latency),
 * that is what promptfoo adds per run. Without its cache (every test calls the model) and without
 * writing its results database (which would only add to its figure). Rounds interleave the two
 * evals and batches of direct calls, so drift on a shared machine hits all three alike.
 */
export async function measurePromptfooOverhead(peer: Peer, latencyMs: number): Promise<PeerOverhead> {
  const fake = await startFakeProcess(latencyMs, KEY);
  const dir = mkdtempSync(join(tmpdir(), 'promptrefine-bench-peer-'));
  const client = new OpenAI({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
  try {
    writeFileSync(join(dir, 'one.yaml'), promptfooConfig(fake.url, 1));
    writeFileSync(join(dir, 'many.yaml'), promptfooConfig(fake.url, TESTS));
    const evalOnce = async (config: string, tests: number): Promise<{ ms: number; report: PromptfooReport }> => {
      const output = join(dir, `${config}.out.json`);
      const started = performance.now();
      const result = await run(peer.bin, ['eval', '-c', `${config}.yaml`, '-j', '1', '--no-cache', '--no-write', '--no-progress-bar', '--no-table', '-o', output], {
        cwd: dir,
        env: { ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_CONFIG_DIR: join(dir, 'home') },
      });
      const ms = performance.now() - started;
      if (result.code !== 0) throw new Error(`promptfoo exited ${result.code}: ${result.out.slice(-2000)}`);
      const report = parsePromptfooOutput(readFileSync(output, 'utf8'));
      if (report.passed !== tests) throw new Error(`promptfoo passed ${report.passed} of ${tests} tests: ${result.out.slice(-2000)}`);
      return { ms, report };
    };
    const direct: number[] = [];
    const directCalls = async (count: number, keep: boolean) => {
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: `Summarize topic ${i} in one line.` }] });
        if (keep) direct.push(performance.now() - t);
      }
    };
    // Warm up the file cache for promptfoo's modules, and the SDK's connection and JIT.
    await evalOnce('one', 1);
    await directCalls(10, false);
    const one: number[] = [];
    const many: number[] = [];
    const ownOne: number[] = [];
    const ownMany: number[] = [];
    const reported: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await directCalls(DIRECT_CALLS_PER_ROUND, true);
      const short = await evalOnce('one', 1);
      await directCalls(DIRECT_CALLS_PER_ROUND, true);
      const long = await evalOnce('many', TESTS);
      one.push(short.ms);
      ownOne.push(short.report.durationMs);
      many.push(long.ms);
      ownMany.push(long.report.durationMs);
      // The first test pays for the first connection; the others are the steady state.
      reported.push(...long.report.latenciesMs.slice(1));
      process.stderr.write(
        `promptfoo at ${latencyMs} ms, round ${round + 1}: ${TESTS} tests ${long.report.durationMs} ms (${long.ms.toFixed(0)} ms start to exit), ` +
          `1 test ${short.report.durationMs} ms (${short.ms.toFixed(0)} ms)\n`,
      );
    }
    await directCalls(DIRECT_CALLS_PER_ROUND, true);
    const directCall = summarize(direct);
    const perRunMs = ownMany.map((ms, i) => perRunOverheadMs({ ms, tests: TESTS }, { ms: ownOne[i] as number }, directCall.median));
    return {
      latencyMs,
      tests: TESTS,
      rounds: ROUNDS,
      directCall,
      oneTestMs: summarize(one).median,
      addedMs: summarize(perRunMs).median,
      perRunMs,
      perRunByWallClockMs: many.map((ms, i) => perRunOverheadMs({ ms, tests: TESTS }, { ms: one[i] as number }, directCall.median)),
      reportedLatency: summarize(reported),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fake.stop();
  }
}

/** promptfoo's per-run overhead at each latency of the overhead aim, for the `peer` section and the `overhead` one. */
export function measurePeerOverhead(peer: Peer): Promise<PeerOverhead[]> {
  // Once per bench run: the overhead section can set ours against it and the peer section print it.
  let measured = measuredFor.get(peer.bin);
  if (!measured) {
    measured = (async () => {
      const results: PeerOverhead[] = [];
      for (const latency of PEER_LATENCIES_MS) results.push(await measurePromptfooOverhead(peer, latency));
      return results;
    })();
    measuredFor.set(peer.bin, measured);
  }
  return measured;
}
const measuredFor = new Map<string, Promise<PeerOverhead[]>>();
