// The real service as a separate process (`service/main.ts`), for tests that kill or signal it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../testing/api-client.ts';
import { createPostgresDatabase } from './databases.ts';

export interface ServiceProcess {
  process: ChildProcess;
  url: string;
  /** Everything it wrote so far: its log (at LOG_LEVEL) on stdout, and stderr. */
  output(): string;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
}

export function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /PromptRefine listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve({ process: child, url: match[1] as string, output: () => stdout + stderr, exited });
    });
    child.on('exit', (code) => reject(new Error(`the service exited (${code}) before listening: ${stderr}`)));
  });
}

/** Sends the signal and waits for the process to exit (at once if it already has). */
export function kill(child: ServiceProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill(signal);
  });
}

/** Reads until `done` holds; gives up (throws) after a generous bound so a broken test cannot hang. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface ProcessDatabase {
  /** What points a service process at it: PROMPTREFINE_DATA_DIR or DATABASE_URL. */
  env: Record<string, string>;
  /** Where it is, to open it directly after the process has gone. */
  open: { dataDir: string } | { databaseUrl: string };
  drop(): Promise<void>;
}

/** A new database for service processes: an embedded data folder, or a database on the test PostgreSQL. */
export async function processDatabase(kind: 'embedded' | 'postgres', label: string): Promise<ProcessDatabase> {
  if (kind === 'embedded') {
    const dataDir = mkdtempSync(join(tmpdir(), `promptrefine-${label}-`));
    return { env: { PROMPTREFINE_DATA_DIR: dataDir }, open: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const created = await createPostgresDatabase();
  return { env: { DATABASE_URL: created.url }, open: { databaseUrl: created.url }, drop: created.drop };
}

/** A client signed in to a service process as the user its environment made (PROMPTREFINE_EMAIL/PASSWORD). */
export async function signedInClient(child: ServiceProcess, credentials: { PROMPTREFINE_EMAIL: string; PROMPTREFINE_PASSWORD: string }): Promise<ApiClient> {
  const api = new ApiClient(child.url);
  await api.ok('POST', '/api/auth/signin', { email: credentials.PROMPTREFINE_EMAIL, password: credentials.PROMPTREFINE_PASSWORD });
  return api;
}
