// The extension's own local service, driven against the real service bundle (dist/service/main.mjs,
// built here as `npm run build` builds it) in real processes: first start, a second window sharing
// it, a crash restarted, an impostor on the recorded port, bad folders and locks, a database from
// a newer version, and stopping once no window calls it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { isAlive, lockPath, readLock } from '../local-service/lock-file.ts';
import { LocalService, LocalServiceError, type LocalServiceOptions, type LocalServiceState } from '../local-service/local-service.ts';
import { buildServiceBundle } from '../../scripts/build/service-bundle.mjs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await sleep(100);
  }
}

describe('local service (the extension starts its own)', function () {
  // Each test starts real service processes; the first start in a folder creates the database.
  this.timeout(300_000);
  let entry: string;
  let root: string;
  const services: LocalService[] = [];
  const pids = new Set<number>();

  before(async function () {
    entry = resolve(await buildServiceBundle());
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'promptrefine-local-'));
  });
  afterEach(async () => {
    for (const s of services.splice(0)) s.dispose();
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    pids.clear();
    rmSync(root, { recursive: true, force: true });
  });

  function localService(overrides: Partial<LocalServiceOptions> = {}, states: LocalServiceState[] = []): LocalService {
    const service = new LocalService({
      entry,
      dataDir: join(root, 'service'),
      nodePath: process.execPath,
      env: async () => ({ OPENAI_API_KEY: 'sk-test-local-0123456789', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }),
      idleExitSeconds: 600,
      keepAliveMs: 200,
      backoff: { baseMs: 100, maxMs: 1_000 },
      onState: (state) => {
        states.push(state);
        if (state.kind === 'running') pids.add(state.pid);
      },
      ...overrides,
    });
    services.push(service);
    return service;
  }

  const health = async (url: string) => (await fetch(`${url}/api/health`)).json() as Promise<{ data: { status: string; database: string } }>;

  it('starts the service in an empty folder, private to the user, with a setup token for the first account', async () => {
    const states: LocalServiceState[] = [];
    const url = await localService({}, states).start();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual((await health(url)).data, { status: 'ok', database: 'embedded' });
    assert.deepEqual(states[0], { kind: 'starting', firstRun: true });
    assert.equal(states.at(-1)?.kind, 'running');
    const dataDir = join(root, 'service');
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(statSync(lockPath(dataDir)).mode & 0o777, 0o600);
    assert.ok(existsSync(join(dataDir, 'setup-token')));
    const session = (await (await fetch(`${url}/api/auth/session`)).json()) as { data: { setupRequired: boolean } };
    assert.equal(session.data.setupRequired, true);
  });

  it('is shared: a second window finds the running service and starts no other', async () => {
    const first = await localService().start();
    const secondStates: LocalServiceState[] = [];
    const second = await localService({}, secondStates).start();
    assert.equal(second, first);
    const running = secondStates.find((s) => s.kind === 'running');
    assert.ok(running?.kind === 'running' && !running.startedHere, 'the second window did not start one');
    assert.ok(!secondStates.some((s) => s.kind === 'starting'));
  });

  it('two windows starting at once end up on one service', async () => {
    const [a, b] = await Promise.all([localService().start(), localService().start()]);
    assert.equal(a, b);
  });

  it('restarts a killed service with its data, and says so in its state', async () => {
    const states: LocalServiceState[] = [];
    const service = localService({}, states);
    const url = await service.start();
    const token = readFileSync(join(root, 'service', 'setup-token'), 'utf8').trim();
    const setup = await fetch(`${url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-setup-token': token },
      body: JSON.stringify({ email: 'me@example.com', password: 'a long enough password' }),
    });
    assert.equal(setup.status, 201);
    const before = service.current;
    assert.ok(before.kind === 'running');
    process.kill(before.pid, 'SIGKILL');
    await waitUntil('it runs again under a new process', () => service.current.kind === 'running' && service.current.pid !== before.pid);
    assert.ok(states.some((s) => s.kind === 'restarting'), 'the restart was reported');
    const again = service.current;
    assert.ok(again.kind === 'running');
    const signIn = await fetch(`${again.url}/api/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'me@example.com', password: 'a long enough password' }),
    });
    assert.equal(signIn.status, 200, 'the account survived the crash');
  });

  it('never talks to another program that answers on the port the lock names', async () => {
    // A process that is alive, named in the lock, and an HTTP server on the recorded port that
    // answers health like the service but cannot prove the key.
    const sleeper = spawn('sleep', ['600']);
    pids.add(sleeper.pid as number);
    const impostor: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { status: 'ok', database: 'embedded', proof: 'made-up' }, error: null }));
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    try {
      const dataDir = join(root, 'service');
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const port = (impostor.address() as AddressInfo).port;
      writeFileSync(lockPath(dataDir), JSON.stringify({ pid: sleeper.pid, port, key: 'k'.repeat(43) }), { mode: 0o600 });
      const error = await localService({ startTimeoutMs: 2_000 })
        .start()
        .then(() => assert.fail('it used the impostor'), (e: unknown) => e);
      assert.ok(error instanceof LocalServiceError);
      assert.match(error.message, new RegExp(`lock names process ${sleeper.pid}, which does not answer as a PromptRefine service`));
      assert.match(error.message, /delete .*promptrefine\.lock/);
    } finally {
      impostor.close();
    }
  });

  it('takes over from a stale or unreadable lock file', async () => {
    const dataDir = join(root, 'service');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(lockPath(dataDir), '{"pid": "not a number', { mode: 0o600 });
    const url = await localService().start();
    assert.equal((await health(url)).data.status, 'ok');
    assert.equal(readLock(dataDir)?.port, Number(new URL(url).port));
  });

  it('says why when the data folder cannot be made', async () => {
    writeFileSync(join(root, 'a-file'), '');
    const error = await localService({ dataDir: join(root, 'a-file', 'service') })
      .start()
      .then(() => assert.fail('it started'), (e: unknown) => e);
    assert.ok(error instanceof LocalServiceError);
    assert.match(error.message, /data folder .*a-file\/service cannot be created/);
  });

  it('refuses a database made by a newer version, saying to update, and leaves it as it was', async () => {
    const service = localService();
    await service.start();
    const running = service.current;
    assert.ok(running.kind === 'running');
    process.kill(running.pid, 'SIGTERM');
    service.dispose();
    await waitUntil('the service stopped', () => !isAlive(running.pid));
    // What a newer version would leave: a migration this one does not know.
    const pgdata = join(root, 'service', 'pgdata');
    const db = await PGlite.create(`file://${pgdata}`);
    await db.query(`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 99999999999999)`);
    await db.close();
    const error = await localService()
      .start()
      .then(() => assert.fail('it opened a newer database'), (e: unknown) => e);
    assert.ok(error instanceof LocalServiceError);
    assert.match(error.message, /upgraded by a newer version of PromptRefine.*Update PromptRefine/);
    const check = await PGlite.create(`file://${pgdata}`);
    const rows = await check.query<{ n: number }>(`select count(*)::int as n from drizzle.__drizzle_migrations where hash = 'from-the-future'`);
    await check.close();
    assert.equal(rows.rows[0]?.n, 1, 'the newer database was left alone');
  });

  it('stops by itself once no window calls it', async () => {
    const service = localService({ idleExitSeconds: 2 });
    await service.start();
    const running = service.current;
    assert.ok(running.kind === 'running');
    // While the window calls it, it stays up beyond its idle time.
    await sleep(3_000);
    assert.ok(isAlive(running.pid), 'it stayed up while a window was there');
    service.dispose();
    await waitUntil('it stopped', () => !isAlive(running.pid), 60_000);
    assert.equal(readLock(join(root, 'service')), undefined, 'it released the folder');
  });
});
