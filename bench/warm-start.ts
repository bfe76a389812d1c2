// A warm start of `npm start` (issue 13, P5): from spawning the service on an existing data folder
// of the embedded database to its first healthy answer of GET /api/health. The folder is made once
// (its first start creates the database and the account, and builds npm start's bundle if the
// sources changed since it was last built); every round starts on it again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summarize, type Summary } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');

export interface WarmStartResult {
  /** `npm start`, as a user types it. */
  npmStart: Summary;
  /** `node scripts/start.mjs`, what `npm start` runs (the service's prebuilt bundle), without npm's own start-up. */
  node: Summary;
  /** `node --import tsx service/main.ts`, what `npm start` ran before: the sources through tsx's loader. */
  fromSources: Summary;
  firstStartMs: number;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Starts the command, waits for a 200 from /api/health, stops it (SIGTERM, waits for its exit). */
async function timeStart(command: string, args: string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PROMPTREFINE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PROMPTREFINE_EMAIL: 'bench@example.com',
      PROMPTREFINE_PASSWORD: 'correct horse battery staple',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the whole tree (npm, tsx and node) is stopped together.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    // Polled every 5 ms: a refused connection costs far less than that, so the poll barely loads the start.
    for (;;) {
      if (gone) throw new Error(`the service exited before it was healthy:\n${output}`);
      if (performance.now() - started > 60_000) throw new Error(`no healthy answer within 60 s:\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.ok) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    if (!gone && child.pid) process.kill(-child.pid, 'SIGTERM');
    await exited;
    // The data folder's lock is released by the exiting service; wait until it is really gone.
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function measureWarmStart(rounds: number): Promise<WarmStartResult> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'promptrefine-bench-start-')), 'data');
  try {
    const commands: [string, string[]][] = [
      ['npm', ['start', '--silent']],
      [process.execPath, ['scripts/start.mjs']],
      [process.execPath, ['--import', 'tsx', 'service/main.ts']],
    ];
    const firstStartMs = await timeStart('npm', ['start', '--silent'], dataDir);
    // One untimed warm start of each, so the OS file cache and tsx's transform cache are warm (the
    // first one also made sure npm start's bundle is built: a warm start has nothing to build).
    for (const [command, args] of commands) await timeStart(command, args, dataDir);
    const samples: number[][] = commands.map(() => []);
    for (let i = 0; i < rounds; i++) {
      for (const [at, [command, args]] of commands.entries()) samples[at]?.push(await timeStart(command, args, dataDir));
    }
    const [npmStart, node, fromSources] = samples.map((s) => summarize(s)) as [Summary, Summary, Summary];
    return { npmStart, node, fromSources, firstStartMs };
  } finally {
    rmSync(resolve(dataDir, '..'), { recursive: true, force: true });
  }
}

type Say = (line?: string) => void;
const AIM_MS = 1500;
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

/** The section of docs/benchmarks.md: `npm run bench -- --only start`. */
export async function startSection(say: Say): Promise<void> {
  const loadBefore = loadavg()[0] ?? NaN;
  const rounds = Number(process.env.BENCH_START_ROUNDS ?? (process.env.BENCH_SMOKE ? 2 : 10));
  const r = await measureWarmStart(rounds);
  say(`## Warm start of \`npm start\`: at most ${seconds(AIM_MS)} to a healthy \`/api/health\``);
  say();
  say(`Measured on ${new Date().toISOString().slice(0, 10)}: from spawning the command to the first 200 of \`GET /api/health\` (polled every 5 ms), on the embedded database in a data folder`);
  say(`made once by a first start (${seconds(r.firstStartMs)}, not part of the figures; it also builds \`npm start\`'s bundle when the sources changed since the last build), with the account already there. ${rounds} rounds, the three commands alternating, after one untimed start of each. ${machineLoad(loadBefore)}`);
  say();
  say('| command | starts | median | slowest |');
  say('| --- | ---: | ---: | ---: |');
  say(`| \`npm start\` | ${r.npmStart.n} | ${seconds(r.npmStart.median)} | ${seconds(r.npmStart.p99)} |`);
  say(`| \`node scripts/start.mjs\` (what \`npm start\` runs, without npm: the service's prebuilt bundle, \`dist/start/main.mjs\`) | ${r.node.n} | ${seconds(r.node.median)} | ${seconds(r.node.p99)} |`);
  say(`| \`node --import tsx service/main.ts\` (what \`npm start\` ran before: the sources through tsx's loader) | ${r.fromSources.n} | ${seconds(r.fromSources.median)} | ${seconds(r.fromSources.p99)} |`);
  say();
  say(`The aim, at the median of \`npm start\`: ${r.npmStart.median <= AIM_MS ? 'met' : 'missed'} (${seconds(r.npmStart.median)} against ${seconds(AIM_MS)}).`);
  say();
}

/** The machine's 1-minute load average before and after, against its cores: other work skews the tails. */
function machineLoad(before: number): string {
  return `Load average (1 min) ${before.toFixed(1)} before and ${(loadavg()[0] ?? NaN).toFixed(1)} after, on ${cpus().length} cores.`;
}
