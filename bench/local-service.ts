// The extension's own local service: how long LocalService.start() takes until the service answers
// and proves itself, on an empty data folder (the first run creates the database) and on a warm one
// (stopped, then started again), with the real bundle the .vsix carries. Also the .vsix's size, and
// the figures the local-service e2e measured in a real workbench, when a run of it left them.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isAlive } from '../extension/local-service/lock-file.ts';
import { LocalService } from '../extension/local-service/local-service.ts';
import { buildServiceBundle } from '../scripts/build/service-bundle.mjs';
import { summarize, type Summary } from './stats.ts';

export interface LocalServiceFigures {
  firstRun: Summary;
  warm: Summary;
  rounds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stop(service: LocalService): Promise<void> {
  const state = service.current;
  service.dispose();
  if (state.kind !== 'running') return;
  process.kill(state.pid, 'SIGTERM');
  while (isAlive(state.pid)) await sleep(50);
}

/** `rounds` fresh folders: one first start and `warmPerRound` warm starts in each. */
export async function measureLocalService(rounds: number, warmPerRound = 3): Promise<LocalServiceFigures> {
  const entry = resolve(await buildServiceBundle());
  const firstRun: number[] = [];
  const warm: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const root = mkdtempSync(join(tmpdir(), 'promptrefine-bench-local-'));
    const make = () =>
      new LocalService({ entry, dataDir: join(root, 'service'), nodePath: process.execPath, env: async () => ({}), idleExitSeconds: 600, startTimeoutMs: 120_000 });
    try {
      for (let i = 0; i <= warmPerRound; i++) {
        const service = make();
        const started = performance.now();
        await service.start();
        (i === 0 ? firstRun : warm).push(performance.now() - started);
        await stop(service);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return { firstRun: summarize(firstRun), warm: summarize(warm), rounds };
}

/** The packaged .vsix's size in bytes, when `npm run package` has made one. */
export function vsixBytes(): number | undefined {
  const path = resolve(import.meta.dirname, '..', 'dist', 'promptrefine.vsix');
  return existsSync(path) ? statSync(path).size : undefined;
}

export interface E2eMeasurement {
  value: number;
  what: string;
  measuredAt: string;
  machine: string;
}

/** What the last run of the local-service e2e measured (test/e2e/support/measurements.ts writes it). */
export function e2eMeasurements(): Record<string, E2eMeasurement> {
  try {
    return JSON.parse(readFileSync(resolve(import.meta.dirname, '..', '.test-artifacts', 'measurements.json'), 'utf8')) as Record<string, E2eMeasurement>;
  } catch {
    return {};
  }
}
