// The service as `npm start` runs it: restarts keep sessions, exposure without protection is
// refused, and one embedded database folder serves one process at a time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { DataDirBusyError } from '../db/data-dir-lock.ts';
import { startService, StartupError } from '../server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { silentLogger } from '../testing/test-app.ts';

const CREDENTIALS = { PROMPTREFINE_EMAIL: 'owner@example.com', PROMPTREFINE_PASSWORD: 'a long enough password' };

function configFor(env: Record<string, string>) {
  return loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
}

describe('service lifecycle', function () {
  // Every test here creates an embedded database in a fresh folder (and some start it twice):
  // creation alone took 60-100 s on the shared 2-core machine.
  this.timeout(300_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'promptrefine-test-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function keepsSessionAcrossRestart(env: Record<string, string>, expected: string) {
    const first = await startService(configFor(env), { logger: silentLogger() });
    const api = new ApiClient(first.url);
    let promptId: string;
    try {
      assert.deepEqual((await api.get('/api/health')).body.data, { status: 'ok', database: expected });
      await api.ok('POST', '/api/auth/signin', { email: CREDENTIALS.PROMPTREFINE_EMAIL, password: CREDENTIALS.PROMPTREFINE_PASSWORD });
      promptId = (await api.ok<{ id: string }>('POST', '/api/prompts', { title: 'Persisted', content: 'v1' })).id;
    } finally {
      await first.close();
    }
    const second = await startService(configFor(env), { logger: silentLogger() });
    try {
      const again = new ApiClient(second.url);
      again.cookie = api.cookie;
      const session = await again.get<{ user: { email: string } | null }>('/api/auth/session');
      assert.equal(session.body.data?.user?.email, CREDENTIALS.PROMPTREFINE_EMAIL, 'still signed in after the restart');
      const prompt = await again.ok<{ title: string; currentVersion: { content: string } }>('GET', `/api/prompts/${promptId}`);
      assert.equal(prompt.currentVersion.content, 'v1');
    } finally {
      await second.close();
    }
  }

  it('keeps data and signed-in sessions across a restart on the embedded database', async () => {
    await keepsSessionAcrossRestart({ PROMPTREFINE_DATA_DIR: dataDir, ...CREDENTIALS }, 'embedded');
  });

  it('keeps data and signed-in sessions across a restart on PostgreSQL', async () => {
    const created = await createPostgresDatabase();
    try {
      await keepsSessionAcrossRestart({ DATABASE_URL: created.url, ...CREDENTIALS }, 'postgres');
    } finally {
      await created.drop();
    }
  });

  it('refuses a second process on the same embedded database folder', async () => {
    const first = await startService(configFor({ PROMPTREFINE_DATA_DIR: dataDir }), { logger: silentLogger() });
    try {
      await assert.rejects(startService(configFor({ PROMPTREFINE_DATA_DIR: dataDir }), { logger: silentLogger() }), DataDirBusyError);
    } finally {
      await first.close();
    }
    const third = await startService(configFor({ PROMPTREFINE_DATA_DIR: dataDir }), { logger: silentLogger() });
    await third.close();
  });

  it('refuses to listen beyond loopback without SESSION_SECRET and a user, saying what to set', async () => {
    await assert.rejects(
      startService(configFor({ HOST: '0.0.0.0', PROMPTREFINE_DATA_DIR: dataDir }), { logger: silentLogger() }),
      (error: Error) => {
        assert.ok(error instanceof StartupError);
        assert.match(error.message, /SESSION_SECRET/);
        assert.match(error.message, /PROMPTREFINE_EMAIL/);
        return true;
      },
    );
    await assert.rejects(
      startService(configFor({ HOST: '0.0.0.0', PROMPTREFINE_DATA_DIR: dataDir, ...CREDENTIALS }), { logger: silentLogger() }),
      /SESSION_SECRET/,
    );
    const exposed = await startService(
      configFor({ HOST: '0.0.0.0', PROMPTREFINE_DATA_DIR: dataDir, SESSION_SECRET: 'x0123456789abcdefghijklmnopqrstuvwxyz', ...CREDENTIALS }),
      { logger: silentLogger() },
    );
    await exposed.close();
  });

  it('logs each request with its id, echoes it in X-Request-Id, and never logs secrets', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const service = await startService(configFor({ PROMPTREFINE_DATA_DIR: dataDir, ...CREDENTIALS, OPENAI_API_KEY: 'sk-test-never-log-me' }), {
      logger: pino({ level: 'info' }, sink),
    });
    try {
      const api = new ApiClient(service.url);
      await api.ok('POST', '/api/auth/signin', { email: CREDENTIALS.PROMPTREFINE_EMAIL, password: CREDENTIALS.PROMPTREFINE_PASSWORD });
      const given = await api.get('/api/prompts', { headers: { 'x-request-id': 'trace-123' } });
      assert.equal(given.headers.get('x-request-id'), 'trace-123');
      const generated = await api.get('/api/health');
      const id = generated.headers.get('x-request-id');
      assert.match(id ?? '', /^[0-9a-f-]{36}$/);
      const log = lines.join('');
      assert.ok(log.includes('"id":"trace-123"'), 'the given id is in the log');
      assert.ok(log.includes(`"id":"${id}"`), 'the generated id is in the log');
      for (const secret of [CREDENTIALS.PROMPTREFINE_PASSWORD, 'sk-test-never-log-me', api.cookie?.split('=')[1] ?? 'missing-cookie']) {
        assert.ok(!log.includes(secret), `the log must not contain ${secret}`);
      }
    } finally {
      await service.close();
    }
  });

  it('sets the password from the command line, signing out every session', async function () {
    const env = { ...process.env, PROMPTREFINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const run = (args: string[], input: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile('npx', ['tsx', 'service/cli/set-password.ts', ...args], { env, cwd: process.cwd() }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin?.end(input);
      });
    const created = await run(['--email', 'cli@example.com'], 'first password\n');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created the user cli@example.com/);
    const tooShort = await run(['--email', 'cli@example.com'], 'elevenchars\n');
    assert.notEqual(tooShort.code, 0);
    assert.match(tooShort.stderr, /at least 12 characters/);

    const service = await startService(configFor({ PROMPTREFINE_DATA_DIR: dataDir }), { logger: silentLogger() });
    const api = new ApiClient(service.url);
    try {
      await api.ok('POST', '/api/auth/signin', { email: 'cli@example.com', password: 'first password' });
      const busy = await run(['--email', 'cli@example.com'], 'second password\n');
      assert.notEqual(busy.code, 0);
      assert.match(busy.stderr, /in use by process/);
    } finally {
      await service.close();
    }
    const changed = await run(['--email', 'cli@example.com'], 'second password\n');
    assert.match(changed.stdout, /Updated the user/);
    const restarted = await startService(configFor({ PROMPTREFINE_DATA_DIR: dataDir }), { logger: silentLogger() });
    try {
      const again = new ApiClient(restarted.url);
      again.cookie = api.cookie;
      assert.equal((await again.get('/api/prompts')).status, 401, 'old sessions are signed out');
      assert.equal((await again.post('/api/auth/signin', { email: 'cli@example.com', password: 'first password' })).status, 401);
      assert.equal((await again.post('/api/auth/signin', { email: 'cli@example.com', password: 'second password' })).status, 200);
    } finally {
      await restarted.close();
    }
  });
});
