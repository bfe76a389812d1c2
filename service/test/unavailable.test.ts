// The database goes away or refuses us: answers are 503 UNAVAILABLE (never a hang, a stack or SQL),
// and the service recovers by itself when the database is back. Each way PostgreSQL can refuse is
// produced for real on a database of the test's own; the rest of the classifier is unit-tested.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ListPage, Prompt } from '../../contract/index.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { isDatabaseUnavailable } from '../http/database-errors.ts';
import { ApiClient } from '../testing/api-client.ts';
import { ADMIN_URL, createPostgresDatabase } from './support/databases.ts';
import { captureLogs, type LogCapture } from './support/log-capture.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

async function admin<T>(work: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseName = (url: string) => new URL(url).pathname.slice(1);

/** Ends every connection of the service to the database, and waits until they are gone. */
const terminateBackends = (name: string) =>
  admin((c) => c.query('select pg_terminate_backend(pid, 10000) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]));

function assertUnavailable(res: Awaited<ReturnType<ApiClient['get']>>, what: string) {
  assert.equal(res.status, 503, `${what}: ${res.text}`);
  assert.equal(res.body.error?.code, 'UNAVAILABLE', what);
  assert.ok(res.headers.get('retry-after'), `${what} says when to retry`);
  assert.doesNotMatch(res.text, /select|insert|at \w+ \(|postgres:\/\//i, 'no SQL, stack or URL in the answer');
}

/** Every kind of request a client makes: public, signed in, a read and a write. */
async function assertEveryRequestUnavailable(api: ApiClient) {
  assertUnavailable(await api.get('/api/health'), 'GET /api/health');
  assertUnavailable(await new ApiClient(api.baseUrl).get('/api/health'), 'GET /api/health without a session');
  assertUnavailable(await api.get('/api/prompts'), 'GET /api/prompts');
  assertUnavailable(await api.post('/api/prompts', { title: 'during outage' }), 'POST /api/prompts');
}

const loggedSqlstates = (logs: LogCapture) =>
  logs.entries().filter((e) => e.msg === 'request failed' && e.code === 'UNAVAILABLE').map((e) => e.sqlstate);

describe('database outage [PostgreSQL]', () => {
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let proxy: TcpProxy;
  let handle: DatabaseHandle;
  let app: TestApp;

  before(async () => {
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(created.url);
    viaProxy.port = String(proxy.port);
    handle = await openDatabase({ databaseUrl: viaProxy.toString() });
    await handle.migrate();
    app = await startTestApp({ kind: 'postgres', handle, url: viaProxy.toString(), reset: async () => {} });
  });
  after(async () => {
    await app?.close();
    await handle?.close();
    await proxy?.close();
    await created?.drop();
  });

  it('answers 503 while the database is down and recovers without a restart', async () => {
    const api = await app.signedIn();
    await api.ok('POST', '/api/prompts', { title: 'Survivor', content: 'kept' });
    assert.deepEqual((await api.get('/api/health')).body.data, { status: 'ok', database: 'postgres' });

    await proxy.cut();
    await assertEveryRequestUnavailable(api);

    await proxy.restore();
    assert.equal((await api.get('/api/health')).status, 200);
    const after = await api.ok<ListPage<Prompt>>('GET', '/api/prompts');
    assert.deepEqual(after.items.map((p) => p.title), ['Survivor']);
  });
});

describe('a database that refuses connections [PostgreSQL]', () => {
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let name: string;
  let handle: DatabaseHandle;
  let app: TestApp;
  let logs: LogCapture;

  beforeEach(async () => {
    created = await createPostgresDatabase();
    name = databaseName(created.url);
    handle = await openDatabase({ databaseUrl: created.url });
    await handle.migrate();
    logs = captureLogs();
    app = await startTestApp({ kind: 'postgres', handle, url: created.url, reset: async () => {} }, { logger: logs.logger });
  });
  afterEach(async () => {
    await app?.close();
    await handle?.close();
    await created?.drop();
  });

  it('answers 503 on every request while connections are not allowed (SQLSTATE 55000), and recovers', async () => {
    const api = await app.signedIn();
    await api.ok('POST', '/api/prompts', { title: 'Kept', content: 'v1' });
    await admin((c) => c.query(`alter database ${name} allow_connections false`));
    await terminateBackends(name);

    await assertEveryRequestUnavailable(api);
    assert.ok(loggedSqlstates(logs).includes('55000'), `refused with 55000: ${JSON.stringify(loggedSqlstates(logs))}`);

    await admin((c) => c.query(`alter database ${name} allow_connections true`));
    assert.equal((await api.get('/api/health')).status, 200);
    assert.deepEqual((await api.ok<ListPage<Prompt>>('GET', '/api/prompts')).items.map((p) => p.title), ['Kept']);
  });

  it('answers 503 when its connection is terminated during a query (SQLSTATE 57P01)', async () => {
    const api = await app.signedIn();
    await admin(async (locker) => {
      // The list waits for the lock, so its backend is busy with this request when it is terminated.
      await locker.query('begin');
      await locker.query('lock table prompts in access exclusive mode');
      const pending = api.get('/api/prompts');
      let waiting: number[] = [];
      while (waiting.length === 0) {
        const { rows } = await locker.query<{ pid: number }>(
          "select pid from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
          [name],
        );
        waiting = rows.map((r) => r.pid);
      }
      await locker.query('select pg_terminate_backend(pid, 10000) from unnest($1::int[]) as pid', [waiting]);
      assertUnavailable(await pending, 'the terminated request');
      await locker.query('rollback');
    }, created.url);
    assert.ok(loggedSqlstates(logs).includes('57P01'), `terminated with 57P01: ${JSON.stringify(loggedSqlstates(logs))}`);
    assert.equal((await api.get('/api/prompts')).status, 200, 'the next request gets a new connection');
  });
});

describe('a database with no connection left [PostgreSQL]', () => {
  // Connection limits do not apply to superusers, so the service connects as a role of its own.
  const role = `promptrefine_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let name: string;
  let handle: DatabaseHandle;
  let app: TestApp;
  let logs: LogCapture;

  before(async () => {
    created = await createPostgresDatabase();
    name = databaseName(created.url);
    const migrator = await openDatabase({ databaseUrl: created.url });
    try {
      await migrator.migrate();
    } finally {
      await migrator.close();
    }
    await admin((c) => c.query(`create role ${role} login`));
    await admin(
      (c) => c.query(`grant all on all tables in schema public to ${role}; grant all on all sequences in schema public to ${role}`),
      created.url,
    );
    const asRole = new URL(created.url);
    asRole.username = role;
    handle = await openDatabase({ databaseUrl: asRole.toString() });
    logs = captureLogs();
    app = await startTestApp({ kind: 'postgres', handle, url: asRole.toString(), reset: async () => {} }, { logger: logs.logger });
  });
  after(async () => {
    await app?.close();
    await handle?.close();
    await created?.drop();
    await admin((c) => c.query(`drop role if exists ${role}`));
  });

  it('answers 503 when the database allows no more connections (SQLSTATE 53300), and recovers', async () => {
    const api = await app.signedIn();
    await admin((c) => c.query(`alter database ${name} connection limit 0`));
    await terminateBackends(name);

    await assertEveryRequestUnavailable(api);
    assert.ok(loggedSqlstates(logs).includes('53300'), `refused with 53300: ${JSON.stringify(loggedSqlstates(logs))}`);

    await admin((c) => c.query(`alter database ${name} connection limit -1`));
    assert.equal((await api.get('/api/health')).status, 200);
  });
});

describe('the embedded database closed under the service [PGlite]', () => {
  it('answers 503, not 500', async function () {
    this.timeout(60_000);
    const handle = await openDatabase({});
    await handle.migrate();
    const app = await startTestApp({ kind: 'embedded', handle, url: undefined, reset: async () => {} });
    try {
      const api = await app.signedIn();
      await handle.close();
      await assertEveryRequestUnavailable(api);
    } finally {
      await app.close();
    }
  });
});

describe('which errors mean the database is unavailable', () => {
  const pgError = (code: string, message = 'from the server') => Object.assign(new Error(message), { code, severity: 'FATAL' });
  // drizzle wraps what the driver threw; the classifier looks through the wrapper.
  const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1\nparams: '), { cause });

  for (const code of ['08000', '08001', '08003', '08006', '08P01', '53000', '53100', '53200', '53300', '55000', '57P01', '57P02', '57P03', '57P04', '57P05']) {
    it(`SQLSTATE ${code} is unavailable, also wrapped`, () => {
      assert.equal(isDatabaseUnavailable(pgError(code)), true);
      assert.equal(isDatabaseUnavailable(wrapped(wrapped(pgError(code)))), true);
    });
  }
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']) {
    it(`${code} is unavailable`, () => {
      assert.equal(isDatabaseUnavailable(wrapped(Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code }))), true);
    });
  }
  for (const message of [
    'timeout exceeded when trying to connect',
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable',
    'Cannot use a pool after calling end on the pool',
    'PGlite is closed',
    'PGlite is closing',
  ]) {
    it(`"${message}" is unavailable`, () => {
      assert.equal(isDatabaseUnavailable(wrapped(new Error(message))), true);
    });
  }
  it('a refused connect to both addresses of localhost is unavailable', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    assert.equal(isDatabaseUnavailable(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')])), true);
  });
  for (const code of ['23505', '22P02', '42P01', '42703', '40001', '55P03', '57014', 'P0001', '25P02']) {
    it(`SQLSTATE ${code} is a failure of the request, not an outage`, () => {
      assert.equal(isDatabaseUnavailable(wrapped(pgError(code))), false);
    });
  }
  it('a bug is not an outage, and a cause cycle ends', () => {
    assert.equal(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')")), false);
    const a: { cause?: unknown; message: string } = { message: 'a' };
    a.cause = { message: 'b', cause: a };
    assert.equal(isDatabaseUnavailable(a), false);
  });
});
