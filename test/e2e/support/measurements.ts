// Figures the e2e measures in the real workbench (how long the local service takes to be ready as
// the user sees it), kept in .test-artifacts/measurements.json for `npm run bench` to report in
// docs/benchmarks.md with the date and machine they were taken on. Never asserted on: a loaded
// machine makes them slower, not wrong.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { REPO } from './lifecycle.ts';

export const MEASUREMENTS_FILE = join(REPO, '.test-artifacts', 'measurements.json');

export interface Measurement {
  value: number;
  what: string;
  measuredAt: string;
  machine: string;
}

export function recordMeasurement(name: string, value: number, what: string): void {
  let all: Record<string, Measurement> = {};
  try {
    all = JSON.parse(readFileSync(MEASUREMENTS_FILE, 'utf8')) as Record<string, Measurement>;
  } catch {
    // first figure
  }
  all[name] = { value, what, measuredAt: new Date().toISOString(), machine: `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}` };
  mkdirSync(join(REPO, '.test-artifacts'), { recursive: true });
  writeFileSync(MEASUREMENTS_FILE, `${JSON.stringify(all, null, 2)}\n`);
}
