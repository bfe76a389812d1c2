// `npm start` runs the service from its prebuilt bundle (scripts/start.mjs): built first when a
// source changed, and saying so; a warm start builds nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStartBundle, START_BUNDLE } from '../../scripts/build/start-bundle.mjs';

interface Started {
  url: string;
  stderr: string;
}

/** `node scripts/start.mjs` (what `npm start` runs) until it prints its URL; then it is stopped. */
async function startAndStop(dataDir: string, check: (url: string) => Promise<void>): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      PROMPTREFINE_DATA_DIR: dataDir,
      PROMPTREFINE_EMAIL: 'owner@example.com',
      PROMPTREFINE_PASSWORD: 'a long enough password',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /PromptRefine listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1] as string);
      });
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening: ${stderr}`)));
    });
    await check(url);
    return { url, stderr };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function healthy(url: string): Promise<void> {
  const res = await fetch(`${url}/api/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(((await res.json()) as { data: unknown }).data, { status: 'ok', database: 'embedded' });
}

describe('npm start', function () {
  // The first start creates an embedded database in a new folder: 60-100 s on a busy machine.
  this.timeout(300_000);
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'promptrefine-npm-start-'));
    await buildStartBundle();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('builds the bundle again when a source file changed, says so, and serves from it', async () => {
    // A save of service/main.ts, as an editor makes it: a new modification time.
    const now = new Date();
    utimesSync('service/main.ts', now, now);
    const builtBefore = statSync(START_BUNDLE).mtimeMs;
    const { stderr } = await startAndStop(dataDir, healthy);
    assert.match(stderr, /building the service for npm start \(service\/main\.ts changed\)/);
    assert.ok(statSync(START_BUNDLE).mtimeMs > builtBefore, 'dist/start/main.mjs was written again');
  });

  it('builds nothing on a warm start', async () => {
    const builtBefore = statSync(START_BUNDLE).mtimeMs;
    const { stderr } = await startAndStop(dataDir, healthy);
    assert.doesNotMatch(stderr, /building/);
    assert.equal(statSync(START_BUNDLE).mtimeMs, builtBefore, 'dist/start/main.mjs was left as it was');
  });
});
